import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
// tests/ has no dependency on @radar/feeds of its own: import the package (and its rss-parser) by path.
import { parseFeedFile } from '../../packages/feeds/src/index.js';
import { CORPORA } from '../../packages/testkit/src/index.js';

type RssParser = { parseString(xml: string): Promise<{ items: unknown[] }> };
const require = createRequire(new URL('../../packages/feeds/package.json', import.meta.url));
const Parser = require('rss-parser') as new (opts?: object) => RssParser;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(xml|json|rss|atom)$/.test(n) ? [p] : [];
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `pnpm bench feeds [--rounds N]`: feed documents per second through parseFeedFile (charset
 * detection, decoding, rss-parser, repair of ill-formed XML, normalisation with dates, canonical
 * URLs, content hash and SimHash per item) against bare `new Parser().parseString` of rss-parser
 * on the same files read as UTF-8 strings, in one process, rounds alternating; medians reported.
 * Files: every feed of the feedparser and rss-parser corpora (2,138 documents, mostly small).
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { rounds: { type: 'string', default: '5' } } });
  const rounds = Math.max(1, Number(values.rounds));
  const paths = [...files(join(CORPORA, 'feedparser')), ...files(join(CORPORA, 'rss-parser', 'input'))];
  const docs = paths.map((p) => readFileSync(p));
  const bytes = docs.reduce((n, d) => n + d.length, 0);
  const strings = docs.map((d) => d.toString('utf8'));

  let oursOk = 0;
  let oursItems = 0;
  let rawOk = 0;
  let rawItems = 0;
  const ours = async () => {
    oursOk = oursItems = 0;
    const t = process.hrtime.bigint();
    for (const d of docs) {
      const r = await parseFeedFile(d);
      if (r.ok) {
        oursOk++;
        oursItems += r.items.length;
      }
    }
    return Number(process.hrtime.bigint() - t) / 1e9;
  };
  const raw = async () => {
    rawOk = rawItems = 0;
    const t = process.hrtime.bigint();
    for (const s of strings) {
      try {
        const f = await new Parser().parseString(s);
        rawOk++;
        rawItems += f.items.length;
      } catch {
        // counted as not read
      }
    }
    return Number(process.hrtime.bigint() - t) / 1e9;
  };
  await ours();
  await raw(); // warm-up
  const tOurs: number[] = [];
  const tRaw: number[] = [];
  for (let i = 0; i < rounds; i++) {
    tOurs.push(await ours());
    tRaw.push(await raw());
    process.stderr.write(`round ${i + 1}/${rounds}\n`);
  }
  const mOurs = median(tOurs);
  const mRaw = median(tRaw);
  const row = (name: string, s: number, ok: number, items: number) =>
    `| ${name} | ${(docs.length / s).toFixed(0)} | ${(items / s).toFixed(0)} | ${(bytes / 1e6 / s).toFixed(2)} | ${ok}/${docs.length} | ${items} |`;
  console.log(`${docs.length} feed documents, ${(bytes / 1e6).toFixed(2)} MB, median of ${rounds} rounds, one process (node ${process.version})`);
  console.log('');
  console.log('| parser | feeds/s | items/s | MB/s | documents read | items |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(row('@radar/feeds parseFeedFile (decode + parse + repair + normalise)', mOurs, oursOk, oursItems));
  console.log(row('rss-parser parseString (raw, UTF-8 strings)', mRaw, rawOk, rawItems));
  console.log('');
  console.log(`parseFeedFile takes ${(mOurs / mRaw).toFixed(2)}x the time of raw rss-parser on the same files.`);
}
