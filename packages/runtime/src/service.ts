import { ConfigError, loadSettings, type Settings } from '@radar/config';
import { SchemaOutdatedError } from '@radar/db';
import { createLogger } from '@radar/log';
import { createMetrics, serveMetrics } from '@radar/metrics';
import { startWorkers, type Handlers, type RunningWorkers, type WorkerOptions } from '@radar/queue';
import { concurrencyFrom } from './concurrency.js';
import { openRuntime, type Runtime } from './runtime.js';
import { onShutdown } from './shutdown.js';
import { RedisUnavailableError } from './redis-server.js';

/** Errors an operator fixes (a setting, a migration, a missing Redis): one line, not a stack. */
export function isStartupError(err: unknown): err is Error {
  return err instanceof ConfigError || err instanceof SchemaOutdatedError || err instanceof RedisUnavailableError;
}

/** Where PostgreSQL and Redis listen: their refused connections make jobs wait, not fail. */
function dependencyPorts(settings: Settings): number[] {
  const port = (url: string | undefined, fallback: number) => {
    try {
      return url ? Number(new URL(url).port || fallback) : fallback;
    } catch {
      return fallback;
    }
  };
  return [port(settings.DATABASE_URL, 5432), port(settings.REDIS_URL, 6379)];
}

/** Starts the given handlers as workers of this runtime; `onJobEnd` feeds the job metrics. */
export function startHandlers(
  rt: Runtime,
  handlers: Partial<Handlers>,
  lockDurationMs?: number,
  onJobEnd?: WorkerOptions['onJobEnd'],
): RunningWorkers {
  return startWorkers(handlers, {
    redisUrl: rt.settings.REDIS_URL,
    prefix: rt.settings.QUEUE_PREFIX,
    log: rt.log,
    queues: rt.queues,
    concurrency: concurrencyFrom(rt.settings),
    lockDurationMs: lockDurationMs ?? rt.settings.JOB_LOCK_MS,
    maxWaiting: rt.settings.QUEUE_MAX_WAITING,
    dependencyPorts: dependencyPorts(rt.settings),
    onJobEnd,
  });
}

/**
 * The whole life of a stand-alone service process: settings, runtime (refusing an old schema),
 * workers, and a draining shutdown on SIGTERM.
 */
export async function runService(
  name: string,
  makeHandlers: (rt: Runtime) => Promise<Partial<Handlers>>,
  afterStart?: (rt: Runtime) => Promise<void>,
): Promise<void> {
  try {
    await runServiceInner(name, makeHandlers, afterStart);
  } catch (err) {
    if (!isStartupError(err)) throw err;
    process.stderr.write(`radar ${name}: ${err.message}\n`);
    process.exit(2);
  }
}

async function runServiceInner(
  name: string,
  makeHandlers: (rt: Runtime) => Promise<Partial<Handlers>>,
  afterStart?: (rt: Runtime) => Promise<void>,
): Promise<void> {
  const settings = loadSettings();
  const log = createLogger(settings.LOG_LEVEL, { service: name });
  const rt = await openRuntime(settings, log);
  // A stage run apart serves its own job metrics when METRICS_PORT is set.
  const metrics = settings.METRICS_PORT ? createMetrics() : undefined;
  const running = startHandlers(rt, await makeHandlers(rt), undefined, metrics?.onJobEnd);
  const served = metrics ? await serveMetrics(metrics, settings.METRICS_PORT, settings.HOST) : undefined;
  await afterStart?.(rt);
  log.info({ jobs: running.workers.map((w) => w.name) }, `${name} started`);
  onShutdown(async () => {
    await running.close(settings.SHUTDOWN_GRACE_MS);
    await served?.close();
    await rt.close();
  }, log);
}
