import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@radar/log';
import { JobQueues } from './runtime.js';
import { startWorkers, type Handlers, type RunningWorkers, type WorkerOptions } from './workers.js';

const REDIS = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const log = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Workers on real Redis, each test with a queue prefix of its own, removed after. */
describe('startWorkers', () => {
  let queues: JobQueues;
  let running: RunningWorkers[] = [];
  const start = (handlers: Partial<Handlers>, extra: Partial<WorkerOptions> = {}) => {
    const w = startWorkers(handlers, { redisUrl: REDIS, prefix: queues.opts.prefix, log, queues, concurrency: {}, lockDurationMs: 5000, ...extra });
    running.push(w);
    return w;
  };
  const until = async (what: string, fn: () => Promise<boolean> | boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!(await fn())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(25);
    }
  };

  afterEach(async () => {
    for (const w of running.splice(0)) await w.close(100);
    await queues.obliterate();
    await queues.close();
  });
  const fresh = () => (queues = new JobQueues({ redisUrl: REDIS, prefix: `test-${randomUUID()}` }));

  it('puts a job whose database is down back to wait, without spending its attempts', async () => {
    fresh();
    let calls = 0;
    start(
      {
        'classify-article': async () => {
          // classify-article has 8 attempts: nine outages in a row would fail it for good.
          if (++calls <= 9) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
          return 'done';
        },
      },
      { dependencyRetryMs: 50 },
    );
    await queues.enqueue('classify-article', { articleId: 1 });
    const q = queues.queue('classify-article');
    await until('the job to complete', async () => (await q.getJobCounts('completed'))['completed'] === 1);
    expect(calls).toBe(10);
    expect(await queues.failed()).toEqual([]);
  });

  it('retries no sooner than the Retry-After a server asked for', async () => {
    fresh();
    const at: number[] = [];
    start({
      'match-alerts': async () => {
        at.push(Date.now());
        if (at.length === 1) throw Object.assign(new Error('429 Too Many Requests'), { retryAfterS: 3 });
        return 'done';
      },
    });
    await queues.enqueue('match-alerts', { signalId: 1 });
    await until('the retry', () => at.length === 2, 15_000);
    // The catalog's first backoff for match-alerts is 2 s; the server asked for 3.
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(2900);
  });

  it('on close, releases a job still running after the grace at once, and aborts its handler', async () => {
    fresh();
    let aborted = false;
    let started = false;
    const w = start({
      'extract-article': (_p, { signal }) =>
        new Promise((resolve) => {
          started = true;
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve('aborted');
          });
        }),
    });
    await queues.enqueue('extract-article', { articleId: 7 });
    await until('the job to start', () => started);
    const t0 = Date.now();
    await w.close(200);
    running = running.filter((r) => r !== w);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(aborted).toBe(true);
    // Back in wait for another worker now, not after its 5 s lock lapses.
    expect(await queues.queue('extract-article').getJobState('extract-7')).toBe('waiting');
  });

  it('takes no new jobs while the next stage is over QUEUE_MAX_WAITING, and resumes when it drains', async () => {
    fresh();
    await queues.enqueueBulk('classify-article', Array.from({ length: 10 }, (_, i) => ({ articleId: i + 1 })));
    let extracted = 0;
    start({ 'extract-article': async () => (extracted++, 'done') }, { maxWaiting: 5 });
    await sleep(300); // the gate's first check
    await queues.enqueueBulk('extract-article', [{ articleId: 100 }, { articleId: 101 }]);
    await sleep(1000);
    expect(extracted).toBe(0);
    // The classifier catches up: below 80% of the limit the extractor takes jobs again.
    start({ 'classify-article': async () => 'done' });
    await until('extraction to resume', () => extracted === 2);
  });
});
