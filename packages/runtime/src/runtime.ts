import { assertSchemaCurrent, openDb, repositories, type Db, type Repositories } from '@radar/db';
import type { Settings } from '@radar/config';
import type { Logger } from '@radar/log';
import { JobQueues } from '@radar/queue';
import { concurrencyFrom } from './concurrency.js';

/** What every service and command shares: settings, logger, database, queues. */
export interface Runtime {
  settings: Settings;
  log: Logger;
  dbh: Db;
  repos: Repositories;
  queues: JobQueues;
  /** Registers a resource to close with the runtime (fetchers, limiters), last first. */
  defer(close: () => Promise<void>): void;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Skip the schema check (the migrate command). */
  skipSchemaCheck?: boolean;
  /** Database schema override (demo, tests). */
  schema?: string;
  dataDir?: string;
}

/** Opens the database (refusing an old schema) and the queues. */
export async function openRuntime(settings: Settings, log: Logger, opts: RuntimeOptions = {}): Promise<Runtime> {
  const dbh = await openDb({
    databaseUrl: settings.DATABASE_URL,
    schema: opts.schema ?? settings.DATABASE_SCHEMA,
    dataDir: opts.dataDir ?? settings.DATA_DIR,
  });
  try {
    if (!opts.skipSchemaCheck) await assertSchemaCurrent(dbh);
  } catch (err) {
    await dbh.close();
    throw err;
  }
  const queues = new JobQueues({
    redisUrl: settings.REDIS_URL,
    prefix: settings.QUEUE_PREFIX,
    handoff: { lingerMs: settings.HANDOFF_LINGER_MS, maxItems: settings.HANDOFF_MAX_ITEMS, concurrency: concurrencyFrom(settings) },
  });
  const deferred: (() => Promise<void>)[] = [];
  return {
    settings,
    log,
    dbh,
    repos: repositories(dbh.db),
    queues,
    defer(close) {
      deferred.push(close);
    },
    async close() {
      for (const close of deferred.splice(0).reverse()) await close().catch(() => undefined);
      await queues.close();
      await dbh.close();
    },
  };
}
