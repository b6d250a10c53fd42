import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNewsSite, startPrivateRedis, syntheticArticles, type NewsSite, type PrivateServer } from '@radar/testkit';
import { createFaultPipeline, type FaultPipeline } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Redis restarted mid-run (append-only file on)', () => {
  let redis: PrivateServer;
  let site: NewsSite;
  let p: FaultPipeline;
  const articles = syntheticArticles(40, 4);

  beforeAll(async () => {
    redis = await startPrivateRedis();
    site = await startNewsSite(articles);
    // Pages take a moment, so the restart lands in the middle of the run.
    site.intercept = async () => (await sleep(100), false);
    p = await createFaultPipeline({ redisUrl: redis.url });
  });
  afterAll(async () => {
    await p?.close();
    await site?.close();
    await redis?.destroy();
  });

  it('loses no job and stores every article once; the worker process rides it out', async () => {
    const worker = p.spawn('all');
    for (const url of site.feedUrls) await p.rt.repos.feeds.add(url);
    await p.waitFor('the first signals', async () => (await p.signals()) >= 5, 45_000);
    await redis.stop();
    const during = await p.signals();
    await sleep(3000);
    await redis.start();
    const failed = await p.settle(articles.length, 40_000);
    expect(during).toBeLessThan(articles.length);
    await p.expectExactlyOnce(site.base, articles);
    expect(failed).toEqual([]);
    expect(worker.exitCode).toBeNull();
  });
});
