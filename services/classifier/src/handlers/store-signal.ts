import type { Handler } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { signalRow } from '../signal-row.js';

/**
 * Writes the signal of one article (an upsert keyed by article, so a repeated job is harmless)
 * and, for a new signal, hands it to alert matching.
 */
export function storeSignal(rt: Runtime): Handler<'store-signal'> {
  return async ({ articleId, classification, taxonomyVersion, classifierVersion }, { queues }) => {
    const article = await rt.repos.articles.get(articleId);
    if (!article) return 'skipped';
    const { id, created } = await rt.repos.signals.upsert(signalRow(article, classification, { taxonomyVersion, classifierVersion }));
    // Alerts fire for new signals only: a reclassification does not alert twice (and alerts
    // are unique per subscription and story in the database anyway).
    if (created) await queues.enqueue('match-alerts', { signalId: id });
    return created ? 'stored' : 'updated';
  };
}
