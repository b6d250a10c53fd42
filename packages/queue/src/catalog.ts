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
 * same work twice adds one job. classify-article and match-alerts jobs carry one item or a batch
 * handed on together (BATCHED, JobQueues.handOn).
 */

const id = z.number().int().positive();

/** Most items one job of a batched stage carries (HANDOFF_MAX_ITEMS is capped by this). */
export const MAX_BATCH_ITEMS = 500;

/** Exactly one of the single-item field or the batch field (see BATCHED). */
const oneOrMany = (one: string, many: string) => (p: Record<string, unknown>) => (p[one] === undefined) !== (p[many] === undefined);
const ids = z.array(id).min(1).max(MAX_BATCH_ITEMS);

/** A short, stable digest of a batch's ids, for its job id. */
function digest(ids: readonly number[]): string {
  let h = 0x811c9dc5;
  for (const n of ids) h = Math.imul(h ^ n, 0x01000193) >>> 0;
  return h.toString(36);
}
const batchJobId = (prefix: string, ids: readonly number[]) => `${prefix}-${ids[0]}+${ids.length - 1}-${digest(ids)}`;

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
    // `run` distinguishes a reclassification run from the first classification. `articleIds`:
    // a batch handed on together by one extractor process (JobQueues.handOn).
    schema: z
      .object({ articleId: id.optional(), articleIds: ids.optional(), run: z.string().optional() })
      .refine(oneOrMany('articleId', 'articleIds'), { error: 'exactly one of articleId or articleIds' }),
    jobId: (p: { articleId?: number | undefined; articleIds?: number[] | undefined; run?: string | undefined }) =>
      `${p.articleIds ? batchJobId('classify', p.articleIds) : `classify-${p.articleId}`}${p.run ? `-${p.run}` : ''}`,
    // As many attempts as the store stage had: a failed upsert (PostgreSQL trouble) retries here.
    options: base(8, 2000),
    timeoutMs: 30_000,
  },
  'match-alerts': {
    queue: 'alerts',
    // `signalIds`: a batch handed on together by one classifier process (JobQueues.handOn).
    schema: z
      .object({ signalId: id.optional(), signalIds: ids.optional() })
      .refine(oneOrMany('signalId', 'signalIds'), { error: 'exactly one of signalId or signalIds' }),
    jobId: (p: { signalId?: number | undefined; signalIds?: number[] | undefined }) =>
      p.signalIds ? batchJobId('match', p.signalIds) : `match-${p.signalId}`,
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

/**
 * The stages whose jobs carry one item or a batch, the fields that hold them, and the stage
 * whose jobs hand the items on (each of its jobs hands on one item, or several).
 */
export const BATCHED = {
  'classify-article': { one: 'articleId', many: 'articleIds', from: 'extract-article' },
  'match-alerts': { one: 'signalId', many: 'signalIds', from: 'classify-article' },
} as const satisfies Partial<Record<JobName, { one: string; many: string; from: JobName }>>;
export type BatchedJob = keyof typeof BATCHED;

/** The payload that carries `items` (a batch of one is the single-item form, as before batches). */
export function batchPayload<N extends BatchedJob>(name: N, items: readonly number[]): Payload<N> {
  const { one, many } = BATCHED[name];
  return (items.length === 1 ? { [one]: items[0] } : { [many]: [...items] }) as Payload<N>;
}

/** The items a job of a batched stage carries, one or many. */
export function batchItems<N extends BatchedJob>(name: N, payload: Payload<N>): number[] {
  const { one, many } = BATCHED[name];
  const p = payload as Record<string, unknown>;
  return (p[many] as number[] | undefined) ?? [p[one] as number];
}
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
