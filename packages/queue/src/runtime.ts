import { Queue, Worker, UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@radar/log';
import { JOBS, JOB_NAMES, type JobName, type Payload } from './catalog.js';

export { UnrecoverableError };

/**
 * A Redis connection for BullMQ. Workers block on Redis and must wait for it forever
 * (`maxRetriesPerRequest: null`); producers fail fast so an HTTP request or a CLI command does
 * not hang when Redis is down.
 */
export function redisConnection(url: string, role: 'worker' | 'producer'): Redis {
  const opts: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5000 };
  const redis = new Redis(url, { ...opts, lazyConnect: false });
  // Connection errors are retried by ioredis; the 'error' listener keeps them from crashing.
  redis.on('error', () => {});
  return redis;
}

export interface QueueOptions {
  redisUrl: string;
  prefix: string;
}

export interface FailedJob {
  queue: string;
  name: JobName;
  id: string;
  data: unknown;
  attemptsMade: number;
  failedReason: string;
  finishedOn: number | undefined;
}

/** The producer side: one BullMQ Queue per stage, payloads validated before they are added. */
export class JobQueues {
  readonly connection: Redis;
  private readonly queues = new Map<JobName, Queue>();

  constructor(readonly opts: QueueOptions) {
    this.connection = redisConnection(opts.redisUrl, 'producer');
  }

  queue(name: JobName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(JOBS[name].queue, { connection: this.connection, prefix: this.opts.prefix });
      q.on('error', () => {});
      this.queues.set(name, q);
    }
    return q;
  }

  /** Adds one job; the job id comes from the catalog, so adding the same work twice is harmless. */
  async enqueue<N extends JobName>(name: N, payload: Payload<N>, opts: JobsOptions = {}): Promise<string> {
    const spec = JOBS[name];
    const data = spec.schema.parse(payload) as Payload<N>;
    const jobId = (spec.jobId as (p: Payload<N>) => string)(data);
    await this.queue(name).add(name, data, { ...spec.options, ...opts, jobId });
    return jobId;
  }

  /** Adds many jobs of one stage in one round trip. */
  async enqueueBulk<N extends JobName>(name: N, payloads: Payload<N>[]): Promise<void> {
    if (!payloads.length) return;
    const spec = JOBS[name];
    const jobs = payloads.map((p) => {
      const data = spec.schema.parse(p) as Payload<N>;
      return { name, data, opts: { ...spec.options, jobId: (spec.jobId as (p: Payload<N>) => string)(data) } };
    });
    await this.queue(name).addBulk(jobs);
  }

  /** Waiting + delayed + active + prioritized jobs per stage. */
  async depths(): Promise<Record<JobName, Record<string, number>>> {
    const out = {} as Record<JobName, Record<string, number>>;
    for (const name of JOB_NAMES) {
      out[name] = await this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized', 'completed');
    }
    return out;
  }

  /** Jobs that failed after their last attempt, oldest first. */
  async failed(limit = 1000): Promise<FailedJob[]> {
    const out: FailedJob[] = [];
    for (const name of JOB_NAMES) {
      const jobs = await this.queue(name).getFailed(0, limit - 1);
      for (const j of jobs) {
        if (!j?.id) continue;
        out.push({
          queue: JOBS[name].queue,
          name,
          id: j.id,
          data: j.data,
          attemptsMade: j.attemptsMade,
          failedReason: j.failedReason,
          finishedOn: j.finishedOn,
        });
      }
    }
    return out.sort((a, b) => (a.finishedOn ?? 0) - (b.finishedOn ?? 0));
  }

  /** Re-runs failed jobs (all, or those of one stage); returns how many were retried. */
  async retryFailed(only?: JobName): Promise<number> {
    let n = 0;
    for (const name of only ? [only] : JOB_NAMES) {
      const jobs = await this.queue(name).getFailed(0, -1);
      for (const j of jobs) {
        if (!j) continue;
        await j.retry('failed');
        n++;
      }
    }
    return n;
  }

  /** Removes every queue and its keys (tests). */
  async obliterate(): Promise<void> {
    for (const name of JOB_NAMES) await this.queue(name).obliterate({ force: true });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

export interface HandlerContext {
  job: Job;
  log: Logger;
  /** Aborted when the job exceeds its timeout or the worker is shutting down hard. */
  signal: AbortSignal;
  queues: JobQueues;
}

/** What a handler reports; logged with the job. */
export type JobStatus = 'done' | 'skipped' | 'unchanged' | 'failed-permanently' | (string & {});

export type Handler<N extends JobName> = (payload: Payload<N>, ctx: HandlerContext) => Promise<JobStatus>;
export type Handlers = { [N in JobName]: Handler<N> };

export interface WorkerOptions extends QueueOptions {
  log: Logger;
  queues: JobQueues;
  /** Jobs run at once per stage in this process. */
  concurrency: Partial<Record<JobName, number>>;
  /** How long a job's lock lasts; a crashed worker's job comes back after about this long. */
  lockDurationMs?: number;
  /** Called after each job, for metrics. */
  onJobEnd?: (name: JobName, ms: number, outcome: 'completed' | 'failed', status?: string) => void;
}

export interface RunningWorkers {
  workers: Worker[];
  /** Stops taking jobs, waits up to graceMs for running ones, then releases the rest. */
  close(graceMs?: number): Promise<void>;
}

class JobTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`${name} timed out after ${ms} ms`);
    this.name = 'JobTimeoutError';
  }
}

