import { CORPORA } from '@radar/testkit';
import { load } from 'cheerio/slim';
import { describe, expect, it } from 'vitest';
import { loadReadabilityPages } from './eval/corpora.js';
import { scorePages } from './eval/shingle-score.js';
import { extractArticle } from './extract.js';

const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

// Mozilla Readability's test pages. Titles must match Readability's expected metadata; the text
// is compared with Readability's expected article (a different reference from ours: it keeps
// headings, captions and bylines that Radar leaves out), so its overlap is reported, not gated.
describe('readability test pages', () => {
  const pages = loadReadabilityPages(CORPORA);
  const results = pages.map((p) => ({ page: p, article: extractArticle(p.source, 'http://fakehost/test/page.html') }));

  it('extracts the expected title for at least 90% of the pages', () => {
    const misses = results.filter(({ page, article }) => norm(article.title) !== norm(page.expected.title));
    const share = 1 - misses.length / results.length;
    console.log(`readability pages: title matches ${results.length - misses.length}/${results.length} (${(share * 100).toFixed(1)}%)`);
    for (const { page, article } of misses) console.log(`  ${page.name}: got ${JSON.stringify(article.title)} want ${JSON.stringify(page.expected.title)}`);
    expect(share).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the publication day and the language where Readability expects them', () => {
    const dated = results.filter(({ page }) => page.expected.publishedTime);
    const day = (s: string) => new Date(s).toISOString().slice(0, 10);
    const dates = dated.filter(({ page, article }) => article.published && day(article.published) === day(page.expected.publishedTime!));
    const withLang = results.filter(({ page }) => page.expected.lang);
    const primary = (s: string | null | undefined) => (s ?? '').toLowerCase().split('-')[0];
    const langs = withLang.filter(({ page, article }) => primary(article.lang) === primary(page.expected.lang));
    console.log(`readability pages: published day ${dates.length}/${dated.length}, language ${langs.length}/${withLang.length}`);
    expect(dates.length / dated.length).toBeGreaterThanOrEqual(0.9);
    expect(langs.length / withLang.length).toBeGreaterThanOrEqual(0.95);
  });

  it('reports the text overlap with expected.html', () => {
    const s = scorePages(results.map(({ page, article }) => [load(page.expectedHtml).root().text(), article.text] as const));
    console.log(`readability pages: text overlap precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}`);
    expect(s.f1).toBeGreaterThan(0.8);
  });
});
