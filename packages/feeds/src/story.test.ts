import { createTestDb, type TestDb } from '@radar/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hammingDistance, isNearDuplicate } from './dedup.js';
import { parseFeedText } from './parse.js';
import { syndicatedFeeds } from './testing/syndication.js';
import type { NormalizedItem } from './types.js';

async function items(): Promise<{ feed: string; url: string; item: NormalizedItem }[]> {
  const out: { feed: string; url: string; item: NormalizedItem }[] = [];
  for (const f of syndicatedFeeds()) {
    const r = await parseFeedText(f.xml, { url: f.url });
    if (!r.ok) throw new Error(r.error);
    for (const item of r.items) out.push({ feed: f.name, url: f.url, item });
  }
  return out;
}

describe('one story through three feeds', () => {
  it('gives three distinct articles whose SimHashes are near (English and Chinese), and keeps an unrelated one apart', async () => {
    const all = await items();
    const en = all.filter((x) => x.item.title?.startsWith('Beijing'));
    const zh = all.filter((x) => x.item.title?.includes('金融科技'));
    expect(new Set(en.map((x) => x.item.canonicalUrl)).size).toBe(3);
    // Tracking parameters, fragments and http/https are gone from the dedup key.
    expect(en.map((x) => x.item.canonicalUrl)).toEqual([
      'https://wire.example/2024/11/05/beijing-fintech-plan',
      'https://www.daily.example/business/beijing-fintech-hub.html',
      'https://agg.example/r/8841',
    ]);
    for (const group of [en, zh]) {
      expect(group).toHaveLength(3);
      for (const a of group) for (const b of group) expect(isNearDuplicate(a.item.simhash, b.item.simhash), `${a.feed}/${b.feed}: ${hammingDistance(a.item.simhash, b.item.simhash)}`).toBe(true);
    }
    const other = all.find((x) => x.item.title?.startsWith('海淀'))!;
    for (const x of [...en, ...zh]) expect(isNearDuplicate(other.item.simhash, x.item.simhash)).toBe(false);
  });

  describe('in the database', () => {
    let db: TestDb;
    beforeAll(async () => {
      db = await createTestDb();
    });
    afterAll(async () => {
      await db?.cleanup();
    });

    it('stores three articles under one story, and the unrelated item under its own', async () => {
      const { ArticleRepository, FeedRepository, StoryRepository } = await import('@radar/db');
      const feeds = new FeedRepository(db.db);
      const articles = new ArticleRepository(db.db);
      const stories = new StoryRepository(db.db);
      const storyOf = new Map<string, number>();
      for (const { feed, url, item } of await items()) {
        const { feed: row } = await feeds.add(url, feed);
        const { id } = await articles.upsertFromFeed({
          feed_id: row.id,
          guid: item.id,
          url: item.link!,
          canonical_url: item.canonicalUrl!,
          source: new URL(item.canonicalUrl!).hostname,
          title: item.title,
          body: item.contentText,
          content_hash: item.contentHash,
          simhash: item.simhash,
          published_at: item.published,
        });
        const a = await stories.assign(id, { title: item.title, contentHash: item.contentHash, simhash: item.simhash });
        storyOf.set(item.title!, a.storyId);
      }
      const en = [...storyOf].filter(([t]) => t.startsWith('Beijing')).map(([, s]) => s);
      const zh = [...storyOf].filter(([t]) => /金融科技/.test(t)).map(([, s]) => s);
      expect(en).toHaveLength(3);
      expect(new Set(en).size).toBe(1);
      expect(new Set(zh).size).toBe(1);
      expect(zh[0]).not.toBe(en[0]);
      expect(storyOf.get('海淀区发布人工智能产业发展行动计划')).not.toBe(zh[0]);
      expect(await articles.count()).toBe(7);
      expect((await articles.storyArticles(en[0]!)).map((a) => a.canonical_url)).toHaveLength(3);
    });
  });
});
