import { migrateToLatest } from '@radar/db';
import { ensureRedis, onShutdown, openRuntime, startHandlers } from '@radar/runtime';
import { createMetrics } from '@radar/metrics';
import type { Handlers } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse, type Command } from './command.js';
import { opmlFeeds } from './feeds.js';
import { settingsAndLog } from './context.js';
import { ensureWebBuilt } from './web-build.js';

/**
 * Every stage's handlers; the type makes a stage without a handler a compile error. The services
 * are imported here, not at the top, so other commands start without loading them.
 */
export async function allHandlers(rt: Runtime): Promise<Handlers> {
  const [{ crawlerHandlers }, { extractorHandlers }, { classifierHandlers }, { alerterHandlers }] = await Promise.all([
    import('@radar/svc-crawler'),
    import('@radar/svc-extractor'),
    import('@radar/svc-classifier'),
    import('@radar/svc-alerter'),
  ]);
  return {
    ...(await crawlerHandlers(rt)),
    ...(await extractorHandlers(rt)),
    ...(await classifierHandlers(rt)),
    ...(await alerterHandlers(rt)),
  };
}

const HELP = `
usage: pnpm start   (or: pnpm radar start)
  Runs every stage and the API in one process. With no DATABASE_URL it stores into an embedded
  PostgreSQL under DATA_DIR (migrated on start); with DATABASE_URL the schema must be current
  (\`pnpm radar migrate\`). Starts a private Redis when none answers and redis-server is installed.`;

export const start: Command = {
  name: 'start',
  summary: 'run the whole monitor (all stages and the API) in one process',
  async run(argv) {
    if (!parse(argv, {}, HELP)) return 0;
    const { settings, log } = settingsAndLog();
    const stopRedis = await ensureRedis(settings.REDIS_URL, settings.DATA_DIR, settings.REDIS_AUTOSTART);
    if (stopRedis) log.info({ dataDir: settings.DATA_DIR }, 'started a private redis-server');
    if (!settings.DATABASE_URL) {
      // The embedded database belongs to this process alone: keep it current here.
      const rt0 = await openRuntime(settings, log, { skipSchemaCheck: true });
      await migrateToLatest(rt0.dbh);
      await rt0.close();
    }
    const rt = await openRuntime(settings, log);
    if ((await rt.repos.feeds.list()).length === 0) {
      // First start: the default feed list, so the monitor has something to watch.
      for (const f of opmlFeeds(await readFile(resolve(import.meta.dirname, '../../../../config/feeds.opml'), 'utf8'))) {
        await rt.repos.feeds.add(f.url, f.title);
      }
      log.info('added the default feeds of config/feeds.opml');
    }
    // One metrics registry: the workers record job metrics into it, the API serves it on /metrics.
    const metrics = createMetrics();
    const running = startHandlers(rt, await allHandlers(rt), undefined, metrics.onJobEnd);
    const { startScheduler } = await import('@radar/svc-crawler');
    await startScheduler(rt);
    ensureWebBuilt(log);
    const { serveApi } = await import('@radar/svc-api');
    const api = await serveApi(rt, { metrics });
    log.info({ database: rt.dbh.kind, redis: settings.REDIS_URL, api: `http://${settings.HOST}:${settings.PORT}` }, 'radar started: all stages and the API running');
    await new Promise<void>((resolve) =>
      onShutdown(async () => {
        await api.close();
        await running.close(settings.SHUTDOWN_GRACE_MS);
        await rt.close();
        await stopRedis?.();
        resolve();
      }, log),
    );
    return 0;
  },
};