/**
 * Starts one BullMQ worker per handler given. The process refuses to start a job name that has
 * no handler in the catalog, and each payload is validated before its handler sees it; an
 * invalid payload fails at once (no retry can fix it).
 */
export function startWorkers(handlers: Partial<Handlers>, opts: WorkerOptions): RunningWorkers {
  const workers: Worker[] = [];
  const connections: Redis[] = [];
  for (const [name, handler] of Object.entries(handlers) as [JobName, Handler<JobName>][]) {
    const spec = JOBS[name];
    if (!spec) throw new Error(`no job named ${name} in the catalog`);
    const log = opts.log.child({ stage: name });
    const worker = new Worker(
      spec.queue,
      async (job: Job) => {
        const parsed = spec.schema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
        const ac = new AbortController();
        const jobLog = log.child({ jobId: job.id });
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            ac.abort(new JobTimeoutError(name, spec.timeoutMs));
            reject(new JobTimeoutError(name, spec.timeoutMs));
          }, spec.timeoutMs);
        });
        const t0 = performance.now();
        try {
          const status = await Promise.race([
            handler(parsed.data as Payload<JobName>, { job, log: jobLog, signal: ac.signal, queues: opts.queues }),
            timeout,
          ]);
          opts.onJobEnd?.(name, performance.now() - t0, 'completed', status);
          jobLog.debug({ status, ms: Math.round(performance.now() - t0) }, 'job done');
          return status;
        } catch (err) {
          opts.onJobEnd?.(name, performance.now() - t0, 'failed');
          const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          jobLog[final ? 'error' : 'warn'](
            { err: (err as Error).message, attempt: job.attemptsMade + 1, final },
            final ? 'job failed for good' : 'job failed, will retry',
          );
          throw err;
        } finally {
          clearTimeout(timer);
        }
      },
      {
        connection: (() => {
          const c = redisConnection(opts.redisUrl, 'worker');
          connections.push(c);
          return c;
        })(),
        prefix: opts.prefix,
        concurrency: opts.concurrency[name] ?? 1,
        lockDuration: opts.lockDurationMs ?? 30_000,
        stalledInterval: Math.max(1000, Math.floor((opts.lockDurationMs ?? 30_000) / 2)),
        maxStalledCount: 3,
        autorun: true,
      },
    );
    worker.on('error', (err) => log.warn({ err: err.message }, 'worker error'));
    workers.push(worker);
  }
  return {
    workers,
    async close(graceMs = 20_000) {
      const graceful = Promise.all(workers.map((w) => w.close()));
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'expired'>((r) => (timer = setTimeout(() => r('expired'), graceMs)));
      const outcome = await Promise.race([graceful.then(() => 'closed' as const), expired]);
      clearTimeout(timer);
      // Jobs still running after the grace period are released: their lock lapses and another
      // worker (or this one after a restart) picks them up as stalled jobs.
      if (outcome === 'expired') await Promise.all(workers.map((w) => w.close(true)));
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
