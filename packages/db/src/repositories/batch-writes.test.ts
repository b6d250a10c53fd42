import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dropSchema, migrateToLatest, openDb, repositories, type Db } from '../index.js';

const PG = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

const labels = (area: string) => ({ areas: [{ id: area, score: 0.9, evidence: [] }], districts: [{ id: 'haidian', score: 0.8, evidence: [] }] });
const signal = (articleId: number, feedId: number, area: string) => ({
  article_id: articleId,
  feed_id: feedId,
  url: `https://example.org/${articleId}`,
  source: 'example.org',
  title: `t${articleId}`,
  areas: [area],
  districts: ['haidian'],
  labels: labels(area),
  beijing: true,
  beijing_score: 0.9,
  max_score: 0.9,
  taxonomy_version: 't1',
  classifier_version: 'c1',
});

/** The batched writes of the crawler and the store stage, on PostgreSQL and on the embedded PGlite. */
describe('batched writes', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const databases = (): Promise<Db>[] => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-pglite-'));
    dirs.push(dir);
    return [openDb({ databaseUrl: PG, schema: `t_${randomUUID().replaceAll('-', '').slice(0, 16)}` }), openDb({ dataDir: dir })];
  };

  it('store a poll’s items in one call, once per canonical URL, and remember every GUID', async () => {
    for (const pending of databases()) {
      const handle = await pending;
      try {
        await migrateToLatest(handle);
        const repos = repositories(handle.db);
        const { feed } = await repos.feeds.add('https://example.org/feed.xml');
        const item = (guid: string, url: string) => ({ feed_id: feed.id, guid, url, canonical_url: url, source: 'example.org', title: guid });
        const first = await repos.articles.upsertManyFromFeed([item('a', 'https://example.org/a'), item('b', 'https://example.org/b'), item('b2', 'https://example.org/b')]);
        expect(first.map((r) => r.created)).toEqual([true, true, false]);
        expect(first[1]!.id).toBe(first[2]!.id);
        const again = await repos.articles.upsertManyFromFeed([item('c', 'https://example.org/c'), item('a', 'https://example.org/a')]);
        expect(again.map((r) => r.created)).toEqual([true, false]);
        expect(again[1]!.id).toBe(first[0]!.id);
        expect([...(await repos.articles.knownGuids(feed.id, ['a', 'b', 'b2', 'c', 'x']))].sort()).toEqual(['a', 'b', 'b2', 'c']);
        expect(await repos.articles.count()).toBe(3);
        expect(await repos.articles.upsertManyFromFeed([])).toEqual([]);
      } finally {
        if (handle.kind === 'postgres') await dropSchema(handle);
        await handle.close();
      }
    }
  });

  it('upsert many signals in one transaction: one row per article, labels replaced, results in input order', async () => {
    for (const pending of databases()) {
      const handle = await pending;
      try {
        await migrateToLatest(handle);
        const repos = repositories(handle.db);
        const { feed } = await repos.feeds.add('https://example.org/feed.xml');
        const ids = (
          await repos.articles.upsertManyFromFeed(
            [1, 2, 3].map((i) => ({ feed_id: feed.id, guid: `g${i}`, url: `https://example.org/${i}`, canonical_url: `https://example.org/${i}`, source: 'example.org' })),
          )
        ).map((r) => r.id);
        const first = await repos.signals.upsertMany([signal(ids[2]!, feed.id, 'ai'), signal(ids[0]!, feed.id, 'ai')]);
        expect(first.map((r) => r.created)).toEqual([true, true]);
        // Again with one new article and one article given twice (the last wins).
        const second = await repos.signals.upsertMany([signal(ids[0]!, feed.id, 'payments'), signal(ids[1]!, feed.id, 'ai'), signal(ids[0]!, feed.id, 'blockchain')]);
        expect(second.map((r) => r.created)).toEqual([false, true, false]);
        expect(second[0]!.id).toBe(first[1]!.id);
        expect(await repos.signals.count()).toBe(3);
        const s = await repos.signals.byArticle(ids[0]!);
        expect(s!.areas).toEqual(['blockchain']);
        const rows = await handle.db.selectFrom('signal_labels').select(['label']).where('signal_id', '=', s!.id).orderBy('label').execute();
        expect(rows.map((r) => r.label)).toEqual(['blockchain', 'haidian']);
        // A reclassification that changes a score and drops a label: the label rows follow.
        const third = await repos.signals.upsertMany([
          { ...signal(ids[0]!, feed.id, 'blockchain'), districts: [], labels: { areas: [{ id: 'blockchain', score: 0.7, evidence: [] }], districts: [] } },
        ]);
        expect(third).toEqual([{ id: s!.id, created: false }]);
        const after = await handle.db.selectFrom('signal_labels').select(['kind', 'label', 'score']).where('signal_id', '=', s!.id).execute();
        expect(after).toEqual([{ kind: 'area', label: 'blockchain', score: expect.closeTo(0.7, 5) }]);
        expect(await repos.signals.byArticle(ids[0]!)).toMatchObject({ districts: [], labels: { areas: [{ id: 'blockchain', score: 0.7 }], districts: [] } });
        expect(await repos.signals.upsertMany([])).toEqual([]);
      } finally {
        if (handle.kind === 'postgres') await dropSchema(handle);
        await handle.close();
      }
    }
  });

  it('group copies under one story (by content hash, else SimHash) and write the extraction with it, in one round trip', async () => {
    for (const pending of databases()) {
      const handle = await pending;
      try {
        await migrateToLatest(handle);
        const repos = repositories(handle.db);
        const { feed } = await repos.feeds.add('https://example.org/feed.xml');
        const [a, b, c, d] = await repos.articles.upsertManyFromFeed(
          [1, 2, 3, 4].map((i) => ({ feed_id: feed.id, guid: `g${i}`, url: `https://example.org/${i}`, canonical_url: `https://example.org/${i}`, source: 'example.org' })),
        );
        const story = { title: 'x', contentHash: 'h1', simhash: '0123456789abcdef' };
        const first = await repos.stories.assign(a!.id, story, {}, { body: 'text', extract_status: 'page', content_hash: 'h1' });
        const copy = await repos.stories.assign(b!.id, { ...story, contentHash: 'h2', simhash: '0123456789abcdee' });
        // Same text: matched by hash, even with a SimHash far from every story's.
        const same = await repos.stories.assign(c!.id, { ...story, simhash: 'fedcba9876543210' });
        const other = await repos.stories.assign(d!.id, { title: 'y', contentHash: null, simhash: 'fedcba9876543210' });
        expect(first.created).toBe(true);
        expect(copy).toMatchObject({ storyId: first.storyId, matchedBy: 'simhash', distance: 1 });
        expect(same).toMatchObject({ storyId: first.storyId, matchedBy: 'content-hash' });
        expect(other).toMatchObject({ created: true, matchedBy: 'new' });
        expect(other.storyId).not.toBe(first.storyId);
        // The extraction written with the story, in the same statement.
        expect(await repos.articles.get(a!.id)).toMatchObject({ story_id: first.storyId, body: 'text', extract_status: 'page', content_hash: 'h1' });
        expect((await repos.articles.get(d!.id))!.story_id).toBe(other.storyId);
        // Columns left out of the extraction keep their value; a date goes through JSON intact.
        const published = new Date('2026-11-20T08:30:00Z');
        await repos.stories.assign(a!.id, story, {}, { title: 'new title', published_at: published, extract_error: null });
        expect(await repos.articles.get(a!.id)).toMatchObject({ body: 'text', title: 'new title', published_at: published, extract_error: null });
        // The scan's distance is the bit count of the XOR, the top bit (a negative bigint) too;
        // the nearest story wins, and one beyond maxDistance is not a copy.
        const [e, f, g] = await repos.articles.upsertManyFromFeed(
          [5, 6, 7].map((i) => ({ feed_id: feed.id, guid: `g${i}`, url: `https://example.org/${i}`, canonical_url: `https://example.org/${i}`, source: 'example.org' })),
        );
        const near = await repos.stories.assign(e!.id, { title: 'z', contentHash: null, simhash: 'fedcba9876543211' });
        expect(near).toMatchObject({ storyId: other.storyId, matchedBy: 'simhash', distance: 1 });
        const flipped = await repos.stories.assign(f!.id, { title: 'z', contentHash: null, simhash: '7edcba98f6543210' }, { maxDistance: 2 });
        expect(flipped).toMatchObject({ storyId: other.storyId, matchedBy: 'simhash', distance: 2 });
        expect(await repos.stories.findNearDuplicate('7edcba98f6543210', { maxDistance: 2 })).toEqual({ id: other.storyId, distance: 2 });
        expect(await repos.stories.assign(g!.id, { title: 'z', contentHash: null, simhash: '7edcba98f6543210' }, { maxDistance: 1 })).toMatchObject({ created: true });
        // A batch in one call: each article sees the stories made by those before it (a copy by
        // hash, a near copy by SimHash), results in input order; a missing article fails it all.
        const [h, i, j] = await repos.articles.upsertManyFromFeed(
          [8, 9, 10].map((n) => ({ feed_id: feed.id, guid: `g${n}`, url: `https://example.org/${n}`, canonical_url: `https://example.org/${n}`, source: 'example.org' })),
        );
        const batch = await repos.stories.assignMany([
          { articleId: h!.id, article: { title: 'w', contentHash: 'h9', simhash: '00000000ffffffff' }, set: { content_hash: 'h9', body: 'w' } },
          { articleId: i!.id, article: { title: 'w', contentHash: 'h9', simhash: '1111111111111111' }, set: { content_hash: 'h9' } },
          { articleId: j!.id, article: { title: 'w', contentHash: 'h10', simhash: '00000000fffffff0' } },
        ]);
        expect(batch).toMatchObject([{ created: true }, { storyId: batch[0]!.storyId, matchedBy: 'content-hash' }, { storyId: batch[0]!.storyId, matchedBy: 'simhash', distance: 4 }]);
        expect((await repos.articles.get(i!.id))!.story_id).toBe(batch[0]!.storyId);
        expect(await repos.stories.assignMany([])).toEqual([]);
        await expect(
          repos.stories.assignMany([{ articleId: h!.id, article: story }, { articleId: 999_999, article: story }]),
        ).rejects.toThrow('article 999999 not found');
        // The previous release's extractors call assign_story during a rolling upgrade: it still works.
        const [k] = await repos.articles.upsertManyFromFeed([{ feed_id: feed.id, guid: 'g11', url: 'https://example.org/11', canonical_url: 'https://example.org/11', source: 'example.org' }]);
        const { rows: byOld } = await sql<{ o_story_id: number; o_prio: number | null }>`
          select * from assign_story(${k!.id}::int, 'w'::text, 'h9'::text, null::text, now() - interval '3 days', 10, array['story-hash:h9']::text[], '{}'::jsonb)`.execute(handle.db);
        expect(byOld[0]).toEqual({ o_story_id: batch[0]!.storyId, o_prio: 1, o_distance: null });
        await expect(repos.stories.assign(999_999, story)).rejects.toThrow('article 999999 not found');
        await expect(repos.stories.assign(a!.id, story, {}, { url: 'x' } as never)).rejects.toThrow('not extraction columns: url');
      } finally {
        if (handle.kind === 'postgres') await dropSchema(handle);
        await handle.close();
      }
    }
  });

  it('make one story of copies assigned at the same moment: the later one sees the story the first committed while it waited (PostgreSQL)', async () => {
    const handle = await openDb({ databaseUrl: PG, schema: `t_${randomUUID().replaceAll('-', '').slice(0, 16)}` });
    try {
      await migrateToLatest(handle);
      const repos = repositories(handle.db);
      const { feed } = await repos.feeds.add('https://example.org/feed.xml');
      const rows = await repos.articles.upsertManyFromFeed(
        Array.from({ length: 4 }, (_, i) => ({ feed_id: feed.id, guid: `g${i}`, url: `https://example.org/${i}`, canonical_url: `https://example.org/${i}`, source: 'example.org' })),
      );
      // Another worker holds the lock of this text while all four copies arrive, so they all
      // wait on it and then run one after another.
      let pending: Promise<{ storyId: number; created: boolean }[]> | undefined;
      await handle.db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${'story-hash:same'}))`.execute(trx);
        pending = Promise.all(rows.map((r) => repos.stories.assign(r.id, { title: 't', contentHash: 'same', simhash: '0123456789abcdef' }, {}, { content_hash: 'same' })));
        await new Promise((r) => setTimeout(r, 300));
      });
      const results = await pending!;
      expect(new Set(results.map((r) => r.storyId)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    } finally {
      await dropSchema(handle);
      await handle.close();
    }
  });
});
