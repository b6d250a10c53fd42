import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { batchItems, batchPayload, JOBS } from './catalog.js';
import { runBatch } from './handoff.js';
import { JobQueues } from './runtime.js';

const REDIS = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('batched stages: payloads', () => {
  it('carries one item in the single form (as before batches) and several in the batch form', () => {
    expect(batchPayload('classify-article', [7])).toEqual({ articleId: 7 });
    expect(batchPayload('match-alerts', [3, 4])).toEqual({ signalIds: [3, 4] });
    expect(batchItems('classify-article', { articleIds: [1, 2, 3] })).toEqual([1, 2, 3]);
    expect(batchItems('match-alerts', { signalId: 9 })).toEqual([9]);
  });

  it('accepts exactly one of the two forms', () => {
    const schema = JOBS['classify-article'].schema;
    expect(schema.safeParse({ articleId: 1 }).success).toBe(true);
    expect(schema.safeParse({ articleIds: [1, 2], run: 'r1' }).success).toBe(true);
    expect(schema.safeParse({}).error?.message).toContain('exactly one of articleId or articleIds');
    expect(schema.safeParse({ articleId: 1, articleIds: [2] }).success).toBe(false);
    expect(schema.safeParse({ articleIds: [] }).success).toBe(false);
  });

  it('gives a batch a job id of its own, the same for the same items', () => {
    const id = JOBS['match-alerts'].jobId;
    expect(id({ signalId: 5 })).toBe('match-5');
    expect(id({ signalIds: [5, 6, 9] })).toBe(id({ signalIds: [5, 6, 9] }));
    expect(id({ signalIds: [5, 6, 9] })).not.toBe(id({ signalIds: [5, 6, 10] }));
    expect(id({ signalIds: [5, 6, 9] })).toMatch(/^match-5\+2-/);
  });
});

describe('runBatch', () => {
  it('runs every item and sums up their statuses without counts', async () => {
    const seen: number[] = [];
    const run = async (id: number) => (seen.push(id), id === 2 ? 'updated' : id === 3 ? 'alerted:2' : 'stored');
    expect(await runBatch('classify-article', { articleIds: [1, 4] }, run)).toBe('stored');
    expect(await runBatch('classify-article', { articleIds: [1, 2, 3] }, run)).toBe('alerted+stored+updated');
    expect(await runBatch('classify-article', { articleId: 3 }, run)).toBe('alerted:2');
    expect(seen).toEqual([1, 4, 1, 2, 3, 3]);
  });

  it('fails the job when an item fails, naming the items, after running all the others', async () => {
    const done: number[] = [];
    const err = Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
    const run = async (id: number) => {
      if (id % 2 === 0) throw id === 2 ? err : new Error('other');
      done.push(id);
      return 'stored';
    };
    const failure = await runBatch('classify-article', { articleIds: [1, 2, 3, 4] }, run).catch((e: unknown) => e);
    expect(done).toEqual([1, 3]);
    // The first failure itself, so a dependency outage is still recognised (its code is kept).
    expect(failure).toBe(err);
    expect(err.message).toBe('article 2 (2 of 4 in this job failed: 2, 4): Connection terminated unexpectedly');
  });
});

describe('JobQueues.handOn (real Redis)', () => {
  let queues: JobQueues | undefined;
  afterEach(async () => {
    await queues?.obliterate();
    await queues?.close();
  });

  const waitingPayloads = async (q: JobQueues, name: 'classify-article' | 'match-alerts') =>
    (await q.queue(name).getJobs(['waiting'])).map((j) => j.data as unknown).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  it('puts the items handed on within the linger into one job, and resolves once it is in Redis', async () => {
    const q = (queues = new JobQueues({ redisUrl: REDIS, prefix: `test-${randomUUID()}`, handoff: { lingerMs: 100, maxItems: 3 } }));
    const first = q.handOn('classify-article', 1);
    await new Promise((r) => setTimeout(r, 20));
    await Promise.all([first, q.handOn('classify-article', 2)]);
    expect(await waitingPayloads(q, 'classify-article')).toEqual([{ articleIds: [1, 2] }]);
    // A full batch does not wait; what is left over waits for the linger.
    const t0 = performance.now();
    await Promise.all([3, 4, 5].map((id) => q.handOn('classify-article', id)));
    expect(performance.now() - t0).toBeLessThan(90);
    await q.handOn('classify-article', 6);
    expect(await waitingPayloads(q, 'classify-article')).toEqual([{ articleId: 6 }, { articleIds: [1, 2] }, { articleIds: [3, 4, 5] }]);
  });

  it('sends a batch at once when every job of the stage handing items on is waiting on it', async () => {
    const q = (queues = new JobQueues({
      redisUrl: REDIS,
      prefix: `test-${randomUUID()}`,
      handoff: { lingerMs: 5000, maxItems: 50, concurrency: { 'extract-article': 2 } },
    }));
    const t0 = performance.now();
    const first = q.handOn('classify-article', 1);
    await new Promise((r) => setTimeout(r, 20));
    await Promise.all([first, q.handOn('classify-article', 2)]);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await waitingPayloads(q, 'classify-article')).toEqual([{ articleIds: [1, 2] }]);
  });

  it('without a linger, sends what is handed on at the same moment together', async () => {
    const q = (queues = new JobQueues({ redisUrl: REDIS, prefix: `test-${randomUUID()}` }));
    await Promise.all([10, 11].map((id) => q.handOn('match-alerts', id)));
    await q.handOn('match-alerts', 12);
    expect(await waitingPayloads(q, 'match-alerts')).toEqual([{ signalId: 12 }, { signalIds: [10, 11] }]);
  });
});
