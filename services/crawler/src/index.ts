import { createFetcher } from '@radar/feeds';
import type { Handlers } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { fetchFeed } from './handlers/fetch-feed.js';
import { pollFeeds } from './handlers/poll-feeds.js';

/** The crawler's jobs: the scheduler tick and the fetch of one feed. */
export async function crawlerHandlers(rt: Runtime): Promise<Pick<Handlers, 'poll-feeds' | 'fetch-feed'>> {
  const fetcher = createFetcher(rt.settings, rt.queues.connection);
  rt.defer(() => fetcher.close());
  return { 'poll-feeds': pollFeeds(rt), 'fetch-feed': fetchFeed(rt, fetcher) };
}

/** Asks BullMQ to run the scheduler tick every POLL_EVERY_S (one schedule, whatever the number of crawlers). */
export async function startScheduler(rt: Runtime): Promise<void> {
  await rt.queues
    .queue('poll-feeds')
    .upsertJobScheduler('poll-feeds-every', { every: rt.settings.POLL_EVERY_S * 1000 }, { name: 'poll-feeds', data: {} });
}
