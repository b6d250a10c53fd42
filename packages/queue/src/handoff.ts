import { batchItems, BATCHED, type BatchedJob, type Payload } from './catalog.js';
import type { JobStatus } from './workers.js';

/**
 * Runs every item of a job of a batched stage (see BATCHED), at once, and sums up their
 * statuses for the job metrics: `stored` when all say `stored`, else the kinds that occurred,
 * e.g. `stored+updated` (without counts such as `alerted:2`'s, to keep the label set small).
 *
 * If any item fails, the job fails with the first failure, its message saying which item it was
 * and how many of the batch failed. The job is then retried whole (a PostgreSQL or Redis outage
 * makes it wait, as any job): the items' work must be safe to repeat, which it is for both
 * batched stages (an upsert keyed by article; alerts unique per subscription and story). The
 * items that succeeded stay done in the meantime, and a job that fails for good names the
 * failing items in the failed-job list.
 */
export async function runBatch<N extends BatchedJob>(
  name: N,
  payload: Payload<N>,
  run: (item: number) => Promise<JobStatus>,
): Promise<JobStatus> {
  const items = batchItems(name, payload);
  if (items.length === 1) return run(items[0]!);
  const results = await Promise.allSettled(items.map(run));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ item: items[i]!, err: r.reason as unknown }] : []));
  if (failed.length) {
    const first = failed[0]!;
    const err = first.err instanceof Error ? first.err : new Error(String(first.err));
    const noun = BATCHED[name].one.replace(/Id$/, '');
    err.message = `${noun} ${first.item} (${failed.length} of ${items.length} in this job failed: ${failed
      .slice(0, 10)
      .map((f) => f.item)
      .join(', ')}${failed.length > 10 ? ', ...' : ''}): ${err.message}`;
    throw err;
  }
  const statuses = new Set(results.map((r) => (r as PromiseFulfilledResult<JobStatus>).value));
  if (statuses.size === 1) return [...statuses][0]!;
  return [...new Set([...statuses].map((s) => s.replace(/:\d+$/, '')))].sort().join('+');
}
