import type { Handler } from '@radar/queue';
import type { Runtime } from '@radar/runtime';

/**
 * Writes the signal of one article (an upsert keyed by article, so a repeated job is harmless)
 * and, for a new signal, hands it to alert matching.
 */
export function storeSignal(rt: Runtime): Handler<'store-signal'> {
  return async ({ articleId, classification: c, taxonomyVersion, classifierVersion }, { queues }) => {
    const article = await rt.repos.articles.get(articleId);
    if (!article) return 'skipped';
    const scores = [...c.areas, ...c.districts].map((l) => l.score);
    const { id, created } = await rt.repos.signals.upsert({
      article_id: article.id,
      story_id: article.story_id,
      feed_id: article.feed_id,
      title: article.title,
      url: article.url,
      source: article.source,
      lang: c.lang || article.lang,
      published_at: article.published_at,
      areas: c.areas.map((l) => l.id),
      districts: c.districts.map((l) => l.id),
      labels: { areas: c.areas, districts: c.districts },
      beijing: c.beijing.value,
      beijing_score: c.beijing.score,
      max_score: scores.length ? Math.max(...scores) : 0,
      taxonomy_version: taxonomyVersion,
      classifier_version: classifierVersion,
    });
    // Alerts fire for new signals only: a reclassification does not alert twice (and alerts
    // are unique per subscription and story in the database anyway).
    if (created) await queues.enqueue('match-alerts', { signalId: id });
    return created ? 'stored' : 'updated';
  };
}
