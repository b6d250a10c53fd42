import { dispositionFor } from '@radar/alerts';
import type { Handler } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { enqueueDeliveries } from '../enqueue.js';
import type { IndexCache } from '../index-cache.js';

/**
 * Matches one stored signal against every subscription (through the index), records at most
 * one alert per (subscription, story) and queues one delivery job per (alert, channel).
 */
export function matchAlerts(rt: Runtime, cache: IndexCache): Handler<'match-alerts'> {
  return async ({ signalId }, { queues, log }) => {
    const row = await rt.repos.alerts.signalForMatching(signalId);
    if (!row) return 'skipped';
    const index = await cache.get();
    const ids = index.match({
      areas: row.labels.areas,
      districts: row.labels.districts,
      beijing: row.beijing,
      maxScore: row.max_score,
      source: row.source,
      lang: row.lang,
      text: [row.title, row.summary, row.body].filter(Boolean).join('\n'),
    });
    if (!ids.length) return 'no-match';
    const subs = (await rt.repos.subscriptions.many(ids)).filter((s) => !s.paused);
    // An article the extractor could not put under a story is its own story; negative keys
    // cannot collide with story ids.
    const storyKey = row.story_id ?? -row.article_id;
    const alerts = await rt.repos.alerts.fanOut(
      signalId,
      storyKey,
      subs.map((s) => ({ subscriptionId: s.id, mode: s.mode, throttlePerHour: s.throttle_per_hour })),
      dispositionFor,
    );
    const jobs = alerts.flatMap((a) => a.push.map((p) => ({ kind: 'alert' as const, alertId: a.alertId, channelId: p.channelId })));
    await enqueueDeliveries(queues, jobs, rt.settings.ALERT_RETRY_DELAY_MS);
    log.debug({ signalId, matched: ids.length, alerts: alerts.length, deliveries: jobs.length }, 'signal matched');
    const fresh = alerts.filter((a) => a.created).length;
    return fresh ? `alerted:${fresh}` : 'already-alerted';
  };
}
