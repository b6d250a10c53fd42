import { loadClassifier } from '@radar/classifier';
import type { Handlers } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { classifyArticle } from './handlers/classify-article.js';
import { storeSignal } from './handlers/store-signal.js';

/** The classifier service's jobs: classify an article, store its signal. */
export async function classifierHandlers(rt: Runtime): Promise<Pick<Handlers, 'classify-article' | 'store-signal'>> {
  const classifier = await loadClassifier({ taxonomyFile: rt.settings.TAXONOMY_FILE });
  return { 'classify-article': classifyArticle(rt, classifier), 'store-signal': storeSignal(rt) };
}
export { signalRow } from './signal-row.js';
