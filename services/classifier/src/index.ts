import { loadClassifier } from '@radar/classifier';
import type { Handlers } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { classifyArticle } from './handlers/classify-article.js';

/** The classifier service's job: classify an article and store its signal. */
export async function classifierHandlers(rt: Runtime): Promise<Pick<Handlers, 'classify-article'>> {
  const classifier = await loadClassifier({ taxonomyFile: rt.settings.TAXONOMY_FILE });
  return { 'classify-article': classifyArticle(rt, classifier) };
}
export { signalRow } from './signal-row.js';
