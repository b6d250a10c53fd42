import { CORPORA } from '@radar/testkit';
import { describe, expect, it } from 'vitest';
import { loadBenchmark } from './eval/corpora.js';
import { scorePages } from './eval/shingle-score.js';
import { extractArticle } from './extract.js';

// The ScrapingHub article-extraction benchmark, scored with its own method. Readability.js
// 0.6.0 scores F1 0.947 there, trafilatura 2.0 0.958: Radar must not fall under 0.95.
describe('article-extraction benchmark (181 pages)', () => {
  it('scores F1 >= 0.95', () => {
    const pages = loadBenchmark(CORPORA);
    expect(pages).toHaveLength(181);
    const s = scorePages(pages.map((p) => [p.truth, extractArticle(p.html, p.url).text] as const));
    console.log(
      `benchmark: precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}  accuracy ${s.accuracy.toFixed(3)}`,
    );
    expect(s.f1).toBeGreaterThanOrEqual(0.95);
  });
});
