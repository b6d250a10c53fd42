import { readFile } from 'node:fs/promises';
import { load } from 'cheerio/slim';
import type { Feed } from '@radar/db';
import { SsrfGuard } from '@radar/feeds';
import type { Runtime } from '@radar/runtime';
import { parse, printJson, usage, UsageError, type Command } from './command.js';
import { withRuntime } from './context.js';

const HELP = `
usage:
  pnpm radar feeds add URL [URL...]      add feeds (adding one twice is harmless)
  pnpm radar feeds list [--json]         feeds with their health, last error and next poll
  pnpm radar feeds remove ID|URL         stop polling a feed (its signals stay)
  pnpm radar feeds import FILE.opml      add every feed of an OPML file
  pnpm radar feeds poll ID               poll a feed now`;

function checkUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`not a URL: ${raw}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`only http and https feeds: ${raw}`);
  return u.href;
}

/** Feed URLs of an OPML file (outline elements with an xmlUrl, at any depth). */
export function opmlFeeds(xml: string): { url: string; title: string | null }[] {
  const $ = load(xml, { xml: true });
  return $('outline[xmlUrl]')
    .toArray()
    .map((el) => ({ url: $(el).attr('xmlUrl') ?? '', title: $(el).attr('title') ?? $(el).attr('text') ?? null }))
    .filter((f) => f.url);
}

async function add(rt: Runtime, urls: { url: string; title: string | null }[]): Promise<number> {
  // What the crawler's guard would refuse at every poll (169.254.169.254, localhost, ...) is
  // refused here, with the same FETCH_ALLOW_HOSTS.
  const guard = new SsrfGuard(rt.settings.FETCH_ALLOW_HOSTS);
  let bad = 0;
  for (const { url, title } of urls) {
    try {
      const href = checkUrl(url);
      const refused = guard.urlRefusal(href);
      if (refused) throw new UsageError(refused);
      const { feed, created } = await rt.repos.feeds.add(href, title);
      process.stderr.write(`${created ? 'added' : 'already there'}: #${feed.id} ${feed.url}\n`);
    } catch (err) {
      bad++;
      process.stderr.write(`skipped ${url}: ${(err as Error).message}\n`);
    }
  }
  // The scheduler picks new feeds up on its next tick; ask for one now so they start at once.
  await rt.queues.enqueue('poll-feeds', { at: String(Date.now()) }).catch(() => undefined);
  return bad ? 1 : 0;
}

function row(f: Feed): string {
  const ago = (d: Date | null) => (d ? d.toISOString().slice(0, 19) + 'Z' : '-');
  return [
    `#${f.id}`,
    f.health.padEnd(7),
    `next=${ago(f.next_poll_at)}`,
    `every=${f.poll_interval_s}s`,
    `items=${f.item_count}`,
    `errors=${f.error_count}`,
    f.url,
    f.last_error ? `last error: ${f.last_error}` : '',
  ]
    .filter(Boolean)
    .join('  ');
}

export const feeds: Command = {
  name: 'feeds',
  summary: 'add, list (with health), remove, import (OPML) and poll feeds',
  async run(argv) {
    const args = parse(argv, { json: { type: 'boolean' } }, HELP);
    if (!args) return 0;
    const [sub, ...rest] = args.positionals;
    if (!sub) return usage(HELP);
    return withRuntime(async (rt) => {
      switch (sub) {
        case 'add':
          if (!rest.length) throw new UsageError(`feeds add needs a URL${HELP}`);
          return add(rt, rest.map((url) => ({ url, title: null })));
        case 'import': {
          if (rest.length !== 1) throw new UsageError(`feeds import needs one OPML file${HELP}`);
          const list = opmlFeeds(await readFile(rest[0]!, 'utf8'));
          if (!list.length) throw new UsageError(`no feeds (outline elements with xmlUrl) in ${rest[0]}`);
          return add(rt, list);
        }
        case 'list': {
          const all = await rt.repos.feeds.list();
          for (const f of all) {
            if (args.values.json) printJson(f);
            else process.stdout.write(row(f) + '\n');
          }
          if (!args.values.json) {
            const counts = await rt.repos.feeds.healthCounts();
            process.stderr.write(`${all.length} feed(s): ${counts.map((c) => `${c.count} ${c.health}`).join(', ') || 'none'}\n`);
          }
          return 0;
        }
        case 'remove': {
          if (rest.length !== 1) throw new UsageError(`feeds remove needs an id or URL${HELP}`);
          const key = /^\d+$/.test(rest[0]!) ? Number(rest[0]) : rest[0]!;
          const ok = await rt.repos.feeds.remove(key);
          if (!ok) throw new UsageError(`no feed ${rest[0]}`);
          process.stderr.write(`removed ${rest[0]}\n`);
          return 0;
        }
        case 'poll': {
          const id = Number(rest[0]);
          if (!Number.isInteger(id) || !(await rt.repos.feeds.pollNow(id))) throw new UsageError(`no feed ${rest[0] ?? ''}`);
          await rt.queues.enqueue('poll-feeds', { at: String(Date.now()) });
          process.stderr.write(`feed #${id} will be polled now\n`);
          return 0;
        }
        default:
          throw new UsageError(`unknown feeds command "${sub}"${HELP}`);
      }
    });
  },
};
