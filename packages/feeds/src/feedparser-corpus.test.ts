import { join } from 'node:path';
import { CORPORA } from '@radar/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParseResult } from './types.js';
import { checksTitleLinkOrCount, judge, loadCorpus, parseCase } from './testing/feedparser-corpus.js';

// The feedparser test suite (../shared/corpora/feedparser): 2,107 real-world edge cases with a
// Python `Expect` line each, evaluated by a small interpreter (testing/py-expect.ts).
describe('feedparser corpus', () => {
  const cases = loadCorpus(join(CORPORA, 'feedparser'));
  // Each file is parsed once, for both tests.
  const results: ParseResult[] = [];
  let slowest = 0;
  beforeAll(async () => {
    for (const c of cases) {
      const t0 = performance.now();
      results.push(await parseCase(c)); // never throws: a bad file is { ok: false, error }
      slowest = Math.max(slowest, performance.now() - t0);
    }
  });

  it('reads every file without crashing or hanging, and agrees on titles, links and counts', () => {
    expect(cases.length).toBeGreaterThan(2000);
    const byFolder = new Map<string, { n: number; agree: number }>();
    const disagreements: string[] = [];
    for (const [i, c] of cases.entries()) {
      const r = results[i]!;
      expect(typeof r.ok).toBe('boolean');
      if (!c.expect || !checksTitleLinkOrCount(c.expect)) continue;
      const verdict = judge(c.expect, r);
      if (verdict === 'unsupported') continue;
      const folder = c.rel.split('/')[0]!;
      const s = byFolder.get(folder) ?? { n: 0, agree: 0 };
      s.n++;
      if (verdict === 'agree') s.agree++;
      else if (folder === 'wellformed') disagreements.push(`${c.rel}: ${c.expect.slice(0, 100)}`);
      byFolder.set(folder, s);
    }
    const wf = byFolder.get('wellformed')!;
    const share = wf.agree / wf.n;
    const lines = [...byFolder].map(([f, s]) => `  ${f}: ${s.agree}/${s.n} (${((100 * s.agree) / s.n).toFixed(1)}%)`);
    console.error(
      `feedparser corpus: ${cases.length} files, slowest ${slowest.toFixed(0)} ms; title/link/count checks agreeing:\n` +
        `${lines.join('\n')}\n  well-formed share: ${(100 * share).toFixed(1)}%\n  disagreements:\n    ${disagreements.join('\n    ')}`,
    );
    expect(slowest).toBeLessThan(2000);
    expect(share).toBeGreaterThanOrEqual(0.9);
  });

  // Issue 3: undefined entities, a missing `>` and the like pass rss-parser's lenient reader, but
  // such a feed is still ill-formed and must be marked repaired; a well-formed one must not be.
  it('marks every entities/ file repaired and (almost) no wellformed/ file', () => {
    const share = (folder: string) => {
      const rs = results.filter((_, i) => cases[i]!.rel.startsWith(`${folder}/`));
      const marked = cases.filter((c, i) => c.rel.startsWith(`${folder}/`) && results[i]!.repaired).map((c) => c.rel);
      return { n: rs.length, marked };
    };
    const entities = share('entities');
    expect(entities.n).toBe(256);
    expect(entities.marked.length).toBe(256);
    for (const [i, c] of cases.entries()) {
      const r = results[i]!;
      if (c.rel.startsWith('entities/') && r.ok) expect(r.fixes.length, c.rel).toBeGreaterThan(0);
    }
    const wellformed = share('wellformed');
    expect(wellformed.n).toBeGreaterThan(1700);
    expect(wellformed.marked.length / wellformed.n, wellformed.marked.join(', ')).toBeLessThanOrEqual(0.01);
  });
});
