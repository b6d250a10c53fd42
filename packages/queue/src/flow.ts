import type { Worker } from 'bullmq';
import type { Logger } from '@radar/log';
import { NEXT_STAGE, type JobName } from './catalog.js';
import type { JobQueues } from './runtime.js';

/**
 * Why a worker is not taking jobs: back-pressure from the next stage, or a dependency that is
 * down. The worker pauses (locally: other processes decide for themselves) while any reason
 * holds and resumes when none does. Running jobs are never interrupted.
 */
export class PauseControl {
  private readonly reasons = new Set<string>();
  private closed = false;

  constructor(private readonly worker: Worker) {}

  set(reason: string, on: boolean): void {
    if (this.closed) return;
    const before = this.reasons.size > 0;
    if (on) this.reasons.add(reason);
    else this.reasons.delete(reason);
    const after = this.reasons.size > 0;
    if (after && !before) void this.worker.pause(true).catch(() => undefined);
    else if (!after && before) void this.worker.resume().catch(() => undefined);
  }

  /** Pauses for `ms` (a dependency is down: do not pull jobs only to put them back). */
  pauseFor(reason: string, ms: number): void {
    this.set(reason, true);
    setTimeout(() => this.set(reason, false), ms).unref();
  }

  close(): void {
    this.closed = true;
  }
}

/** Jobs queued and not yet running: waiting, prioritized and delayed (retries included). */
export async function backlog(queues: JobQueues, name: JobName): Promise<number> {
  const n = await queues.queue(name).getJobCountByTypes('wait', 'prioritized', 'delayed');
  return n;
}

/**
 * Back-pressure: while the next stage of `name` (NEXT_STAGE) has more than `maxWaiting` jobs
 * queued, this worker takes no new jobs; it resumes below 80% of the limit. So a slow stage
 * (the store, say) fills its own queue up to the limit, then the stage before it stops, and so
 * on up to the crawler, which leaves the articles in the feeds (and the due feeds in the
 * database) until there is room. Redis then holds at most about `maxWaiting` jobs per stage,
 * plus what the running jobs add when they finish (concurrency x processes, times the items of
 * a feed for the crawler). The count is one Redis round trip, made every `everyMs` and when a
 * job ends (after every other job while the next stage is far below its limit and the last
 * check is less than 50 ms old, after every job otherwise), so a fast stage cannot overshoot
 * much between two checks.
 */
export interface Gate {
  /**
   * A job ended: check again (throttled while far from the limit). Awaited before the job
   * completes, so a pause lands before BullMQ fetches this worker's next job with the completion.
   */
  poke(): Promise<void>;
  stop(): void;
}

export function gateOnNextStage(
  name: JobName,
  opts: { queues: JobQueues; maxWaiting: number; everyMs?: number; log: Logger },
  control: PauseControl,
): Gate {
  const next = NEXT_STAGE[name];
  if (!next || !opts.maxWaiting) return { poke: () => Promise.resolve(), stop: () => {} };
  let full = false;
  let stopped = false;
  let last = 0;
  let lastAt = 0;
  let skipped = 0;
  const once = async (): Promise<void> => {
    if (stopped) return;
    lastAt = Date.now();
    skipped = 0;
    try {
      const n = await backlog(opts.queues, next);
      last = n;
      if (!full && n > opts.maxWaiting) {
        full = true;
        opts.log.info({ next, queued: n, limit: opts.maxWaiting }, 'next stage is full; taking no new jobs');
      } else if (full && n <= opts.maxWaiting * 0.8) {
        full = false;
        opts.log.info({ next, queued: n }, 'next stage has room again');
      }
      control.set('back-pressure', full);
    } catch {
      // Redis unreachable: the workers wait for it anyway.
    }
  };
  // One check at a time, in order.
  let chain = Promise.resolve();
  const check = (): Promise<void> => (chain = chain.then(once));
  const timer = setInterval(() => void check(), opts.everyMs ?? 500);
  timer.unref();
  void check();
  return {
    // One job end may pass unchecked after a check made less than 50 ms before, far below the
    // limit; not two: job ends come in bursts (a batch written, an event loop that was busy),
    // and a crawler job adds a whole feed, so a burst let through on one stale count overshot.
    poke: () => {
      if (last < opts.maxWaiting / 2 && Date.now() - lastAt < 50 && skipped < 1) {
        skipped++;
        return Promise.resolve();
      }
      return check();
    },
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
