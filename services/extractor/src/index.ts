import { createFetcher } from '@radar/feeds';
import type { Handlers } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { extractArticleHandler } from './handlers/extract-article.js';

/** The extractor's job: get an article's main text. */
export async function extractorHandlers(rt: Runtime): Promise<Pick<Handlers, 'extract-article'>> {
  const fetcher = createFetcher(rt.settings, rt.queues.connection);
  rt.defer(() => fetcher.close());
  return { 'extract-article': extractArticleHandler(rt, fetcher) };
}
