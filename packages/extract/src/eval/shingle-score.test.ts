import { CORPORA } from '@radar/testkit';
import { describe, expect, it } from 'vitest';
import { loadBaseline, loadBenchmark } from './corpora.js';
import { scorePages, shingleCounts, tokenize } from './shingle-score.js';

describe('benchmark metric', () => {
  it('tokenises like Python \\w+ with Unicode', () => {
    expect(tokenize('Hello, wörld_1 — 北京市 2024年')).toEqual(['Hello', 'wörld_1', '北京市', '2024年']);
  });

  it('counts shingles as multisets and normalises per page', () => {
    expect(shingleCounts('a b c d e', 'a b c d e')).toEqual({ tp: 1, fp: 0, fn: 0 });
    const c = shingleCounts('a b c d e', 'a b c d x');
    expect(c.tp).toBeCloseTo(1 / 3);
    expect(c.fp).toBeCloseTo(1 / 3);
    // Shorter than four tokens: one shorter shingle, like upstream.
    expect(shingleCounts('a b', 'a b')).toEqual({ tp: 1, fp: 0, fn: 0 });
  });

  it("reproduces the benchmark's published figures for Readability.js", () => {
    const pages = loadBenchmark(CORPORA);
    const baseline = loadBaseline(CORPORA, 'readability_js');
    const s = scorePages(pages.map((p) => [p.truth, baseline[p.id] ?? ''] as const));
    // Upstream: precision 0.914, recall 0.982, F1 0.947, accuracy 0.166.
    expect(s.precision.toFixed(3)).toBe('0.914');
    expect(s.recall.toFixed(3)).toBe('0.982');
    expect(s.f1.toFixed(3)).toBe('0.947');
    expect(s.accuracy.toFixed(3)).toBe('0.166');
  });
});
