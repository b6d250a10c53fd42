import { readFile } from 'node:fs/promises';
import { parseFeedFile } from '@radar/feeds';
import { inputFiles } from './input-files.js';
import { parse, printJson, UsageError, type Command } from './command.js';

const HELP = `
usage: pnpm radar parse-feed FILE|FOLDER|- ... [--url URL] [--content-type TYPE]
  Parses each feed file (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.x) and prints one JSON line
  per file:
  {"file","ok","repaired","error"?,"feed":{"title","link","language"},"items":[{"id","title","link","published"}]}
  Dates are ISO 8601. A folder stands for the files in it (not recursive, sorted); "-" reads paths
  from stdin, one per line (for more files than a command line holds). --url is the address the
  feed came from (relative links resolve against it); --content-type an HTTP Content-Type whose
  charset is one more encoding declaration. Exit code 1 when a file could not be read as a feed.`;

/** Same shape on failure, so tools need not special-case it. */
const NO_FEED = { title: null, link: null, language: null };

export const parseFeed: Command = {
  name: 'parse-feed',
  summary: 'parse feed files (RSS, Atom, JSON Feed) and print one JSON line per file',
  async run(argv) {
    const args = parse(argv, { url: { type: 'string' }, 'content-type': { type: 'string' } }, HELP);
    if (!args) return 0;
    if (args.positionals.length === 0) throw new UsageError(`no file given\n${HELP.trim()}`);
    const url = args.values.url;
    if (url !== undefined) {
      try {
        new URL(url);
      } catch {
        throw new UsageError(`--url is not a URL: ${url}`);
      }
    }
    let failed = 0;
    for (const file of await inputFiles(args.positionals)) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (err) {
        failed++;
        printJson({ file, ok: false, repaired: false, error: `cannot read file: ${(err as Error).message}`, feed: NO_FEED, items: [] });
        continue;
      }
      const r = await parseFeedFile(bytes, { url: url ?? null, contentType: args.values['content-type'] ?? null });
      if (!r.ok) {
        failed++;
        printJson({ file, ok: false, repaired: r.repaired, error: r.error, feed: NO_FEED, items: [] });
        continue;
      }
      printJson({
        file,
        ok: true,
        repaired: r.repaired,
        feed: { title: r.feed.title, link: r.feed.link, language: r.feed.language },
        items: r.items.map((i) => ({ id: i.id, title: i.title, link: i.link, published: i.published?.toISOString() ?? null })),
      });
    }
    return failed ? 1 : 0;
  },
};
