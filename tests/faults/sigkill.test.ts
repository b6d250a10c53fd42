import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNewsSite, syntheticArticles, type NewsSite } from '@radar/testkit';
import { createFaultPipeline, exited, type FaultPipeline } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// tests/e2e kills an extractor in the middle of one job; this kills a process running every
// stage in the middle of a burst (store batches included) and lets a new one take over.
describe('SIGKILL to a process running every stage, mid-burst', () => {
  let site: NewsSite;
  let p: FaultPipeline;
  const articles = syntheticArticles(40, 4);

  beforeAll(async () => {
    site = await startNewsSite(articles);
    site.intercept = async () => (await sleep(50), false);
    p = await createFaultPipeline();
  });
  afterAll(async () => {
    await p?.close();
    await site?.close();
  });

  it('loses nothing: the stalled jobs come back to the next process, and each article is stored once', async () => {
    const first = p.spawn('all');
    for (const url of site.feedUrls) await p.rt.repos.feeds.add(url);
    await p.waitFor('the first signals', async () => (await p.signals()) >= 5, 45_000);
    first.kill('SIGKILL');
    expect(await exited(first)).toBe('SIGKILL');
    expect(await p.signals()).toBeLessThan(articles.length);
    p.spawn('all');
    const failed = await p.settle(articles.length, 45_000);
    await p.expectExactlyOnce(site.base, articles);
    expect(failed).toEqual([]);
  });
});
