import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { decodeHtml, extractArticle } from '@radar/extract';
import { canonicalizeUrl } from '@radar/feeds';
import { inputFiles } from './input-files.js';
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
    for (const file of await inputFiles(args.positionals, (n) => PAGE.test(n))) {
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
