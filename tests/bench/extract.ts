import { parseArgs } from 'node:util';
// tests/ has no dependency on @radar/extract of its own: import the package by path.
import { extractArticle, parseHtml } from '../../packages/extract/src/index.js';
import { loadBenchmark } from '../../packages/extract/src/eval/corpora.js';
import { scorePages } from '../../packages/extract/src/eval/shingle-score.js';
import { CORPORA } from '../../packages/testkit/src/index.js';

/**
 * `pnpm bench extract [--rounds N]`: pages per second of extractArticle over the 181 pages of
 * the article-extraction benchmark, single process, against a bare htmlparser2-backed
 * cheerio.load of the same pages (the floor no cheerio-based extractor beats). Rounds of the
 * two alternate, so a busy neighbour on the machine slows both alike; medians are reported.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rounds: { type: 'string', default: '7' } } });
  const rounds = Math.max(1, Number(values.rounds));
  const pages = loadBenchmark(CORPORA);
  const bytes = pages.reduce((n, p) => n + Buffer.byteLength(p.html), 0);

  const time = (fn: () => void): number => {
    const t = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t) / 1e9;
  };
  const parseAll = () => {
    for (const p of pages) parseHtml(p.html);
  };
  const extractAll = () => {
    for (const p of pages) extractArticle(p.html, p.url);
  };

  // Warm up the JIT on both paths before measuring.
  parseAll();
  extractAll();
  const parseRates: number[] = [];
  const extractRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    parseRates.push(pages.length / time(parseAll));
    extractRates.push(pages.length / time(extractAll));
    process.stderr.write(`round ${r + 1}/${rounds}\n`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const parse = median(parseRates);
  const extract = median(extractRates);
  const s = scorePages(pages.map((p) => [p.truth, extractArticle(p.html, p.url).text] as const));

  const lines = [
    `pages: ${pages.length} (${(bytes / pages.length / 1024).toFixed(0)} KB of HTML on average), ${rounds} rounds, median`,
    `cheerio.load (htmlparser2, bare): ${parse.toFixed(0)} pages/s`,
    `extractArticle:                   ${extract.toFixed(0)} pages/s (${((extract / parse) * 100).toFixed(0)}% of the bare parse)`,
    `benchmark score: precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}`,
    `node ${process.version}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
