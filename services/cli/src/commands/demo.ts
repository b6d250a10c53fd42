import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { dropSchema, migrateToLatest, openDb, type Signal } from '@radar/db';
import { ensureRedis, openRuntime, startHandlers } from '@radar/runtime';
import { demoArticles, startNewsSite } from '@radar/testkit';
import { parse, printJson, UsageError, type Command } from './command.js';
import { settingsAndLog } from './context.js';
import { allHandlers } from './start.js';

const HELP = `
usage: pnpm radar demo [--max-signals N] [--timeout SECONDS]
  Serves the bundled sample feeds and article pages (English and Chinese, some GBK-encoded)
  from a local HTTP server, runs the whole pipeline against them, and prints each tagged signal
  as one JSON line on stdout as it is stored. Uses its own database (schema radar_demo, or
  DATA_DIR/demo when embedded) and its own queues, both reset on every run.
  --max-signals N   exit 0 once N signals are stored (default: all sample articles)
  --timeout S       give up (exit 1) after S seconds (default 120)`;

/** The signal as the demo prints it: what an analyst looks at first. */
function view(s: Signal) {
  return {
    id: s.id,
    title: s.title,
    url: s.url,
    lang: s.lang,
    areas: s.labels.areas.map((l) => ({ id: l.id, score: Number(l.score.toFixed(3)), evidence: l.evidence.slice(0, 3).map((e) => e.term) })),
    districts: s.labels.districts.map((l) => ({ id: l.id, score: Number(l.score.toFixed(3)), evidence: l.evidence.slice(0, 3).map((e) => e.term) })),
    beijing: { value: s.beijing, score: Number(s.beijing_score.toFixed(3)) },
  };
}

export const demo: Command = {
  name: 'demo',
  summary: 'run the pipeline on bundled sample feeds served locally; print each signal stored',
  async run(argv) {
    const args = parse(argv, { 'max-signals': { type: 'string' }, timeout: { type: 'string' } }, HELP);
    if (!args) return 0;
    const articles = demoArticles();
    const max = Number(args.values['max-signals'] ?? articles.length);
    const timeoutS = Number(args.values.timeout ?? 120);
    if (!Number.isInteger(max) || max < 1) throw new UsageError('--max-signals needs a positive integer');
    if (max > articles.length) throw new UsageError(`--max-signals: the demo has ${articles.length} sample articles`);
    if (!(timeoutS > 0)) throw new UsageError('--timeout needs a positive number of seconds');

    const { settings, log } = settingsAndLog({
      FETCH_ALLOW_HOSTS: '127.0.0.1',
      HOST_LIMITS: '127.0.0.1=8/0',
      QUEUE_PREFIX: `radar-demo-${process.pid}`,
      DATABASE_SCHEMA: 'radar_demo',
      POLL_EVERY_S: '5',
      JOB_LOCK_MS: '10000',
    },
    // The demo's output is the signals; the log shows warnings unless LOG_LEVEL asks for more.
    { LOG_LEVEL: 'warn' });
    const stopRedis = await ensureRedis(settings.REDIS_URL, settings.DATA_DIR, settings.REDIS_AUTOSTART);
    const dataDir = resolve(settings.DATA_DIR, 'demo');
    // A fresh database every run, so the demo always shows the whole path.
    if (settings.DATABASE_URL) {
      const h = await openDb({ databaseUrl: settings.DATABASE_URL, schema: 'radar_demo' });
      await dropSchema(h);
      await migrateToLatest(h);
      await h.close();
    } else {
      await rm(resolve(dataDir, 'pglite'), { recursive: true, force: true });
      const h = await openDb({ dataDir, schema: 'radar_demo' });
      await migrateToLatest(h);
      await h.close();
    }
    const site = await startNewsSite(articles);
    const rt = await openRuntime(settings, log, { dataDir });
    const running = startHandlers(rt, await allHandlers(rt));
    let code = 1;
    try {
      for (const url of site.feedUrls) await rt.repos.feeds.add(url);
      await rt.queues.enqueue('poll-feeds', { at: 'demo' });
      process.stderr.write(`demo: serving ${articles.length} sample articles in ${site.feedUrls.length} feeds at ${site.base}\n`);
      const seen = new Set<number>();
      const deadline = Date.now() + timeoutS * 1000;
      while (Date.now() < deadline) {
        for (const s of (await rt.repos.signals.latest(1000)).reverse()) {
          // Several signals can land between two looks: print no more than were asked for.
          if (seen.has(s.id) || seen.size >= max) continue;
          seen.add(s.id);
          printJson(view(s));
        }
        if (seen.size >= max) {
          code = 0;
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      process.stderr.write(
        code === 0
          ? `demo: ${seen.size} signal(s) stored\n`
          : `demo: only ${seen.size} of ${max} signals stored after ${timeoutS}s; see \`pnpm radar failed\`\n`,
      );
    } finally {
      await running.close(2000);
      await rt.queues.obliterate().catch(() => undefined);
      await rt.close();
      await site.close();
      await stopRedis?.();
    }
    return code;
  },
};
