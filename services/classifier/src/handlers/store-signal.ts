import { MicroBatcher, type Handler, type Payload } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { signalRow } from '../signal-row.js';

type Stored = { id: number; created: boolean } | null;

/**
 * Writes the signal of one article (an upsert keyed by article, so a repeated job is harmless)
 * and, for a new signal, hands it to alert matching.
 *
 * The store jobs running at once in this process are written together: one query loads their
 * articles and one multi-row upsert writes their signals (a MicroBatcher), which is what lets
 * one store worker keep up with several extractors. A batch that fails is retried item by item,
 * so one bad row fails only its own job.
 */
export function storeSignal(rt: Runtime): Handler<'store-signal'> {
  const batcher = new MicroBatcher<Payload<'store-signal'>, Stored>(async (jobs) => {
    const articles = new Map((await rt.repos.articles.getMany([...new Set(jobs.map((j) => j.articleId))])).map((a) => [a.id, a]));
    const rows = jobs.flatMap((j) => {
      const article = articles.get(j.articleId);
      return article ? [signalRow(article, j.classification, { taxonomyVersion: j.taxonomyVersion, classifierVersion: j.classifierVersion })] : [];
    });
    const written = await rt.repos.signals.upsertMany(rows);
    const byArticle = new Map(rows.map((r, i) => [r.article_id, written[i]!]));
    return jobs.map((j) => byArticle.get(j.articleId) ?? null);
  });
  return async (payload, { queues, rerun }) => {
    const stored = await batcher.add(payload);
    if (!stored) return 'skipped';
    // Alerts fire for new signals only: a reclassification does not alert twice (and alerts
    // are unique per subscription and story in the database anyway). A rerun enqueues again:
    // an earlier run may have stored the signal and then failed to enqueue (Redis down),
    // and the job id makes a repeated enqueue harmless.
    if (stored.created || (rerun && !payload.run)) await queues.enqueue('match-alerts', { signalId: stored.id });
    return stored.created ? 'stored' : 'updated';
  };
}
