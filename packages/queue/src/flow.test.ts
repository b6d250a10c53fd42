import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'bullmq';
import { createLogger } from '@radar/log';
import { gateOnNextStage, PauseControl, type Gate } from './flow.js';
import { JobQueues } from './runtime.js';

const REDIS = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const log = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The back-pressure gate on real Redis; the worker it pauses is a stand-in that records calls. */
describe('gateOnNextStage', () => {
  const queues = new JobQueues({ redisUrl: REDIS, prefix: `test-${randomUUID()}` });
  let gate: Gate | undefined;
  afterEach(async () => {
    gate?.stop();
    await queues.obliterate();
    await queues.close();
  });

  it('lets at most one job end pass unchecked after a recent check, however fast they come', async () => {
    const calls: string[] = [];
    const worker = { pause: async () => void calls.push('pause'), resume: async () => void calls.push('resume') } as unknown as Worker;
    gate = gateOnNextStage('fetch-feed', { queues, maxWaiting: 5, everyMs: 60_000, log }, new PauseControl(worker));
    await sleep(20); // the first check, made at once: an empty next stage
    // A burst: the next stage fills up, and two of this stage's jobs end a few ms apart, both
    // within 50 ms of that check. One may pass on its count; the second is checked and pauses.
    await queues.enqueueBulk('extract-article', Array.from({ length: 10 }, (_, i) => ({ articleId: i + 1 })));
    await gate.poke();
    await gate.poke();
    expect(calls).toEqual(['pause']);
  });
});
