import type { Classifier } from '@radar/classifier';
import type { Handler } from '@radar/queue';
import type { Runtime } from '@radar/runtime';

/** Loads the article, classifies it (pure), hands the labels to the store stage. */
export function classifyArticle(rt: Runtime, classifier: Classifier): Handler<'classify-article'> {
  return async ({ articleId, run }, { queues }) => {
    const article = await rt.repos.articles.get(articleId);
    if (!article) return 'skipped';
    const classification = classifier.classify({
      id: String(article.id),
      title: article.title ?? '',
      body: article.body ?? article.summary ?? '',
      lang: article.lang ?? undefined,
    });
    await queues.enqueue('store-signal', {
      articleId,
      run,
      classification,
      taxonomyVersion: classifier.taxonomyVersion,
      classifierVersion: classifier.classifierVersion,
    });
    return 'done';
  };
}
