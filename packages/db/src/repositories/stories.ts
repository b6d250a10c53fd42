import { sql, type Kysely, type RawBuilder, type Updateable } from 'kysely';
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
   *
   * `set` holds more columns of the article to write with its story (the extractor's text,
   * hash and SimHash), so the article is updated once. Four round trips in all: BEGIN, the
   * locks, one statement that looks both matches up, makes the story if neither matched and
   * updates the article, COMMIT. (The lookup needs a statement of its own after the locks: a
   * statement's snapshot is taken when it starts, before a lock it waited for was granted.)
   */
  async assign(
    articleId: number,
    article: { title: string | null; contentHash: string | null; simhash: string | null },
    opts: StoryMatchOptions = {},
    set: Partial<Omit<Updateable<Database['articles']>, 'id' | 'story_id'>> = {},
  ): Promise<StoryAssignment> {
    return this.db.transaction().execute(async (trx) => {
      const simhash = isSimhash(article.simhash) ? article.simhash : null;
      const keys = simhash ? Array.from({ length: BANDS }, (_, i) => `story-band:${i}:${simhash.slice(2 * i, 2 * i + 2)}`).sort() : [];
      if (article.contentHash) keys.unshift(`story-hash:${article.contentHash}`);
      // One round trip for every lock (they were nine): the function scan takes them in array order.
      if (keys.length) await sql`select pg_advisory_xact_lock(hashtext(k)) from unnest(${keys}::text[]) as k`.execute(trx);

      const candidates: RawBuilder<unknown>[] = [];
      if (article.contentHash) {
        // Materialised first, so the lookup goes through the content-hash index: with stale
        // statistics (a young table) the planner otherwise walks the primary key in id order to
        // satisfy ORDER BY ... LIMIT 1, reading every article (3 ms a call at 5,000 articles).
        candidates.push(sql`(select story_id as id, 1 as prio, null::int as distance from same order by id limit 1)`);
      }
      if (simhash) {
        const since = new Date(Date.now() - (opts.windowDays ?? 3) * 86400_000);
        const distance = sql`bit_count(('x' || simhash)::bit(64) # ('x' || ${simhash})::bit(64))::int`;
        candidates.push(sql`(select id, 2 as prio, ${distance} as distance from stories
          where created_at >= ${since} and simhash is not null and ${distance} <= ${opts.maxDistance ?? 10}
          order by 3, 1 limit 1)`);
      }
      const match = candidates.length ? sql.join(candidates, sql` union all `) : sql`select null::int as id, 0 as prio, null::int as distance where false`;
      const columns = Object.entries(set).filter(([, v]) => v !== undefined);
      const assignments = sql.join([...columns.map(([k, v]) => sql`${sql.ref(k)} = ${v}`), sql`updated_at = now()`]);
      const row = (
        await sql<{ story_id: number; prio: number | null; distance: number | null }>`
          with same as materialized (
            select id, story_id from articles
            where content_hash = ${article.contentHash} and id <> ${articleId} and story_id is not null
          ),
          m as (select id, prio, distance from (${match}) c order by prio limit 1),
          s as (
            insert into stories (title, simhash)
            select ${article.title}, ${simhash} where not exists (select 1 from m)
            returning id
          )
          update articles set ${assignments}, story_id = coalesce((select id from m), (select id from s))
          where id = ${articleId}
          returning story_id, (select prio from m) as prio, (select distance from m) as distance`.execute(trx)
      ).rows[0];
      if (!row) throw new Error(`article ${articleId} not found`);
      if (row.prio === 1) return { storyId: row.story_id, created: false, matchedBy: 'content-hash' };
      if (row.prio === 2) return { storyId: row.story_id, created: false, matchedBy: 'simhash', distance: row.distance! };
      return { storyId: row.story_id, created: true, matchedBy: 'new' };
    });
  }
}
