import type { Settings } from '@radar/config';
import type { Logger } from '@radar/log';
import {
  batchItems,
  handoffBatcher,
  type MicroBatcher,
  JobQueues,
  runBatch,
  startWorkers,
  type BatchedJob,
  type HandlerContext,
  type Handlers,
  type JobName,
  type Payload,
} from '@radar/queue';
import { concurrencyFrom, openRuntime } from '@radar/runtime';
import { createTestDb, TEST_REDIS_URL, testQueuePrefix } from '@radar/testkit';
// The real handlers, built here without Redis: imported by path (tests/ does not depend on the services).
import { createFetcher } from '../../packages/feeds/src/index.js';
import { fetchFeed } from '../../services/crawler/src/handlers/fetch-feed.js';
import { pollFeeds } from '../../services/crawler/src/handlers/poll-feeds.js';
import { extractArticleHandler } from '../../services/extractor/src/handlers/extract-article.js';
import { classifierHandlers } from '../../services/classifier/src/index.js';
import { matchAlerts } from '../../services/alerter/src/handlers/match-alerts.js';
import { IndexCache } from '../../services/alerter/src/index-cache.js';
import { analyzeSchema } from './_pipeline-fixture.js';

type Stage = 'poll-feeds' | 'fetch-feed' | 'extract-article' | 'classify-article' | 'match-alerts';

/**
 * Stages run in this process with no queue: `enqueue` puts the payload on an in-memory list
 * that the next stage drains with the same concurrency the workers have. So the handlers do
 * exactly the work they do in the pipeline (HTTP, parse, extract, classify, SQL), and only
 * BullMQ, Redis and the process boundaries are missing.
 */
class InMemoryStages {
  private readonly lists = new Map<Stage, unknown[]>();
  private readonly running = new Map<Stage, number>();
  private readonly handoffs = new Map<BatchedJob, MicroBatcher<number, void>>();
  private readonly ctx: HandlerContext;
  private idleWaiters: (() => void)[] = [];
  failures: string[] = [];

  constructor(
    private readonly handlers: Pick<Handlers, Stage>,
    private readonly concurrency: Record<JobName, number>,
    log: Logger,
    private readonly handoff: { lingerMs: number; maxItems: number },
  ) {
    const job = { attemptsMade: 0, attemptsStarted: 1, opts: { attempts: 1 }, id: 'in-memory' } as unknown as HandlerContext['job'];
    this.ctx = { job, log, signal: new AbortController().signal, queues: this as unknown as JobQueues, rerun: false };
  }

  async enqueue<N extends Stage>(name: N, payload: Payload<N>): Promise<string> {
    this.push(name, [payload]);
    return 'in-memory';
  }

  async enqueueBulk<N extends Stage>(name: N, payloads: Payload<N>[]): Promise<void> {
    this.push(name, payloads);
  }

  /**
   * Batched as in the pipeline (same linger, same caps): a queue hop costs nothing here, but
   * the next stage's handlers read and write a job's items together, and that work is part of
   * what this ceiling measures.
   */
  handOn(name: BatchedJob, item: number): Promise<void> {
    let b = this.handoffs.get(name);
    if (!b) {
      b = handoffBatcher(name, { ...this.handoff, concurrency: this.concurrency }, async (payload) => this.push(name, [payload]));
      this.handoffs.set(name, b);
    }
    return b.add(item);
  }

  private push(name: Stage, payloads: unknown[]): void {
    // match-alerts is the last stage measured; deliveries (none: no subscriptions) are not run.
    if (!(name in this.handlers)) return;
    const list = this.lists.get(name) ?? [];
    list.push(...payloads);
    this.lists.set(name, list);
    this.pump(name);
  }

  private pump(name: Stage): void {
    const list = this.lists.get(name) ?? [];
    while (list.length && (this.running.get(name) ?? 0) < (this.concurrency[name] ?? 1)) {
      const payload = list.shift();
      this.running.set(name, (this.running.get(name) ?? 0) + 1);
      const handler = this.handlers[name] as (p: unknown, c: HandlerContext) => Promise<string>;
      void handler(payload, this.ctx)
        .catch((err: unknown) => void this.failures.push(`${name}: ${(err as Error).message}`))
        .finally(() => {
          this.running.set(name, (this.running.get(name) ?? 0) - 1);
          this.pump(name);
          if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
        });
    }
  }

  private isIdle(): boolean {
    return [...this.lists.values()].every((l) => !l.length) && [...this.running.values()].every((n) => n === 0);
  }

  idle(): Promise<void> {
    return this.isIdle() ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }
}

/**
 * Ceiling (a): the same parse, extract, classify and store work for the same articles, served
 * by the same site, in this one process with no queue, into a schema of its own.
 */
