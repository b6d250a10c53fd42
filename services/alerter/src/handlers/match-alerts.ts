import { dispositionFor } from '@radar/alerts';
import type { MatchSignalRow } from '@radar/db';
import { lookupBatcher, runBatch, type Handler, type HandlerContext, type MicroBatcher } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { enqueueDeliveries } from '../enqueue.js';
import type { IndexCache } from '../index-cache.js';

/**
 * Matches each stored signal of the job (one, or a batch handed on by a classifier) against
 * every subscription (through the index), records at most one alert per (subscription, story)
 * and queues one delivery job per (alert, channel). The signals of a job, and of the jobs
 * running at once, are read in one query.
 */
export function matchAlerts(rt: Runtime, cache: IndexCache): Handler<'match-alerts'> {
  const reads = lookupBatcher((ids) => rt.repos.alerts.signalsForMatching(ids));
  return (payload, { queues, log }) => runBatch('match-alerts', payload, (signalId) => matchOne(signalId, reads, rt, cache, queues, log));
}

async function matchOne(
  signalId: number,
  reads: MicroBatcher<number, MatchSignalRow | undefined>,
  rt: Runtime,
  cache: IndexCache,
  queues: HandlerContext['queues'],
  log: HandlerContext['log'],
): Promise<string> {
  const row = await reads.add(signalId);
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
}
