import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backlog, batchItems, type JobName } from '@radar/queue';
import { startNewsSite, syntheticArticles, type NewsSite } from '@radar/testkit';
import { createFaultPipeline, type FaultPipeline } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LIMIT = 20;

describe('back-pressure: a slow classify-and-store stage', () => {
  let site: NewsSite;
  let p: FaultPipeline;
  const articles = syntheticArticles(150, 10);

  beforeAll(async () => {
    site = await startNewsSite(articles);
    p = await createFaultPipeline({
      // One article per classify job (no handoff batches): the limit counts jobs, and 150
      // articles in batches might not make enough of them to fill the queue.
      env: {
        QUEUE_MAX_WAITING: String(LIMIT),
        CRAWLER_CONCURRENCY: '2',
        EXTRACTOR_CONCURRENCY: '8',
        CLASSIFIER_CONCURRENCY: '1',
        HANDOFF_LINGER_MS: '0',
        HANDOFF_MAX_ITEMS: '1',
      },
    });
  });
  afterAll(async () => {
    await p?.close();
    await site?.close();
  });

  it('keeps every queue near QUEUE_MAX_WAITING instead of letting the backlog pile up in Redis', async () => {
    await p.start(['poll-feeds', 'fetch-feed', 'extract-article', 'match-alerts'], (all) => ({
      // The classifier stores one signal every 40 ms: far slower than the stages before it. (A
      // job carries the articles an extractor handed on together: 40 ms for each.)
      'classify-article': async (payload, ctx) => (await sleep(40 * batchItems('classify-article', payload).length), all['classify-article'](payload, ctx)),
    }));
    const stages: JobName[] = ['fetch-feed', 'extract-article', 'classify-article'];
    const peak = Object.fromEntries(stages.map((s) => [s, 0])) as Record<JobName, number>;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const s of stages) peak[s] = Math.max(peak[s], await backlog(p.rt.queues, s));
        await sleep(20);
      }
    })();
    for (const url of site.feedUrls) await p.rt.repos.feeds.add(url);
    await p.rt.queues.enqueue('poll-feeds', { at: 'backpressure' });
    const failed = await p.settle(articles.length, 45_000).finally(() => (sampling = false));
    await sampler;
    await p.expectExactlyOnce(site.base, articles);
    expect(failed).toEqual([]);
    // The classifier's queue filled up to the limit (the test did slow it down) ...
    expect(peak['classify-article']).toBeGreaterThanOrEqual(LIMIT);
    // ... and stayed near it, as did every queue before it, whatever the number of articles:
    // the limit, plus what the jobs running when a stage stopped add as they finish (8 extract
    // jobs; feeds of 15 items for the crawler; 2 fetch jobs), plus a check's worth of lag.
    const slack = { 'classify-article': 2 * 8, 'extract-article': 3 * 15, 'fetch-feed': 2 * 2 };
    for (const s of stages) expect(peak[s], `${s} peaked at ${peak[s]}`).toBeLessThanOrEqual(LIMIT + slack[s as keyof typeof slack] + 15);
  });
});
