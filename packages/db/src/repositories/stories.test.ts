import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dropSchema, migrateToLatest, openDb, repositories, type Db } from '../index.js';

const PG = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Deterministic numbers in [0, 1): the same hashes on every run. */
function counterRandom(): () => number {
  let n = 0;
  return () => createHash('sha256').update(String(n++)).digest().readUInt32BE(0) / 2 ** 32;
}

const hex = (v: bigint): string => v.toString(16).padStart(16, '0');
const popcount = (v: bigint): number => v.toString(2).replaceAll('0', '').length;

describe('nearest story by SimHash', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('finds what an exact scan of the window finds, at every distance limit, for a lookup and for story assignment (PostgreSQL and PGlite)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-pglite-'));
    dirs.push(dir);
    const databases: Promise<Db>[] = [openDb({ databaseUrl: PG, schema: `t_${randomUUID().replaceAll('-', '').slice(0, 16)}` }), openDb({ dataDir: dir })];
    for (const pending of databases) {
      const handle = await pending;
      try {
        await migrateToLatest(handle);
        const repos = repositories(handle.db);
        const rand = counterRandom();
        const word = (): bigint => BigInt(Math.floor(rand() * 2 ** 32));
        const randomHash = (): bigint => (word() << 32n) | word();
        const flip = (v: bigint, bits: number): bigint => {
          const at = new Set<number>();
          while (at.size < bits) at.add(Math.floor(rand() * 64));
          return [...at].reduce((x, b) => x ^ (1n << BigInt(b)), v);
        };
        // 600 stories, a sixth of them older than the window; bases, and copies of them 1 to 12
        // bits away (bits of every band, the top bit included), so that the nearest is not
        // always the first.
        const stories: { hash: bigint; old: boolean }[] = [];
        for (let i = 0; i < 100; i++) {
          const base = randomHash();
          stories.push({ hash: base, old: i % 6 === 0 });
          for (let j = 0; j < 5; j++) stories.push({ hash: flip(base, 1 + Math.floor(rand() * 12)), old: rand() < 0.15 });
        }
        const ids: number[] = [];
        for (const s of stories) {
          const { rows } = await sql<{ id: number }>`
            insert into stories (title, simhash, created_at)
            values ('t', ${hex(s.hash)}, ${s.old ? sql`now() - interval '10 days'` : sql`now()`}) returning id`.execute(handle.db);
          ids.push(rows[0]!.id);
        }
        await sql`analyze stories`.execute(handle.db);
        const queries = [...stories.slice(0, 60).map((s) => flip(s.hash, Math.floor(rand() * 13))), ...Array.from({ length: 10 }, randomHash)];
        const limits = [0, 3, 5, 6, 10, 11, 12, 20];
        const { feed } = await repos.feeds.add('https://example.org/feed.xml');
        const articles = await repos.articles.upsertManyFromFeed(
          Array.from({ length: queries.length * limits.length }, (_, i) => ({ feed_id: feed.id, guid: `g${i}`, url: `https://example.org/${i}`, canonical_url: `https://example.org/${i}`, source: 'example.org' })),
        );
        let matched = 0;
        for (const q of queries) {
          for (const maxDistance of limits) {
            // The nearest story of the window, the first made on a tie.
            let found: { id: number; distance: number } | null = null;
            for (const [i, s] of stories.entries()) {
              const distance = popcount(s.hash ^ q);
              if (!s.old && distance <= maxDistance && (!found || distance < found.distance)) found = { id: ids[i]!, distance };
            }
            expect(await repos.stories.findNearDuplicate(hex(q), { maxDistance }), `${hex(q)} within ${maxDistance}`).toEqual(found);
            // Story assignment (its own copy of the lookup) puts the article under that story,
            // or under a new one, which the next lookups see.
            const assigned = await repos.stories.assign(articles.shift()!.id, { title: 't', contentHash: null, simhash: hex(q) }, { maxDistance });
            if (found) {
              matched++;
              expect(assigned).toEqual({ storyId: found.id, created: false, matchedBy: 'simhash', distance: found.distance });
            } else {
              expect(assigned).toMatchObject({ created: true, matchedBy: 'new' });
              stories.push({ hash: q, old: false });
              ids.push(assigned.storyId);
            }
          }
        }
        // The comparisons found copies at every limit, not only misses.
        expect(matched).toBeGreaterThan(200);
      } finally {
        if (handle.kind === 'postgres') await dropSchema(handle);
        await handle.close();
      }
    }
  });
});
