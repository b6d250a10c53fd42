import { backlog, type Handler } from '@radar/queue';
import type { Runtime } from '@radar/runtime';

/** How many due feeds one scheduler tick claims at a time. */
const BATCH = 500;

/**
 * The scheduler tick: the database decides which feeds are due (Miniflux-style), claims them
 * with a lease so that no other tick claims them too, and enqueues one fetch per feed and poll.
 * It claims no more than the fetch queue has room for (QUEUE_MAX_WAITING): feeds left unclaimed
 * stay due, and a later tick takes them (back-pressure reaches the database, not Redis).
 */
export function pollFeeds(rt: Runtime): Handler<'poll-feeds'> {
  const max = rt.settings.QUEUE_MAX_WAITING;
  return async (_payload, { queues, log }) => {
    let total = 0;
    for (;;) {
      const room = max ? max - (await backlog(queues, 'fetch-feed')) : BATCH;
      if (room <= 0) break;
      const due = await rt.repos.feeds.claimDue(Math.min(BATCH, room), 600);
      if (!due.length) break;
      try {
        await queues.enqueueBulk(
          'fetch-feed',
          due.map((f) => ({ feedId: f.id, lease: String(f.next_poll_at.getTime()) })),
        );
      } catch (err) {
        // Claimed but not queued (Redis down): due again now, not after the 10-minute lease.
        await rt.repos.feeds.releaseClaims(due).catch(() => undefined);
        throw err;
      }
      total += due.length;
      if (due.length < Math.min(BATCH, room)) break;
    }
    if (total) log.info({ feeds: total }, 'feeds due');
    return total ? 'done' : 'unchanged';
  };
}
