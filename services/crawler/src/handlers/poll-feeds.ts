import type { Handler } from '@radar/queue';
import type { Runtime } from '@radar/runtime';

/** How many due feeds one scheduler tick claims. */
const BATCH = 500;

/**
 * The scheduler tick: the database decides which feeds are due (Miniflux-style), claims them
 * with a lease so that no other tick claims them too, and enqueues one fetch per feed and poll.
 */
export function pollFeeds(rt: Runtime): Handler<'poll-feeds'> {
  return async (_payload, { queues, log }) => {
    let total = 0;
    for (;;) {
      const due = await rt.repos.feeds.claimDue(BATCH, 600);
      if (!due.length) break;
      await queues.enqueueBulk(
        'fetch-feed',
        due.map((f) => ({ feedId: f.id, lease: String(f.next_poll_at.getTime()) })),
      );
      total += due.length;
      if (due.length < BATCH) break;
    }
    if (total) log.info({ feeds: total }, 'feeds due');
    return total ? 'done' : 'unchanged';
  };
}
