import type { Classifier } from '@radar/classifier';
import { lookupBatcher, MicroBatcher, runBatch, type Handler } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { signalRow } from '../signal-row.js';

type Stored = { id: number; created: boolean };

/**
 * Classifies the job's article or batch of articles (pure) and writes their signals (an upsert keyed by article, so a repeated
 * job is harmless); a new signal goes on to alert matching.
 *
 * Classifying and storing are one job: a queue between them cost a BullMQ hop, a second read of
 * the article and the classification's trip through Redis per article, and bought nothing (both
 * ran in the classifier process, and a failed upsert retries the classification, which is pure).
 * The articles of a job, and of the jobs running at once in this process, share their database
 * work (MicroBatchers): one query reads them and one multi-row upsert writes their signals. A
 * write batch that fails is retried row by row, so one bad row fails only its own article (and
 * its job, retried whole: see runBatch). New signals are handed on to matching in batches too.
 */
export function classifyArticle(rt: Runtime, classifier: Classifier): Handler<'classify-article'> {
  const versions = { taxonomyVersion: classifier.taxonomyVersion, classifierVersion: classifier.classifierVersion };
  const reads = lookupBatcher((ids) => rt.repos.articles.getMany(ids));
  const writes = new MicroBatcher<ReturnType<typeof signalRow>, Stored>((rows) => rt.repos.signals.upsertMany(rows));
  return (payload, { queues, rerun }) =>
    runBatch('classify-article', payload, async (articleId) => {
      const article = await reads.add(articleId);
      if (!article) return 'skipped';
      const classification = classifier.classify({
        id: String(article.id),
        title: article.title ?? '',
        body: article.body ?? article.summary ?? '',
        lang: article.lang ?? undefined,
      });
      const stored = await writes.add(signalRow(article, classification, versions));
      // Alerts fire for new signals only: a reclassification does not alert twice (and alerts
      // are unique per subscription and story in the database anyway, which makes a repeated
      // match harmless). A rerun hands on again: an earlier run may have stored the signal and
      // then failed to enqueue (Redis down).
      if (stored.created || (rerun && !payload.run)) await queues.handOn('match-alerts', stored.id);
      return stored.created ? 'stored' : 'updated';
    });
}
