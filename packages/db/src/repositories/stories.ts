import { sql, type Kysely } from 'kysely';
import type { Database } from '../types.js';

/** Advisory-lock bands: 8 pieces of 2 hex digits; near copies usually share one (see assign). */
const BANDS = 8;

export interface StoryAssignment {
  storyId: number;
  /** True when no earlier story matched and a new one was made. */
  created: boolean;
  matchedBy: 'content-hash' | 'simhash' | 'new';
  /** Hamming distance to the story's SimHash, when matched by SimHash. */
  distance?: number;
}

export interface StoryMatchOptions {
  /** Largest SimHash distance of a near copy (default 10, @radar/feeds NEAR_DUPLICATE_DISTANCE). */
  maxDistance?: number;
  /** Only stories created this recently are candidates (default 3 days): syndication is quick. */
  windowDays?: number;
}

function isSimhash(s: string | null | undefined): s is string {
  return !!s && /^[0-9a-f]{16}$/.test(s);
}

/** All SQL about stories: the grouping of syndicated copies of one story. */
export class StoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The recent story whose SimHash is nearest to `simhash` within `maxDistance`, or null. */
  async findNearDuplicate(
    simhash: string,
    opts: StoryMatchOptions = {},
    db: Kysely<Database> = this.db,
  ): Promise<{ id: number; distance: number } | null> {
    if (!isSimhash(simhash)) return null;
    const maxDistance = opts.maxDistance ?? 10;
    const since = new Date(Date.now() - (opts.windowDays ?? 3) * 86400_000);
    // An exact scan of the window: LSH bands over 64 bits cannot promise to find copies 10 bits
    // apart, and bit_count over a few days of stories costs milliseconds.
    const distance = sql<number>`bit_count(('x' || simhash)::bit(64) # ('x' || ${simhash})::bit(64))::int`;
    const row = await db
      .selectFrom('stories')
      .select(['id', distance.as('distance')])
      .where('created_at', '>=', since)
      .where('simhash', 'is not', null)
      .where(distance, '<=', maxDistance)
      .orderBy('distance')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Puts an article under a story: the story of an earlier article with the same content hash,
   * else the recent story with the nearest SimHash, else a new story. Concurrent assignments of
   * copies are serialised by advisory locks on the content hash and on the SimHash's 8 bands
   * (copies within 7 bits always share a band, farther ones usually do), so two workers rarely
   * make two stories of one.
   */
  async assign(
    articleId: number,
    article: { title: string | null; contentHash: string | null; simhash: string | null },
    opts: StoryMatchOptions = {},
  ): Promise<StoryAssignment> {
    return this.db.transaction().execute(async (trx) => {
      const keys = isSimhash(article.simhash)
        ? Array.from({ length: BANDS }, (_, i) => `story-band:${i}:${article.simhash!.slice(2 * i, 2 * i + 2)}`).sort()
        : [];
      if (article.contentHash) keys.unshift(`story-hash:${article.contentHash}`);
      // One round trip for every lock (they were nine): the function scan takes them in array order.
      if (keys.length) await sql`select pg_advisory_xact_lock(hashtext(k)) from unnest(${keys}::text[]) as k`.execute(trx);

      let result: StoryAssignment | null = null;
      if (article.contentHash) {
        // Materialised first, so the lookup goes through the content-hash index: with stale
        // statistics (a young table) the planner otherwise walks the primary key in id order to
        // satisfy ORDER BY ... LIMIT 1, reading every article (3 ms a call at 5,000 articles).
        const same = await trx
          .with(
            (cte) => cte('same').materialized(),
            (db) =>
              db
                .selectFrom('articles')
                .select(['id', 'story_id'])
                .where('content_hash', '=', article.contentHash!)
                .where('id', '<>', articleId)
                .where('story_id', 'is not', null),
          )
          .selectFrom('same')
          .select('story_id')
          .orderBy('id')
          .limit(1)
          .executeTakeFirst();
        if (same?.story_id) result = { storyId: same.story_id, created: false, matchedBy: 'content-hash' };
      }
      if (!result && isSimhash(article.simhash)) {
        const near = await this.findNearDuplicate(article.simhash, opts, trx);
        if (near) result = { storyId: near.id, created: false, matchedBy: 'simhash', distance: near.distance };
      }
      if (!result) {
        const row = await trx
          .insertInto('stories')
          .values({ title: article.title, simhash: isSimhash(article.simhash) ? article.simhash : null })
          .returning('id')
          .executeTakeFirstOrThrow();
        result = { storyId: row.id, created: true, matchedBy: 'new' };
      }
      await trx.updateTable('articles').set({ story_id: result.storyId }).where('id', '=', articleId).execute();
      return result;
    });
  }
}
