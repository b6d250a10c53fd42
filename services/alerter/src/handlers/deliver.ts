import { UnrecoverableError, type Handler, type HandlerContext } from '@radar/queue';
import type { Runtime } from '@radar/runtime';
import { PermanentDeliveryError, type Senders } from '../senders.js';
import { message } from '../stories.js';

/**
 * Sends one alert or one digest on one channel. A delivered row is never sent again (a job
 * that runs twice does nothing the second time); receivers get a stable idempotency key for
 * the rare send whose success was not recorded. Failures count against the channel, which is
 * paused when it keeps failing.
 */
async function deliver(rt: Runtime, senders: Senders, kind: 'alert' | 'digest', id: number, channelId: number, ctx: HandlerContext): Promise<string> {
  const channel = await rt.repos.subscriptions.channel(channelId);
  if (!channel) return 'skipped';
  const row = await rt.repos.alerts.delivery(kind, id, channelId);
  if (!row) return 'skipped';
  if (row.status === 'sent') return 'already-sent';
  // A paused channel keeps its deliveries pending; resuming it queues them again.
  if (channel.paused) return 'channel-paused';

  let msg;
  if (kind === 'alert') {
    msg = message('alert', `radar:alert:${id}`, channel.subscription, await rt.repos.alerts.stories([id]));
  } else {
    const d = await rt.repos.alerts.digestAlertIds(id);
    if (!d) return 'skipped';
    msg = message('digest', `radar:digest:${id}`, channel.subscription, await rt.repos.alerts.stories(d.alertIds));
  }
  if (!msg.stories.length) return 'skipped';

  try {
    await senders.send(channel, msg, ctx.signal);
  } catch (err) {
    const permanent = err instanceof PermanentDeliveryError;
    const final = permanent || ctx.job.attemptsMade + 1 >= (ctx.job.opts.attempts ?? 1);
    const error = (err as Error).message;
    await rt.repos.alerts.recordAttempt(kind, id, channelId, { ok: false, error, final });
    const paused = await rt.repos.subscriptions.recordChannelFailure(channelId, error, final, rt.settings.ALERT_PAUSE_AFTER);
    if (paused) ctx.log.warn({ channelId, subscriptionId: channel.subscription_id, err: error }, 'channel paused after repeated failures');
    if (permanent) throw new UnrecoverableError(error);
    throw err;
  }
  await rt.repos.alerts.recordAttempt(kind, id, channelId, { ok: true });
  await rt.repos.subscriptions.recordChannelSuccess(channelId);
  return 'delivered';
}

export function deliverAlert(rt: Runtime, senders: Senders): Handler<'deliver-alert'> {
  return ({ alertId, channelId }, ctx) => deliver(rt, senders, 'alert', alertId, channelId, ctx);
}

export function deliverDigest(rt: Runtime, senders: Senders): Handler<'deliver-digest'> {
  return ({ digestId, channelId }, ctx) => deliver(rt, senders, 'digest', digestId, channelId, ctx);
}
