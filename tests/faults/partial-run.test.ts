import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JOB_NAMES, type Handlers } from '@radar/queue';
import { startNewsSite, syntheticArticles, type NewsSite } from '@radar/testkit';
import { createFaultPipeline, type FaultPipeline } from './harness.js';

/**
 * A dependency that goes away in the middle of a job: the job has done part of its work
 * (committed rows) when its next statement fails. It is put back to wait without spending an
 * attempt, and its rerun must finish the work rather than take the committed rows for work
 * already handed on. (This is how a PostgreSQL restart once lost articles: the rerun of a feed
 * poll saw its items already stored, took them for old ones, and never sent them to extraction.)
 */
describe('a job cut off half-way by a dependency outage', () => {
  let site: NewsSite;
  let p: FaultPipeline;
  const articles = syntheticArticles(6, 1);

  beforeEach(async () => {
    site = await startNewsSite(articles);
    p = await createFaultPipeline();
  });
  afterEach(async () => {
    await p?.close();
    await site?.close();
  });

  const run = async () => {
    await p.start([...JOB_NAMES] as (keyof Handlers)[]);
    await p.rt.repos.feeds.add(site.feedUrls[0]!);
    await p.rt.queues.enqueue('poll-feeds', { at: 'now' });
    expect(await p.settle(articles.length, 30_000)).toEqual([]);
    await p.expectExactlyOnce(site.base, articles);
  };

  /** The first bulk enqueue of `stage` (with items) fails as if Redis had closed the connection. */
  const cutFirstEnqueue = (stage: string) => {
    const queues = p.rt.queues;
    const enqueueBulk = queues.enqueueBulk.bind(queues);
    const calls = { n: 0 };
    queues.enqueueBulk = (async (name: string, payloads: unknown[]) => {
      if (name === stage && payloads.length && calls.n++ === 0) throw new Error('Connection is closed.');
      return enqueueBulk(name as never, payloads as never);
    }) as typeof queues.enqueueBulk;
    return calls;
  };

  it('hands on the items of a feed poll whose enqueue met a closed Redis connection after they were stored', async () => {
    const calls = cutFirstEnqueue('extract-article');
    await run();
    expect(calls.n).toBeGreaterThan(1);
  }, 60_000);

  it('gives back the feeds a scheduler tick claimed when it could not queue their fetch', async () => {
    const calls = cutFirstEnqueue('fetch-feed');
    // Without the release the feed would wait out its 10-minute lease and nothing would be stored.
    await run();
    expect(calls.n).toBeGreaterThan(1);
  }, 60_000);

  it('hands on the items of a feed poll whose database went away after they were stored', async () => {
    const feeds = p.rt.repos.feeds;
    const update = feeds.update.bind(feeds);
    let cut = 0;
    feeds.update = (async (id: number, patch: Record<string, unknown>) => {
      if ('item_count' in patch && !cut++) throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
      return update(id, patch as never);
    }) as typeof feeds.update;
    await run();
    expect(cut).toBeGreaterThan(1);
  }, 60_000);
});
