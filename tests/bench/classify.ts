import os from 'node:os';
import { parseArgs } from 'node:util';
// tests/ has no dependency on @radar/classifier of its own: import the package by path.
import { loadClassifierSync } from '../../packages/classifier/src/index.js';
import { readCorpus } from '../../packages/classifier/src/corpus.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `pnpm bench classify [--articles N] [--rounds R]`: articles per second through
 * `classify()` on one core (Node runs it on one thread), half English and half Chinese, built by
 * joining bodies of the labelled corpus, at two sizes: 2 KB of UTF-8 (the "2 KB
 * articles") and 2,000 characters (a Chinese article of 2,000 characters is about 6 KB). Also
 * times the rules part (normalisation, term matching, traps, rule scores) and the model part
 * (features and scores) apart, article by article. Medians over the rounds; classify() in CPU
 * time of the process and wall clock.
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { articles: { type: 'string', default: '4000' }, rounds: { type: 'string', default: '5' } } });
  const n = Math.max(10, Number(values.articles));
  const rounds = Math.max(1, Number(values.rounds));
  const c = loadClassifierSync();
  if (!c.model) throw new Error('no model file: run `pnpm radar train` first');
  const { items } = readCorpus();
  // Bodies of the labelled corpus joined until the article is long enough: by characters (2,000
  // characters of Chinese are about 6 KB of UTF-8) or by bytes (2 KB of UTF-8, the size).
  const make = (lang: 'en' | 'zh', k: number, fits: (body: string) => boolean) => {
    const pool = items.filter((i) => i.lang === lang);
    let body = '';
    let j = k;
    while (fits(body)) body += pool[j++ % pool.length]!.body + (lang === 'zh' ? '' : ' ');
    while (!fits(body.slice(0, -1)) && body.length) body = body.slice(0, -1);
    return { title: pool[k % pool.length]!.title, body, lang };
  };
  const byChars = (b: string) => b.length < 2000;
  const byBytes = (b: string) => Buffer.byteLength(b) < 2048;
  const sets = [
    { name: '2 KB of UTF-8 each (the issue\'s size: ~2,000 characters of English, ~680 of Chinese)', fits: byBytes },
    { name: '2,000 characters each (harder: ~6 KB of UTF-8 in Chinese)', fits: byChars },
  ];
  const lines: string[] = [];
  for (const set of sets) {
    const articles = Array.from({ length: n }, (_, k) => make(k % 2 ? 'zh' : 'en', k * 7, set.fits));
    lines.push(...measure(c, articles, rounds, set.name));
  }
  lines.push(`node ${process.version}, one thread; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
  process.stdout.write(lines.join('\n') + '\n');
}

type Classifier = ReturnType<typeof loadClassifierSync>;

function measure(c: Classifier, articles: { title: string; body: string; lang: string }[], rounds: number, name: string): string[] {
  const n = articles.length;
  const chars = articles.reduce((s, a) => s + a.title.length + a.body.length, 0);
  const bytes = articles.reduce((s, a) => s + Buffer.byteLength(a.title + a.body), 0);
  // One pass first: the pipeline runs warm (JIT, stem cache).
  for (const a of articles) c.classify(a);

  // CPU time of this process next to wall time: the machine is shared, and CPU time is what one
  // core spends on the work whatever else runs beside it.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const wall: number[] = [];
  const total: number[] = [];
  const rules: number[] = [];
  const model: number[] = [];
  let assigned = 0;
  for (let r = 0; r < rounds; r++) {
    const w = performance.now();
    const t = cpu();
    for (const a of articles) assigned += c.classify(a).areas.length;
    total.push(cpu() - t);
    wall.push(performance.now() - w);
    // The two parts apart, article by article (wall clock of each step, nothing retained).
    let rulesMs = 0;
    let modelMs = 0;
    for (const a of articles) {
      const t0 = performance.now();
      const an = c.analyse(a);
      const t1 = performance.now();
      c.model!.scoreFields(an.fields, an.match.traps);
      modelMs += performance.now() - t1;
      rulesMs += t1 - t0;
    }
    rules.push(rulesMs);
    model.push(modelMs);
  }
  const perSec = (ms: number) => Math.round((n / ms) * 1000);
  const us = (ms: number) => ((ms / n) * 1000).toFixed(0);
  return [
    `articles of ${name}: ${n} (${n / 2} English, ${n / 2} Chinese), ${Math.round(chars / n)} characters and ${(bytes / n / 1024).toFixed(1)} KB UTF-8 each on average; ${rounds} rounds, medians`,
    `  classify():        ${perSec(median(total))} articles/s of CPU time (${us(median(total))} µs per article); ${perSec(median(wall))} articles/s wall clock; ${(assigned / rounds / n).toFixed(2)} areas assigned per article`,
    `    rules part:      ${us(median(rules))} µs per article (normalise, match terms, traps, rule scores; wall clock)`,
    `    model part:      ${us(median(model))} µs per article (features and Naive Bayes scores of ${c.model!.labels.length} labels; wall clock)`,
  ];
}