export async function computeCeiling(
  settings: Settings,
  log: Logger,
  feedUrls: string[],
  expected: number,
  warmupUrls: string[] = [],
  analyze = true,
): Promise<{ perS: number; seconds: number; stored: number; cpuMsPerArticle: number; failures: string[] }> {
  const tdb = await createTestDb();
  // No back-pressure checks: there are no queues to look at.
  const s: Settings = { ...settings, DATABASE_SCHEMA: tdb.schema, QUEUE_MAX_WAITING: 0 };
  const rt = await openRuntime(s, log, { schema: tdb.schema });
  // Per-host limits held in this process (no Redis): the ceiling has no distributed parts.
  const fetcher = createFetcher(s, null);
  try {
    const classify = await classifierHandlers(rt);
    const handlers: Pick<Handlers, Stage> = {
      'poll-feeds': pollFeeds(rt),
      'fetch-feed': fetchFeed(rt, fetcher),
      'extract-article': extractArticleHandler(rt, fetcher),
      ...classify,
      'match-alerts': matchAlerts(rt, new IndexCache(rt.repos, s.ALERT_INDEX_REFRESH_MS, log)),
    };
    const stages = new InMemoryStages(handlers, concurrencyFrom(s), log, { lingerMs: s.HANDOFF_LINGER_MS, maxItems: s.HANDOFF_MAX_ITEMS });
    // The warm-up feeds first, untimed, as the pipeline's processes get theirs.
    for (const url of warmupUrls) await rt.repos.feeds.add(url);
    if (warmupUrls.length) {
      await stages.enqueue('poll-feeds', {});
      await stages.idle();
      if (analyze) await analyzeSchema(rt.dbh.db);
    }
    const warm = await rt.repos.signals.count();
    for (const url of feedUrls) await rt.repos.feeds.add(url);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await stages.enqueue('poll-feeds', {});
    await stages.idle();
    const cpu = process.cpuUsage(cpu0);
    const seconds = (performance.now() - t0) / 1000;
    const stored = (await rt.repos.signals.count()) - warm;
    if (stored !== expected) log.warn({ stored, expected }, 'ceiling (a) stored a different number of signals');
    // This process also serves the site's pages: that CPU is counted here too.
    return { perS: stored / seconds, seconds, stored, cpuMsPerArticle: (cpu.user + cpu.system) / 1000 / stored, failures: stages.failures.slice(0, 10) };
  } finally {
    await fetcher.close();
    await rt.close();
    await tdb.cleanup();
  }
}

/**
 * Ceiling (b): BullMQ alone. No-op jobs take the pipeline's path through the same queues, job
 * options and worker wrapper (`startWorkers`), with the same concurrency per stage: one
 * fetch-feed job per feed fans out `perFeed` extract jobs, each handing its article on to
 * classify (which stores), which hands its signals on to match-alerts, in batches as the
 * pipeline does (HANDOFF_LINGER_MS). Workers run in this process (on 2 cores a second process
 * adds nothing).
 */
export async function queueCeiling(settings: Settings, log: Logger, feeds: number, perFeed: number): Promise<{ perS: number; seconds: number }> {
  const prefix = testQueuePrefix();
  const queues = new JobQueues({ redisUrl: TEST_REDIS_URL, prefix, handoff: { lingerMs: settings.HANDOFF_LINGER_MS, maxItems: settings.HANDOFF_MAX_ITEMS, concurrency: concurrencyFrom(settings) } });
  let done = 0;
  const total = feeds * perFeed;
  let finished!: () => void;
  const all = new Promise<void>((r) => (finished = r));
  let next = 1;
  const handlers: Pick<Handlers, 'fetch-feed' | 'extract-article' | 'classify-article' | 'match-alerts'> = {
    'fetch-feed': async (_p, { queues: q }) => {
      const ids = Array.from({ length: perFeed }, () => next++);
      await q.enqueueBulk('extract-article', ids.map((articleId) => ({ articleId })));
      return 'done';
    },
    'extract-article': async ({ articleId }, { queues: q }) => (await q.handOn('classify-article', articleId), 'done'),
    'classify-article': (p, { queues: q }) => runBatch('classify-article', p, async (articleId) => (await q.handOn('match-alerts', articleId), 'done')),
    'match-alerts': async (p) => {
      done += batchItems('match-alerts', p).length;
      if (done === total) finished();
      return 'done';
    },
  };
  const workers = startWorkers(handlers, { redisUrl: TEST_REDIS_URL, prefix, log, queues, concurrency: concurrencyFrom(settings) });
  try {
    const t0 = performance.now();
    await queues.enqueueBulk('fetch-feed', Array.from({ length: feeds }, (_, i) => ({ feedId: i + 1, lease: 'bench' })));
    await all;
    const seconds = (performance.now() - t0) / 1000;
    return { perS: total / seconds, seconds };
  } finally {
    await workers.close(1000);
    await queues.obliterate().catch(() => undefined);
    await queues.close();
  }
}

/**
 * What one job costs in CPU (producer and worker, both in this process) when it arrives alone at
 * an idle worker ('trickle', as jobs reach a stage faster than the stage before it) and when the
 * worker finds a backlog ('bulk', as in ceiling (b)): an idle worker blocks on Redis and every
 * job wakes it, while a busy one takes the next job with the completion of the last.
 */
export async function queueTrickle(log: Logger, n = 1000): Promise<{ trickleMs: number; bulkMs: number }> {
  const out = { trickleMs: 0, bulkMs: 0 };
  for (const mode of ['trickle', 'bulk'] as const) {
    const prefix = testQueuePrefix();
    const queues = new JobQueues({ redisUrl: TEST_REDIS_URL, prefix });
    let done = 0;
    const workers = startWorkers({ 'match-alerts': async () => (done++, 'done') }, { redisUrl: TEST_REDIS_URL, prefix, log, queues, concurrency: { 'match-alerts': 8 } });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const c0 = process.cpuUsage();
      if (mode === 'bulk') await queues.enqueueBulk('match-alerts', Array.from({ length: n }, (_, i) => ({ signalId: i + 1 })));
      else {
        for (let i = 0; i < n; i++) {
          await queues.enqueue('match-alerts', { signalId: i + 1 });
          await new Promise((r) => setTimeout(r, 2));
        }
      }
      while (done < n) await new Promise((r) => setTimeout(r, 10));
      const c = process.cpuUsage(c0);
      out[mode === 'bulk' ? 'bulkMs' : 'trickleMs'] = (c.user + c.system) / 1000 / n;
    } finally {
      await workers.close(500);
      await queues.obliterate().catch(() => undefined);
      await queues.close();
    }
  }
  return out;
}
