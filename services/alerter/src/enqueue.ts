import { JOBS, type JobQueues } from '@radar/queue';

export type DeliveryJob = { kind: 'alert'; alertId: number; channelId: number } | { kind: 'digest'; digestId: number; channelId: number };

const jobOf = (d: DeliveryJob) =>
  d.kind === 'alert'
    ? ({ name: 'deliver-alert', data: { alertId: d.alertId, channelId: d.channelId } } as const)
    : ({ name: 'deliver-digest', data: { digestId: d.digestId, channelId: d.channelId } } as const);

/**
 * Adds one delivery job per (alert or digest, channel), in one round trip per stage. Job ids
 * come from the catalog, so adding a delivery that is already queued or done adds nothing.
 * The first retry waits `retryDelayMs`, doubling after that.
 */
export async function enqueueDeliveries(queues: JobQueues, deliveries: DeliveryJob[], retryDelayMs: number): Promise<void> {
  for (const name of ['deliver-alert', 'deliver-digest'] as const) {
    const spec = JOBS[name];
    const jobs = deliveries
      .map(jobOf)
      .filter((j) => j.name === name)
      .map((j) => ({
        name,
        data: j.data,
        // The catalog's backoff strategy, from this installation's first delay.
        opts: { ...spec.options, backoff: { ...(spec.options.backoff as { type: string }), delay: retryDelayMs }, jobId: (spec.jobId as (p: typeof j.data) => string)(j.data) },
      }));
    if (jobs.length) await queues.queue(name).addBulk(jobs);
  }
}

/**
 * Queues deliveries again after a channel was resumed: a finished or failed job with the same
 * id is removed first (BullMQ would otherwise ignore the add); a waiting or delayed one stays.
 */
export async function requeueDeliveries(queues: JobQueues, deliveries: DeliveryJob[], retryDelayMs: number): Promise<number> {
  const fresh: DeliveryJob[] = [];
  for (const d of deliveries) {
    const { name, data } = jobOf(d);
    const id = (JOBS[name].jobId as (p: typeof data) => string)(data);
    const job = await queues.queue(name).getJob(id);
    if (job) {
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed') continue;
      await job.remove();
    }
    fresh.push(d);
  }
  await enqueueDeliveries(queues, fresh, retryDelayMs);
  return fresh.length;
}
