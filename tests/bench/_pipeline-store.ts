import type { Settings } from '@radar/config';
import type { Logger } from '@radar/log';
import { startWorkers, type Handler, type Handlers } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { openRuntime } from '@radar/runtime';
import { createTestDb, testQueuePrefix } from '@radar/testkit';
import { classifierHandlers, signalRow } from '../../services/classifier/src/index.js';
import { benchArticles } from './_pipeline-fixture.js';

/**
 * The store stage alone, catching up: `n` store-signal jobs (real classifications of the bench
 * articles) are queued, then one store worker with `concurrency` drains them, with the batching
 * handler (the jobs running at once written together) or the per-job one it replaced. Returns
 * signals stored per second.
 */
/** The store handler as it was before batching: one article read and one upsert transaction per job. */
function perJobStore(rt: Runtime): Handler<'store-signal'> {
  return async ({ articleId, classification, taxonomyVersion, classifierVersion }, { queues }) => {
    const article = await rt.repos.articles.get(articleId);
    if (!article) return 'skipped';
    const { id, created } = await rt.repos.signals.upsert(signalRow(article, classification, { taxonomyVersion, classifierVersion }));
    if (created) await queues.enqueue('match-alerts', { signalId: id });
    return created ? 'stored' : 'updated';
  };
}

export async function storeDrain(settings: Settings, log: Logger, n: number, concurrency: number, batched = true): Promise<number> {
  const tdb = await createTestDb();
  const s: Settings = { ...settings, DATABASE_SCHEMA: tdb.schema, QUEUE_PREFIX: testQueuePrefix(), QUEUE_MAX_WAITING: 0 };
  const rt = await openRuntime(s, log, { schema: tdb.schema });
  try {
    const { feed } = await rt.repos.feeds.add('http://bench.example/feed.xml');
    const { main } = benchArticles(n, 1, 0, 1);
    const ids: number[] = [];
    for (let i = 0; i < main.length; i += 500) {
      const rows = main.slice(i, i + 500).map((a) => ({
        feed_id: feed.id,
        guid: a.slug,
        url: `http://bench.example/${a.slug}.html`,
        canonical_url: `http://bench.example/${a.slug}.html`,
        source: 'bench.example',
        title: a.title,
        body: a.paragraphs.join('\n'),
        lang: a.lang,
      }));
      ids.push(...(await rt.repos.articles.upsertManyFromFeed(rows)).map((r) => r.id));
    }
    const handlers = await classifierHandlers(rt);
    const common = { redisUrl: s.REDIS_URL, prefix: s.QUEUE_PREFIX, log, queues: rt.queues };
    // Classify everything first, so the store stage finds a full queue.
    const classify = startWorkers({ 'classify-article': handlers['classify-article'] } as Partial<Handlers>, { ...common, concurrency: { 'classify-article': 8 } });
    await rt.queues.enqueueBulk('classify-article', ids.map((articleId) => ({ articleId })));
    const storeQueue = rt.queues.queue('store-signal');
    while ((await storeQueue.getWaitingCount()) < n) await new Promise((r) => setTimeout(r, 100));
    await classify.close(1000);
    const t0 = performance.now();
    const store = startWorkers({ 'store-signal': batched ? handlers['store-signal'] : perJobStore(rt) } as Partial<Handlers>, { ...common, concurrency: { 'store-signal': concurrency } });
    while ((await rt.repos.signals.count()) < n) await new Promise((r) => setTimeout(r, 20));
    const perS = n / ((performance.now() - t0) / 1000);
    await store.close(1000);
    return perS;
  } finally {
    await rt.queues.obliterate().catch(() => undefined);
    await rt.close();
    await tdb.cleanup();
  }
}
