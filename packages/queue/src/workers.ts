import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@radar/log';
import { JOBS, type JobName, type Payload } from './catalog.js';
import { gateOnNextStage, PauseControl, type Gate } from './flow.js';
import { redisConnection, type JobQueues, type QueueOptions } from './runtime.js';
import { backoffDelay, isDependencyDown } from './transient.js';

export interface HandlerContext {
  job: Job;
  log: Logger;
  /** Aborted when the job exceeds its timeout or the worker is shutting down hard. */
  signal: AbortSignal;
  queues: JobQueues;
  /**
   * True when this job has run before: a failed attempt, but also a run put back to wait
   * because PostgreSQL or Redis was down (which spends no attempt, so `job.attemptsMade` stays
   * 0) or a run whose worker died. Such a run may have done part of its work already, e.g.
   * committed rows and then lost the connection before the next statement, and must not skip
   * what the earlier run did but did not hand on.
   */
  rerun: boolean;
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
  /**
   * Back-pressure (QUEUE_MAX_WAITING): a stage takes no new jobs while its next stage has more
   * than this many queued. 0 (the default here) turns it off.
   */
  maxWaiting?: number;
  /** How long a job whose database or Redis was unreachable waits before it runs again (default 5000 ms). */
  dependencyRetryMs?: number;
  /** Ports PostgreSQL and Redis listen on, to tell their refused connections from a receiver's. */
  dependencyPorts?: number[];
}

export interface RunningWorkers {
  workers: Worker[];
  /**
   * Stops taking jobs, waits up to graceMs for the running ones, then releases the rest: they go
   * back to wait at once (for another worker, or this one after a restart) and their handlers
   * see their signal aborted.
   */
  close(graceMs?: number): Promise<void>;
}

class JobTimeoutError extends Error {
  constructor(name: string, ms: number) {
    super(`${name} timed out after ${ms} ms`);
    this.name = 'JobTimeoutError';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** BullMQ counts a start each time the job moves to active (`attemptsStarted`, this run included). */
export function ranBefore(job: Pick<Job, 'attemptsStarted' | 'attemptsMade'>): boolean {
  return job.attemptsStarted > 1 || job.attemptsMade > 0;
}

/**
 * Starts one BullMQ worker per handler given. The process refuses to start a job name that has
 * no handler in the catalog, and each payload is validated before its handler sees it; an
 * invalid payload fails at once (no retry can fix it).
 *
 * Failures: an error saying PostgreSQL or Redis is unreachable puts the job back to wait
 * without spending an attempt (and this worker pulls no jobs for a moment), so an outage
 * delays work instead of failing it for good; other errors are retried with the catalog's
 * backoff, never sooner than a server's Retry-After.
 */
export function startWorkers(handlers: Partial<Handlers>, opts: WorkerOptions): RunningWorkers {
  const workers: Worker[] = [];
  const connections: Redis[] = [];
  const controls: PauseControl[] = [];
  const gates: Gate[] = [];
  const active = new Map<string, { job: Job; token: string | undefined; ac: AbortController }>();
  const dependencyRetryMs = opts.dependencyRetryMs ?? 5000;
  for (const [name, handler] of Object.entries(handlers) as [JobName, Handler<JobName>][]) {
    const spec = JOBS[name];
    if (!spec) throw new Error(`no job named ${name} in the catalog`);
    const log = opts.log.child({ stage: name });
    const connection = redisConnection(opts.redisUrl, 'worker');
    connections.push(connection);
    // Made once the worker exists; its processor only runs after that.
    const ref: { control?: PauseControl; gate?: Gate } = {};
    const worker = new Worker(
      spec.queue,
      async (job: Job, token?: string) => {
        const parsed = spec.schema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.message}`);
        const ac = new AbortController();
        const key = `${spec.queue}:${job.id}`;
        active.set(key, { job, token, ac });
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
            handler(parsed.data as Payload<JobName>, { job, log: jobLog, signal: ac.signal, queues: opts.queues, rerun: ranBefore(job) }),
            timeout,
          ]);
          opts.onJobEnd?.(name, performance.now() - t0, 'completed', status);
          jobLog.debug({ status, ms: Math.round(performance.now() - t0) }, 'job done');
          return status;
        } catch (err) {
          opts.onJobEnd?.(name, performance.now() - t0, 'failed');
          if (!(err instanceof UnrecoverableError) && !ac.signal.aborted && isDependencyDown(err, opts.dependencyPorts)) {
            // Not the job's fault: back to wait for the dependency, its attempts untouched.
            ref.control?.pauseFor('dependency-down', dependencyRetryMs);
            const moved = await job.moveToDelayed(Date.now() + Math.round(dependencyRetryMs * (0.5 + Math.random())), token).then(
              () => true,
              () => false, // Redis is down too: fail as usual; the job comes back when its lock lapses.
            );
            if (moved) {
              jobLog.warn({ err: (err as Error).message }, 'a dependency is down; job waits for it');
              throw new DelayedError();
            }
          }
          const final = err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          jobLog[final ? 'error' : 'warn'](
            { err: (err as Error).message, attempt: job.attemptsMade + 1, final },
            final ? 'job failed for good' : 'job failed, will retry',
          );
          throw err;
        } finally {
          clearTimeout(timer);
          active.delete(key);
          await ref.gate?.poke();
        }
      },
      {
        connection,
        prefix: opts.prefix,
        concurrency: opts.concurrency[name] ?? 1,
        lockDuration: opts.lockDurationMs ?? 30_000,
        stalledInterval: Math.max(1000, Math.floor((opts.lockDurationMs ?? 30_000) / 2)),
        maxStalledCount: 3,
        autorun: true,
        settings: {
          // The catalog's backoff type `radar`: exponential, but never before a Retry-After.
          backoffStrategy: (attemptsMade, _type, err, job) =>
            backoffDelay(attemptsMade, (job?.opts.backoff as { delay?: number } | undefined)?.delay ?? 1000, err),
        },
      },
    );
    worker.on('error', (err) => log.warn({ err: err.message }, 'worker error'));
    const control = new PauseControl(worker);
    ref.control = control;
    controls.push(control);
    ref.gate = gateOnNextStage(name, { queues: opts.queues, maxWaiting: opts.maxWaiting ?? 0, log }, control);
    gates.push(ref.gate);
    workers.push(worker);
  }
  return {
    workers,
    async close(graceMs = 20_000) {
      for (const g of gates) g.stop();
      for (const c of controls) c.close();
      // Stop taking jobs, then give the running ones their grace. (Worker.close() would wait for
      // them however long they take, and a later close(true) would wait on that same promise.)
      await Promise.all(workers.map((w) => w.pause(true).catch(() => undefined)));
      const deadline = Date.now() + graceMs;
      while (active.size && Date.now() < deadline) await sleep(50);
      if (active.size) {
        opts.log.warn({ jobs: active.size }, 'releasing jobs still running after the shutdown grace');
        await Promise.all(
          [...active.values()].map(async ({ job, token, ac }) => {
            ac.abort(new Error('worker shutting down'));
            await job.moveToWait(token).catch(() => undefined);
          }),
        );
        await Promise.all(workers.map((w) => w.close(true)));
      } else {
        await Promise.all(workers.map((w) => w.close()));
      }
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
