import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNewsSite, syntheticArticles, type NewsSite } from '@radar/testkit';
import { createFaultPipeline, exited, type FaultPipeline } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SIGTERM to an extractor process during a burst', () => {
  let site: NewsSite;
  let p: FaultPipeline;
  const articles = syntheticArticles(30, 2);
  const slow = new Set(articles.slice(0, 2).map((a) => `/articles/${a.slug}.html`));
  const hits = new Map<string, number>();

  beforeAll(async () => {
    site = await startNewsSite(articles);
    site.intercept = async (req) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (!path.startsWith('/articles/')) return false;
      // Two pages take far longer than the shutdown grace the first time; the rest 300 ms.
      await sleep(slow.has(path) && hits.get(path) === 1 ? 8000 : 300);
      return false;
    };
    // Locks of 30 s: a job that came back only through the stalled-job check would take that long.
    p = await createFaultPipeline({ env: { JOB_LOCK_MS: '30000' } });
  });
  afterAll(async () => {
    await p?.close();
    await site?.close();
  });

  it('finishes what it can within the grace, releases the rest at once, exits 0, and loses nothing', async () => {
    await p.start(['poll-feeds', 'fetch-feed', 'classify-article', 'match-alerts']);
    const extractor = p.spawn('extractor', { SHUTDOWN_GRACE_MS: '1500', EXTRACTOR_CONCURRENCY: '6' });
    for (const url of site.feedUrls) await p.rt.repos.feeds.add(url);
    await p.rt.queues.enqueue('poll-feeds', { at: 'burst' });
    // In the middle of the burst: both slow pages requested, a few pages done.
    await p.waitFor('the slow pages to be requested', async () => [...slow].every((s) => hits.get(s)) && (await p.signals()) >= 2, 30_000);
    const t0 = Date.now();
    extractor.kill('SIGTERM');
    expect(await exited(extractor)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(6000);

    // Another extractor takes over; released jobs are waiting, not locked for 30 s.
    const t1 = Date.now();
    await p.start(['extract-article']);
    const failed = await p.settle(articles.length, 25_000);
    expect(Date.now() - t1).toBeLessThan(20_000);
    await p.expectExactlyOnce(site.base, articles);
    expect(failed).toEqual([]);
    // Jobs that finished during the grace were not done again: only the released pages were fetched twice.
    const twice = [...hits].filter(([path, n]) => path.startsWith('/articles/') && n > 1).map(([path]) => path);
    expect(twice.every((path) => slow.has(path))).toBe(true);
  });
});
