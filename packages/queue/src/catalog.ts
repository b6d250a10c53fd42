import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

/**
 * The job catalog: every stage of the pipeline, its queue, payload schema, options and job id.
 * A handler map typed from this catalog makes a missing handler or a wrong payload a compile
 * error. Payloads only grow: new fields are optional, with a comment saying why.
 *
 *   poll-feeds -> fetch-feed -> extract-article -> classify-article -> match-alerts -> deliver-alert
 *
 * Each stage has its own queue, so each can be scaled (more workers, more machines) and retried
 * on its own. A queue sits where work needs its own scaling or retry, not between every two
 * functions: classify-article also stores the signal. Job ids are deterministic: enqueueing the
 * same work twice adds one job.
 */

const id = z.number().int().positive();

/** How long completed jobs stay (for dedup of repeated adds and for inspection). */
const keepCompleted = { age: 3600, count: 5000 };
/** Failed jobs are kept after their last attempt, for `pnpm radar failed [--retry]`. */
const keepFailed = { count: 100_000 };

const base = (attempts: number, delayMs: number): JobsOptions => ({
  attempts,
  // Exponential from delayMs, and never sooner than a server's Retry-After (transient.ts).
  backoff: { type: 'radar', delay: delayMs },
  removeOnComplete: keepCompleted,
  removeOnFail: keepFailed,
});

export const JOBS = {
  'poll-feeds': {
    queue: 'poll',
    schema: z.object({ at: z.string().optional() }),
    jobId: (p: { at?: string | undefined }) => `poll-${p.at ?? 'now'}`,
    options: { ...base(1, 1000), removeOnFail: { count: 100 } },
    /** Longest a handler may run before the job is failed (and retried). */
    timeoutMs: 60_000,
  },
  'fetch-feed': {
    queue: 'feed',
    // `lease` is the next_poll_at the scheduler claimed: one job per (feed, poll).
    schema: z.object({ feedId: id, lease: z.string() }),
    jobId: (p: { feedId: number; lease: string }) => `feed-${p.feedId}-${p.lease}`,
    options: base(3, 5000),
    timeoutMs: 120_000,
  },
  'extract-article': {
    queue: 'extract',
    schema: z.object({ articleId: id }),
    jobId: (p: { articleId: number }) => `extract-${p.articleId}`,
    options: base(4, 5000),
    timeoutMs: 120_000,
  },
  // Classifies the article and upserts its signal (one per article), then hands a new signal to
  // alert matching.
  'classify-article': {
    queue: 'classify',
    // `run` distinguishes a reclassification run from the first classification.
    schema: z.object({ articleId: id, run: z.string().optional() }),
    jobId: (p: { articleId: number; run?: string | undefined }) => `classify-${p.articleId}${p.run ? `-${p.run}` : ''}`,
    // As many attempts as the store stage had: a failed upsert (PostgreSQL trouble) retries here.
    options: base(8, 2000),
    timeoutMs: 30_000,
  },
  'match-alerts': {
    queue: 'alerts',
    schema: z.object({ signalId: id }),
    jobId: (p: { signalId: number }) => `match-${p.signalId}`,
    options: base(5, 2000),
    timeoutMs: 30_000,
  },
  'deliver-alert': {
    queue: 'deliver',
    schema: z.object({ alertId: id, channelId: id }),
    jobId: (p: { alertId: number; channelId: number }) => `deliver-${p.alertId}-${p.channelId}`,
    options: base(8, 10_000),
    timeoutMs: 60_000,
  },
  // Repeatable: finds the subscriptions whose digest is due (the database decides, not a timer
  // per subscription) and fans each digest out to its channels.
  'send-digests': {
    queue: 'digests',
    schema: z.object({ at: z.string().optional() }),
    jobId: (p: { at?: string | undefined }) => `digests-${p.at ?? 'now'}`,
    options: { ...base(1, 1000), removeOnFail: { count: 100 } },
    timeoutMs: 60_000,
  },
  // One digest message (several stories) on one channel; like deliver-alert, one job per
  // channel. Its own queue: a worker takes every job of its queue as its own job name.
  'deliver-digest': {
    queue: 'deliver-digest',
    schema: z.object({ digestId: id, channelId: id }),
    jobId: (p: { digestId: number; channelId: number }) => `digest-${p.digestId}-${p.channelId}`,
    options: base(8, 10_000),
    timeoutMs: 60_000,
  },
} as const;

export type JobName = keyof typeof JOBS;
export type Payload<N extends JobName> = z.output<(typeof JOBS)[N]['schema']>;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];
export const QUEUE_NAMES = [...new Set(Object.values(JOBS).map((j) => j.queue))];

/**
 * The stage each stage feeds, for back-pressure (flow.ts): a stage takes no new jobs while its
 * next stage's queue is over QUEUE_MAX_WAITING. Alert matching is left out on purpose: a stopped
 * alerter must not stop signals from being stored (its backlog is one small job per signal).
 */
export const NEXT_STAGE: Partial<Record<JobName, JobName>> = {
  'poll-feeds': 'fetch-feed',
  'fetch-feed': 'extract-article',
  'extract-article': 'classify-article',
};

/** Which jobs each service runs; `pnpm start` runs them all. */
export const SERVICE_JOBS = {
  crawler: ['poll-feeds', 'fetch-feed'],
  extractor: ['extract-article'],
  classifier: ['classify-article'],
  alerter: ['match-alerts', 'deliver-alert', 'send-digests', 'deliver-digest'],
} as const satisfies Record<string, readonly JobName[]>;
export type ServiceName = keyof typeof SERVICE_JOBS;
