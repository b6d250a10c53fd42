import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** The ScrapingHub benchmark pages with their ground truth, read in place from the corpus. */
export interface BenchmarkPage {
  id: string;
  url: string;
  html: string;
  truth: string;
}

export function loadBenchmark(corpora: string): BenchmarkPage[] {
  const dir = join(corpora, 'article-extraction-benchmark');
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Record<
    string,
    { articleBody?: string; url: string }
  >;
  return Object.entries(truth).map(([id, t]) => ({
    id,
    url: t.url,
    html: gunzipSync(readFileSync(join(dir, 'html', `${id}.html.gz`))).toString('utf8'),
    truth: t.articleBody ?? '',
  }));
}

/** Predictions shipped with the corpus, e.g. `readability_js`: id -> articleBody. */
export function loadBaseline(corpora: string, name: string): Record<string, string> {
  const file = join(corpora, 'article-extraction-benchmark', 'baselines', `${name}.json`);
  const data = JSON.parse(readFileSync(file, 'utf8')) as { output: Record<string, { articleBody?: string }> };
  return Object.fromEntries(Object.entries(data.output).map(([id, v]) => [id, v.articleBody ?? '']));
}

/** Mozilla Readability's test pages: source, expected article HTML and metadata. */
export interface ReadabilityPage {
  name: string;
  source: string;
  expectedHtml: string;
  expected: { title: string | null; byline: string | null; lang?: string | null; publishedTime: string | null };
}

export function loadReadabilityPages(corpora: string): ReadabilityPage[] {
  const dir = join(corpora, 'readability-test-pages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({
      name: d.name,
      source: readFileSync(join(dir, d.name, 'source.html'), 'utf8'),
      expectedHtml: readFileSync(join(dir, d.name, 'expected.html'), 'utf8'),
      expected: JSON.parse(readFileSync(join(dir, d.name, 'expected-metadata.json'), 'utf8')) as ReadabilityPage['expected'],
    }));
}
