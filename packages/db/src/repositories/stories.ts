import { sql, type Kysely, type Updateable } from 'kysely';
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

/** What story assignment needs of an article. */
export interface StoryCandidate {
  title: string | null;
  contentHash: string | null;
  simhash: string | null;
}

/** The article columns an extraction writes with its story (assign's `set`). */
const EXTRACTION_COLUMNS = new Set(['body', 'title', 'author', 'lang', 'published_at', 'content_hash', 'simhash', 'extract_status', 'extract_error']);
export type ExtractionColumns = Partial<
  Pick<Updateable<Database['articles']>, 'body' | 'title' | 'author' | 'lang' | 'published_at' | 'content_hash' | 'simhash' | 'extract_status' | 'extract_error'>
>;

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
    const since = new Date(Date.now() - (opts.windowDays ?? 3) * 86400_000);
    // The database function assign_stories uses (migration 2026-11-27T04-00): exact, and for a
    // distance up to 11 bits it reads the stories that share a band of bits, not the window.
    const { rows } = await sql<{ id: number | null; distance: number | null }>`
      select o_id as id, o_distance as distance
      from nearest_story(('x' || ${simhash})::bit(64)::bigint, ${since}::timestamptz, ${opts.maxDistance ?? 10}::int)`.execute(db);
    const row = rows[0];
    return row?.id == null ? null : { id: row.id, distance: row.distance! };
  }

  /**
   * Puts an article under a story: the story of an earlier article with the same content hash,
   * else the recent story with the nearest SimHash, else a new story. Concurrent assignments of
   * copies are serialised by advisory locks on the content hash and on the SimHash's 8 bands
   * (copies within 7 bits always share a band, farther ones usually do), so two workers rarely
   * make two stories of one.
   *
   * `set` holds the extraction to write with the story (text, hash, SimHash, ...), so the
   * article is updated once. One round trip: see assignMany.
   */
  async assign(
    articleId: number,
    article: StoryCandidate,
    opts: StoryMatchOptions = {},
    set: ExtractionColumns = {},
  ): Promise<StoryAssignment> {
    return (await this.assignMany([{ articleId, article, set }], opts))[0]!;
  }

  /**
   * `assign` for many articles in one statement and one transaction, one result per item in its
   * order: the database function `assign_stories` (migration 2026-11-27T01-00) takes every lock
   * of the batch, then assigns the articles in turn, each seeing the stories made before it.
   * An article that does not exist fails the whole call (the caller's batcher then retries the
   * items one by one).
   */
  async assignMany(
    items: { articleId: number; article: StoryCandidate; set?: ExtractionColumns }[],
    opts: StoryMatchOptions = {},
  ): Promise<StoryAssignment[]> {
    if (!items.length) return [];
    const payload = items.map(({ articleId, article, set = {} }) => {
      const simhash = isSimhash(article.simhash) ? article.simhash : null;
      const locks = simhash ? Array.from({ length: BANDS }, (_, i) => `story-band:${i}:${simhash.slice(2 * i, 2 * i + 2)}`) : [];
      if (article.contentHash) locks.push(`story-hash:${article.contentHash}`);
      const columns = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
      const unknown = Object.keys(columns).filter((k) => !EXTRACTION_COLUMNS.has(k));
      if (unknown.length) throw new Error(`assign: not extraction columns: ${unknown.join(', ')}`);
      return { article_id: articleId, title: article.title, content_hash: article.contentHash, simhash, locks, set: columns };
    });
    const since = new Date(Date.now() - (opts.windowDays ?? 3) * 86400_000);
    const { rows } = await sql<{ o_article_id: number; o_story_id: number; o_prio: number | null; o_distance: number | null }>`
      select * from assign_stories(${JSON.stringify(payload)}::jsonb, ${since}::timestamptz, ${opts.maxDistance ?? 10}::int)`.execute(this.db);
    if (rows.length !== items.length) throw new Error(`assign_stories returned ${rows.length} rows for ${items.length} articles`);
    return rows.map((row): StoryAssignment => {
      if (row.o_prio === 1) return { storyId: row.o_story_id, created: false, matchedBy: 'content-hash' };
      if (row.o_prio === 2) return { storyId: row.o_story_id, created: false, matchedBy: 'simhash', distance: row.o_distance! };
      return { storyId: row.o_story_id, created: true, matchedBy: 'new' };
    });
  }
}
