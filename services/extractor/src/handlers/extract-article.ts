import { extractArticle, hasFullText } from '@radar/extract';
import { fetchPage, FetchError, storyFingerprints, type Fetcher } from '@radar/feeds';
import { lookupBatcher, MicroBatcher, type Handler } from '@radar/queue';
import type { Runtime } from '@radar/runtime';

/**
 * Gets an article's main text: from the feed item when it already carries the full text,
 * otherwise from its page (fetched politely, then extracted). Then groups it with its
 * syndicated copies under one story and hands it on to the classifier.
 *
 * A page that cannot be had (404, refused, too large; or still failing at the last attempt) is
 * not a lost article: it is classified on the feed's title and summary, and the error is kept.
 */
export function extractArticleHandler(rt: Runtime, fetcher: Fetcher): Handler<'extract-article'> {
  // The jobs running at once share their database work: one query reads the articles of the
  // jobs that start together (the slots a handoff batch frees at once), and one statement and
  // commit assigns the stories of those that finish extracting together.
  type Assignment = Parameters<Runtime['repos']['stories']['assignMany']>[0][number];
  const reads = lookupBatcher((ids) => rt.repos.articles.getMany(ids));
  const assignments = new MicroBatcher<Assignment, unknown>((items) => rt.repos.stories.assignMany(items));
  return async ({ articleId }, { queues, job, signal, log }) => {
    const article = await reads.add(articleId);
    if (!article) return 'skipped';
    let status: 'feed' | 'page' | 'failed' = 'feed';
    let patch: Parameters<typeof rt.repos.articles.saveExtraction>[1] = { body: article.body, extract_status: 'feed' };
    if (article.extract_status === 'pending' && !hasFullText(article.body ?? '', rt.settings.FULL_TEXT_MIN_CHARS)) {
      try {
        const page = await fetchPage(article.url, fetcher, { signal });
        const x = extractArticle(page.html, page.finalUrl);
        status = 'page';
        patch = {
          body: x.text || article.body || article.summary,
          extract_status: 'page',
          title: article.title || x.title || null,
          author: article.author ?? x.author ?? null,
          lang: article.lang ?? x.lang ?? null,
          published_at: article.published_at ?? (x.published ? new Date(x.published) : null),
        };
      } catch (err) {
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const retryable = err instanceof FetchError ? err.retryable : true;
        if (retryable && !lastAttempt) throw err;
        status = 'failed';
        patch = { body: article.body ?? article.summary, extract_status: 'failed', extract_error: (err as Error).message };
        log.warn({ articleId, err: (err as Error).message }, 'page not extracted; classifying the feed text');
      }
    } else if (article.extract_status !== 'pending') {
      status = article.extract_status === 'page' ? 'page' : article.extract_status === 'failed' ? 'failed' : 'feed';
      patch = { body: article.body, extract_status: article.extract_status };
    }
    const text = patch.body ?? '';
    const prints = text ? storyFingerprints(article.title, text) : null;
    const hash = prints?.contentHash ?? null;
    const sim = prints?.simhash ?? null;
    const extraction = { ...patch, content_hash: hash, simhash: sim };
    // Syndicated copies (same text, or a near copy by SimHash) share one story, so alerts fire
    // once. The extraction is written in the same statement as the story.
    if (article.story_id) await rt.repos.articles.saveExtraction(articleId, extraction);
    else await assignments.add({ articleId, article: { title: article.title, contentHash: hash, simhash: sim }, set: extraction });
    // Batched with the articles this process extracts within HANDOFF_LINGER_MS (one classify job
    // for them all); the job is in Redis before this one completes.
    await queues.handOn('classify-article', articleId);
    return status;
  };
}
