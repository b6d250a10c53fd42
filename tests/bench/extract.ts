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
 * two alternate, so a busy neighbour on the machine slows both alike; medians are reported,
 * by wall clock and by the CPU time of this process (steadier when the machine is shared).
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rounds: { type: 'string', default: '7' } } });
  const rounds = Math.max(1, Number(values.rounds));
  const pages = loadBenchmark(CORPORA);
  const bytes = pages.reduce((n, p) => n + Buffer.byteLength(p.html), 0);

  /** [wall seconds, CPU seconds of this process] */
  const time = (fn: () => void): [number, number] => {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    fn();
    const d = process.cpuUsage(c);
    return [Number(process.hrtime.bigint() - t) / 1e9, (d.user + d.system) / 1e6];
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
  const rates = { parseWall: [] as number[], parseCpu: [] as number[], extractWall: [] as number[], extractCpu: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const [pw, pc] = time(parseAll);
    const [ew, ec] = time(extractAll);
    rates.parseWall.push(pages.length / pw);
    rates.parseCpu.push(pages.length / pc);
    rates.extractWall.push(pages.length / ew);
    rates.extractCpu.push(pages.length / ec);
    process.stderr.write(`round ${r + 1}/${rounds}\n`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const row = (name: string, wall: number, cpu: number, base?: [number, number]) =>
    `${name.padEnd(34)} ${wall.toFixed(0).padStart(5)} pages/s wall, ${cpu.toFixed(0).padStart(5)} pages/s CPU` +
    (base ? `  (${((wall / base[0]) * 100).toFixed(0)}% / ${((cpu / base[1]) * 100).toFixed(0)}% of the bare parse)` : '');
  const parse: [number, number] = [median(rates.parseWall), median(rates.parseCpu)];
  const extract: [number, number] = [median(rates.extractWall), median(rates.extractCpu)];
  const s = scorePages(pages.map((p) => [p.truth, extractArticle(p.html, p.url).text] as const));

  const lines = [
    `pages: ${pages.length} (${(bytes / pages.length / 1024).toFixed(0)} KB of HTML on average), ${rounds} rounds, median`,
    row('cheerio.load (htmlparser2, bare):', ...parse),
    row('extractArticle:', ...extract, parse),
    `benchmark score: precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}`,
    `node ${process.version}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
