import { canonicalizeUrl, pollFeed, type Fetcher, type NormalizedItem } from '@radar/feeds';
import type { Handler } from '@radar/queue';
import type { Runtime } from '@radar/runtime';

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * Fetches and parses one feed (conditionally, politely), records the feed's health and next
 * poll time, stores each new item as an article and hands it to extraction. A broken feed is a
 * stored error on the feed and a later poll, never a crashed worker: the feed's own schedule
 * is its retry, so this job does not throw for feed errors.
 */
export function fetchFeed(rt: Runtime, fetcher: Fetcher): Handler<'fetch-feed'> {
  return async ({ feedId }, { queues, log, signal, rerun }) => {
    const feed = await rt.repos.feeds.get(feedId);
    if (!feed || !feed.active) return 'skipped';
    const outcome = await pollFeed(feed, fetcher, { signal });
    let patch: typeof outcome.feedPatch & { fetch_count?: number } = { ...outcome.feedPatch, fetch_count: feed.fetch_count + 1 };
    if (patch.url && patch.url !== feed.url && (await rt.repos.feeds.findByUrl(patch.url))) {
      // Redirected to a feed we already have: keep this one's URL rather than break uniqueness.
      const { url: _dropped, ...rest } = patch;
      patch = rest;
    }
    if (outcome.kind !== 'ok') {
      await rt.repos.feeds.update(feed.id, patch);
      if (outcome.kind === 'failed' || outcome.kind === 'gone') log.warn({ feedId, error: patch.last_error }, `feed ${outcome.kind}`);
      return outcome.kind;
    }
    // A rerun takes every item again: an earlier run may have stored them and then lost the
    // database before the feed update, or Redis before the enqueue; job ids make the repeated
    // enqueue harmless. (A run put back for a dependency outage spends no attempt, so this is
    // `rerun`, not `attemptsMade`: that difference once lost articles after a PostgreSQL restart.)
    const known = rerun ? new Set<string>() : await rt.repos.articles.knownGuids(feed.id, outcome.items.map((i) => i.id));
    const fresh = outcome.items.filter((i) => !known.has(i.id));
    // One transaction for the poll's new items, not one per item.
    const stored = await rt.repos.articles.upsertManyFromFeed(fresh.flatMap((item) => articleRow(feed.id, item) ?? []));
    const created = stored.filter((r) => r.created).map((r) => r.id);
    const toExtract = rerun ? [...new Set(stored.map((r) => r.id))] : created;
    await queues.enqueueBulk('extract-article', toExtract.map((articleId) => ({ articleId })));
    // The feed's validators (ETag, Last-Modified) are saved last: saved before the enqueue, a
    // rerun after a lost enqueue would get 304 Not Modified and never see those items again.
    await rt.repos.feeds.update(feed.id, {
      ...patch,
      item_count: feed.item_count + created.length,
      ...(created.length ? { last_new_item_at: new Date() } : {}),
    });
    log.info({ feedId, items: outcome.items.length, new: created.length }, 'feed polled');
    return created.length ? 'done' : 'unchanged';
  };
}

function articleRow(feedId: number, item: NormalizedItem) {
  if (!item.link) return null;
  const canonical = item.canonicalUrl ?? canonicalizeUrl(item.link) ?? item.link;
  return {
    feed_id: feedId,
    guid: item.id,
    url: item.link,
    canonical_url: canonical,
    source: hostOf(canonical),
    title: item.title ?? null,
    summary: item.summary ?? null,
    body: item.contentText ?? null,
    content_hash: item.contentHash,
    simhash: item.simhash,
    author: item.author ?? null,
    lang: item.language ?? null,
    published_at: item.published ?? item.updated ?? null,
  };
}
