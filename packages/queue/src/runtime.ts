import { Queue, UnrecoverableError, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { MicroBatcher } from './batcher.js';
import { BATCHED, batchPayload, JOBS, JOB_NAMES, MAX_BATCH_ITEMS, type BatchedJob, type JobName, type Payload } from './catalog.js';

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
  /**
   * `handOn` batches (HANDOFF_LINGER_MS, HANDOFF_MAX_ITEMS): how long the first item waits for
   * others, and the most items one job carries (default: no wait, 50 items). `concurrency`:
   * jobs run at once per stage in this process. A batch also goes at once when it holds as many
   * items as the stage handing them on runs jobs: every one of them is then waiting on it, and
   * no more items can come until it goes.
   */
  handoff?: { lingerMs: number; maxItems: number; concurrency?: Partial<Record<JobName, number>> };
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

/**
 * The batches of `JobQueues.handOn`: items gathered for up to `lingerMs`, and at most
 * `maxItems`, MAX_BATCH_ITEMS or as many as the handing stage runs jobs at once (all of them are
 * then waiting on the batch), each batch passed to `send` as one payload.
 */
export function handoffBatcher<N extends BatchedJob>(
  name: N,
  opts: QueueOptions['handoff'],
  send: (payload: Payload<N>) => Promise<void>,
): MicroBatcher<number, void> {
  const { lingerMs = 0, maxItems = 50, concurrency = {} } = opts ?? {};
  return new MicroBatcher<number, void>(
    async (items) => {
      await send(batchPayload(name, [...new Set(items)]));
      return items.map(() => undefined);
    },
    { lingerMs, maxItems: Math.min(maxItems, MAX_BATCH_ITEMS, concurrency[BATCHED[name].from] ?? Infinity), maxInFlight: 4 },
  );
}

/** The producer side: one BullMQ Queue per stage, payloads validated before they are added. */
export class JobQueues {
  readonly connection: Redis;
  private readonly queues = new Map<JobName, Queue>();
  private readonly handoffs = new Map<BatchedJob, MicroBatcher<number, void>>();

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

  /**
   * Hands one item (an article, a signal) on to a batched stage. The items this process hands
   * on within HANDOFF_LINGER_MS go as one job (up to HANDOFF_MAX_ITEMS), so the next stage pays
   * BullMQ's per-job round trips once per batch rather than once per item. Resolves once the
   * job holding the item is in Redis: a handler that awaits it loses nothing if the process
   * dies. If a batch cannot be added, each of its items is tried alone, so one failure rejects
   * only its own call.
   */
  handOn(name: BatchedJob, item: number): Promise<void> {
    let batcher = this.handoffs.get(name);
    if (!batcher) {
      batcher = handoffBatcher(name, this.opts.handoff, async (payload) => void (await this.enqueue(name, payload)));
      this.handoffs.set(name, batcher);
    }
    return batcher.add(item);
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
