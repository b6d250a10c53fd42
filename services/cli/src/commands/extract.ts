import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { decodeHtml, extractArticle } from '@radar/extract';
import { canonicalizeUrl } from '@radar/feeds';
import { parse, printJson, UsageError, type Command } from './command.js';

const HELP = `
usage: pnpm radar extract FILE|FOLDER|- ... [--url URL]
  Extracts the article of each saved page and prints one JSON line per file:
  {"file","title","text","published","author","lang","canonical"}.
  A folder stands for the .html, .htm and .html.gz files in it (not recursive); "-" reads
  paths from stdin, one per line. .gz files are gunzipped. --url gives the address the page
  came from (relative links, dates in the path); by default the file's own file:// URL.
  "canonical" is the URL the page declares (link rel=canonical, og:url); when it declares
  none, the --url given (canonicalised: https, no tracking parameters), or null without --url.`;

const PAGE = /\.(?:html?|xhtml)(?:\.gz)?$/i;

async function readStdinLines(): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

/** Expands the arguments into file paths, in the order given (folders sorted by name). */
async function expand(args: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push(...(await readStdinLines()));
      continue;
    }
    const info = await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      const names = (await readdir(arg)).filter((n) => PAGE.test(n)).sort();
      out.push(...names.map((n) => join(arg, n)));
    } else out.push(arg);
  }
  return out;
}

export const extract: Command = {
  name: 'extract',
  summary: 'extract title, text, date, author, language and canonical URL from saved pages (JSON lines)',
  async run(argv) {
    const args = parse(argv, { url: { type: 'string' } }, HELP);
    if (!args) return 0;
    if (args.positionals.length === 0) throw new UsageError(`no file given\n${HELP.trim()}`);
    if (args.values.url !== undefined) {
      try {
        new URL(args.values.url);
      } catch {
        throw new UsageError(`--url is not a URL: ${args.values.url}`);
      }
    }
    let failed = 0;
    for (const file of await expand(args.positionals)) {
      try {
        let bytes: Buffer = await readFile(file);
        if (/\.gz$/i.test(file)) bytes = gunzipSync(bytes);
        const url = args.values.url ?? pathToFileURL(resolve(file)).href;
        const a = extractArticle(decodeHtml(bytes), url);
        // The address the page came from is its best name when it declares none (a file:// URL is not).
        const given = args.values.url;
        const canonical = a.canonical ?? (given === undefined ? null : (canonicalizeUrl(given) ?? given));
        printJson({ file, title: a.title, text: a.text, published: a.published, author: a.author, lang: a.lang, canonical });
      } catch (err) {
        failed++;
        process.stderr.write(`radar extract: ${file}: ${(err as Error).message}\n`);
      }
    }
    return failed ? 1 : 0;
  },
};
