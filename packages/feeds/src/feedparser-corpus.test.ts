import { join } from 'node:path';
import { CORPORA } from '@radar/testkit';
import { describe, expect, it } from 'vitest';
import { checksTitleLinkOrCount, judge, loadCorpus, parseCase } from './testing/feedparser-corpus.js';

// The feedparser test suite (../shared/corpora/feedparser): 2,107 real-world edge cases with a
// Python `Expect` line each, evaluated by a small interpreter (testing/py-expect.ts).
describe('feedparser corpus', () => {
  const cases = loadCorpus(join(CORPORA, 'feedparser'));

  it('reads every file without crashing or hanging, and agrees on titles, links and counts', async () => {
    expect(cases.length).toBeGreaterThan(2000);
    const byFolder = new Map<string, { n: number; agree: number }>();
    const disagreements: string[] = [];
    let slowest = 0;
    for (const c of cases) {
      const t0 = performance.now();
      const r = await parseCase(c); // never throws: a bad file is { ok: false, error }
      slowest = Math.max(slowest, performance.now() - t0);
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
});
