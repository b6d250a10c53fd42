import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startNewsSite, syntheticArticles, type NewsSite } from '@radar/testkit';
import { createPipeline, type Pipeline } from './harness.js';

const count = async (p: Pipeline, table: 'signals' | 'articles') =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(p.rt.dbh.db)).rows[0]!.n;

describe('the pipeline, end to end on real Redis and PostgreSQL', () => {
  let p: Pipeline;
  let site: NewsSite;

  beforeAll(async () => {
    site = await startNewsSite(syntheticArticles(20));
    p = await createPipeline();
  });
  afterAll(async () => {
    await p?.close();
    await site?.close();
  });

  it('stores one signal per feed item, and none again when the feed is polled again', async () => {
    await p.start();
    const { feed } = await p.rt.repos.feeds.add(site.feedUrls[0]!);
    await p.rt.queues.enqueue('poll-feeds', { at: 'first' });
    await p.waitFor('20 signals', async () => (await count(p, 'signals')) >= 20);
    const signals = await p.rt.repos.signals.latest(100);
    expect(signals).toHaveLength(20);
    expect(new Set(signals.map((s) => s.article_id)).size).toBe(20);
    // Every signal records the versions that produced it.
    expect(signals.every((s) => s.taxonomy_version && s.classifier_version)).toBe(true);
    const polled = (await p.rt.repos.feeds.get(feed.id))!;
    expect(polled.health).toBe('ok');

    // Poll the same feed again: no new article, no duplicate signal.
    await p.rt.repos.feeds.pollNow(feed.id);
    await p.rt.queues.enqueue('poll-feeds', { at: 'second' });
    await p.waitFor('second poll', async () => (await p.rt.repos.feeds.get(feed.id))!.fetch_count > polled.fetch_count);
    await new Promise((r) => setTimeout(r, 500));
    expect(await count(p, 'articles')).toBe(20);
    expect(await count(p, 'signals')).toBe(20);
  });

  it('does not lose an article whose extractor is killed with SIGKILL mid-job', async () => {
    // Stop the in-process workers; run the extractor as its own process.
    for (const w of p.workers.splice(0)) await w.close(1000);
    const victim = 'victim-article';
    const extra = { ...syntheticArticles(1)[0]!, slug: victim, feed: 'f0', title: 'Victim: Haidian AI lab opens', paragraphs: ['A new artificial intelligence lab opened in Haidian, Beijing.', 'It studies machine learning for banks.'] };
    site.setArticles([...syntheticArticles(20), extra]);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let requested!: () => void;
    const pageRequested = new Promise<void>((r) => (requested = r));
    site.intercept = async (req) => {
      if (req.url?.includes(victim)) {
        requested();
        await released;
      }
      return false;
    };
    await p.start(['poll-feeds', 'fetch-feed', 'classify-article', 'match-alerts', 'deliver-alert']);
    const child = p.spawnService('extractor');
    const feed = (await p.rt.repos.feeds.list())[0]!;
    await p.rt.repos.feeds.pollNow(feed.id);
    await p.rt.queues.enqueue('poll-feeds', { at: 'third' });
    await pageRequested; // the extractor process is in the middle of the victim's job
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    release();
    site.intercept = undefined;
    // Another extractor takes over; BullMQ's stalled-job check brings the job back.
    await p.start(['extract-article']);
    await p.waitFor('the victim signal', async () => (await count(p, 'signals')) >= 21, 45_000);
    const stored = await p.rt.repos.signals.latest(1);
    expect(stored[0]!.title).toContain('Victim');
    expect(await count(p, 'signals')).toBe(21);
    expect(await p.rt.queues.failed()).toEqual([]);
  });
});
