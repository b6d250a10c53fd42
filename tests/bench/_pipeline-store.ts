import type { Settings } from '@radar/config';
import type { Logger } from '@radar/log';
import { runBatch, startWorkers, type Handler, type Handlers } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { openRuntime } from '@radar/runtime';
import { createTestDb, testQueuePrefix } from '@radar/testkit';
import { loadClassifier, type Classifier } from '../../packages/classifier/src/index.js';
import { classifierHandlers, signalRow } from '../../services/classifier/src/index.js';
import { benchArticles } from './_pipeline-fixture.js';

/**
 * The classifier stage alone (classify and store), catching up: `n` classify-article jobs for
 * stored bench articles are queued, then one worker with `concurrency` drains them, with the
 * batching handler (the jobs running at once read and written together) or a per-job one (one
 * article read and one upsert transaction per job, as the store stage did before batching).
 * Returns signals stored per second.
 */
function perJobHandler(rt: Runtime, classifier: Classifier): Handler<'classify-article'> {
  const versions = { taxonomyVersion: classifier.taxonomyVersion, classifierVersion: classifier.classifierVersion };
  return (payload, { queues }) =>
    runBatch('classify-article', payload, async (articleId) => {
      const article = await rt.repos.articles.get(articleId);
      if (!article) return 'skipped';
      const c = classifier.classify({ title: article.title ?? '', body: article.body ?? article.summary ?? '', lang: article.lang ?? undefined });
      const { id, created } = await rt.repos.signals.upsert(signalRow(article, c, versions));
      if (created) await queues.enqueue('match-alerts', { signalId: id });
      return created ? 'stored' : 'updated';
    });
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
    const handler = batched
      ? (await classifierHandlers(rt))['classify-article']
      : perJobHandler(rt, await loadClassifier({ taxonomyFile: s.TAXONOMY_FILE }));
    await rt.queues.enqueueBulk('classify-article', ids.map((articleId) => ({ articleId })));
    const common = { redisUrl: s.REDIS_URL, prefix: s.QUEUE_PREFIX, log, queues: rt.queues };
    const t0 = performance.now();
    const workers = startWorkers({ 'classify-article': handler } as Partial<Handlers>, { ...common, concurrency: { 'classify-article': concurrency } });
    while ((await rt.repos.signals.count()) < n) await new Promise((r) => setTimeout(r, 20));
    const perS = n / ((performance.now() - t0) / 1000);
    await workers.close(1000);
    return perS;
  } finally {
    await rt.queues.obliterate().catch(() => undefined);
    await rt.close();
    await tdb.cleanup();
  }
}
