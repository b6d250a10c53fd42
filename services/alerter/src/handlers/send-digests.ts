import { nextDigestAt } from '@radar/alerts';
import type { Handler } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { enqueueDeliveries } from '../enqueue.js';

/** Sends the digests that are due: the database says which, each claimed once. */
export function sendDigests(rt: Runtime): Handler<'send-digests'> {
  return async (_payload, { queues, log }) => {
    let sent = 0;
    // Bounded: a subscription another scheduler holds stays due and must not loop this one.
    for (let round = 0; round < 20; round++) {
      const now = new Date();
      const due = await rt.repos.subscriptions.dueDigests(now, 200);
      for (const sub of due) {
        const next = nextDigestAt({ every: sub.digest_every, at: sub.digest_at, timezone: sub.timezone }, now);
        const claimed = await rt.repos.alerts.claimDigest(sub.id, now, next);
        if (!claimed) continue;
        sent++;
        await enqueueDeliveries(
          queues,
          claimed.channelIds.map((channelId) => ({ kind: 'digest' as const, digestId: claimed.digestId, channelId })),
          rt.settings.ALERT_RETRY_DELAY_MS,
        );
        log.debug({ subscriptionId: sub.id, digestId: claimed.digestId, next }, 'digest claimed');
      }
      if (due.length < 200) break;
    }
    return sent ? `digests:${sent}` : 'none-due';
  };
}
