import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNewsSite, startPrivatePostgres, syntheticArticles, type NewsSite, type PrivateServer } from '@radar/testkit';
import { createFaultPipeline, type FaultPipeline } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL stopped for 10 s mid-run', () => {
  let pg: PrivateServer;
  let site: NewsSite;
  let p: FaultPipeline;
  const articles = syntheticArticles(40, 4);

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    site = await startNewsSite(articles);
    site.intercept = async () => (await sleep(100), false);
    p = await createFaultPipeline({ databaseUrl: pg.url });
  });
  afterAll(async () => {
    await p?.close();
    await site?.close();
    await pg?.destroy();
  });

  // Once quarantined: articles were lost in 3 of 5 full-suite runs. Two causes, both fixed: the
  // worker process died when the stopped server's goodbye reached a connection checked out
  // between two statements (pg's unhandled 'error' event; packages/db connection.test.ts), and
  // a feed poll cut off after its items were committed took them for old items on its rerun
  // (partial-run.test.ts). A worker that dies now shows in the failure message.
  it('delays the jobs that need it, spends none of their attempts, and stores every article once', async () => {
    const worker = p.spawn('all');
    for (const url of site.feedUrls) await p.rt.repos.feeds.add(url);
    await p.waitFor('the first signals', async () => (await p.signals()) >= 5, 45_000);
    const during = await p.signals();
    await pg.stop();
    await sleep(10_000);
    await pg.start();
    // Jobs put back during the outage wait 2.5-7.5 s before they run again.
    // Generous: with the rest of the suite running beside it on 2 cores, recovery took over 40 s.
    const failed = await p.settle(articles.length, 100_000);
    await p.expectExactlyOnce(site.base, articles);
    expect(during).toBeLessThan(articles.length);
    expect(failed).toEqual([]);
    expect(worker.exitCode).toBeNull();
  }, 180_000);
});
