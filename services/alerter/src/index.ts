import type { Handlers } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { deliverAlert, deliverDigest } from './handlers/deliver.js';
import { matchAlerts } from './handlers/match-alerts.js';
import { sendDigests } from './handlers/send-digests.js';
import { IndexCache } from './index-cache.js';
import { createSenders } from './senders.js';
import { taxonomyLookups } from './taxonomy.js';

export { atomRoute, atomPath, atomUrl, type AtomRouteOptions } from './atom-route.js';
export { createSenders, PermanentDeliveryError, type Senders } from './senders.js';
export { enqueueDeliveries, requeueDeliveries, type DeliveryJob } from './enqueue.js';
export { message, sampleStory, toStory } from './stories.js';
export { taxonomyLookups, type TaxonomyLookups } from './taxonomy.js';
// For the CLI and the API, which create subscriptions without depending on the package themselves.
export { prepareSubscription, subscriptionSchema, unknownTaxonomyIds, DEFAULT_CLUSTERS, type SubscriptionInput, type AlertMessage } from '@radar/alerts';

export type AlerterJobs = 'match-alerts' | 'deliver-alert' | 'send-digests' | 'deliver-digest';

/**
 * The alerter's jobs: match a stored signal against the subscriptions, deliver an alert or a
 * digest on one channel, and the digest scheduler's tick. Making them also (re)declares the
 * digest schedule, so wherever an alerter runs (its own process or `pnpm start`) digests go out.
 */
export async function alerterHandlers(rt: Runtime): Promise<Pick<Handlers, AlerterJobs>> {
  const tx = taxonomyLookups(rt.settings.TAXONOMY_FILE);
  const cache = new IndexCache(rt.repos, rt.settings.ALERT_INDEX_REFRESH_MS, rt.log.child({ stage: 'match-alerts' }), { clusters: tx.clusters });
  const senders = createSenders({ settings: rt.settings, names: tx.names });
  await startDigestScheduler(rt);
  return {
    'match-alerts': matchAlerts(rt, cache),
    'deliver-alert': deliverAlert(rt, senders),
    'send-digests': sendDigests(rt),
    'deliver-digest': deliverDigest(rt, senders),
  };
}

/** One schedule for the digest tick, whatever the number of alerter processes. */
export async function startDigestScheduler(rt: Runtime): Promise<void> {
  await rt.queues
    .queue('send-digests')
    .upsertJobScheduler('send-digests-every', { every: rt.settings.ALERT_DIGEST_EVERY_S * 1000 }, { name: 'send-digests', data: {} });
}
