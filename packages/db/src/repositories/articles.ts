import { sql, type Kysely } from 'kysely';
import type { Article, Database, NewArticle } from '../types.js';

export interface UpsertArticleResult {
  id: number;
  /** False when an article with the same canonical URL was already stored. */
  created: boolean;
}

/** All SQL about articles, their per-feed GUIDs and their stories. */
export class ArticleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Inserts an article unless one with the same canonical URL exists. Either way the feed's
   * GUID is remembered, so the feed repeating the item costs nothing next time.
   */
  async upsertFromFeed(article: NewArticle & { feed_id: number; guid: string }): Promise<UpsertArticleResult> {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('articles')
        .values(article)
        .onConflict((oc) => oc.column('canonical_url').doNothing())
        .returning('id')
        .executeTakeFirst();
      const id =
        inserted?.id ??
        (
          await trx
            .selectFrom('articles')
            .select('id')
            .where('canonical_url', '=', article.canonical_url)
            .executeTakeFirstOrThrow()
        ).id;
      await trx
        .insertInto('feed_items')
        .values({ feed_id: article.feed_id, guid: article.guid, article_id: id })
        .onConflict((oc) => oc.columns(['feed_id', 'guid']).doNothing())
        .execute();
      return { id, created: inserted !== undefined };
    });
  }

  /**
   * `upsertFromFeed` for all the new items of one poll, in one transaction of three statements
   * rather than four per item: the articles (those whose canonical URL is already stored are
   * looked up), then the feed's GUIDs. One result per input, in its order; of two items with one
   * canonical URL, only the first counts as created.
   */
  async upsertManyFromFeed(items: (NewArticle & { feed_id: number; guid: string })[]): Promise<UpsertArticleResult[]> {
    if (!items.length) return [];
    const firstOf = new Map<string, NewArticle & { feed_id: number; guid: string }>();
    for (const a of items) if (!firstOf.has(a.canonical_url)) firstOf.set(a.canonical_url, a);
    // Canonical URL order: two crawlers inserting overlapping items wait for each other in one order.
    const rows = [...firstOf.values()].sort((a, b) => (a.canonical_url < b.canonical_url ? -1 : 1));
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('articles')
        .values(rows)
        .onConflict((oc) => oc.column('canonical_url').doNothing())
        .returning(['id', 'canonical_url'])
        .execute();
      const ids = new Map(inserted.map((r) => [r.canonical_url, r.id]));
      const created = new Set(inserted.map((r) => r.canonical_url));
      const missing = rows.map((r) => r.canonical_url).filter((u) => !ids.has(u));
      if (missing.length) {
        const found = await trx.selectFrom('articles').select(['id', 'canonical_url']).where('canonical_url', 'in', missing).execute();
        for (const r of found) ids.set(r.canonical_url, r.id);
      }
      await trx
        .insertInto('feed_items')
        .values(items.map((a) => ({ feed_id: a.feed_id, guid: a.guid, article_id: ids.get(a.canonical_url)! })))
        .onConflict((oc) => oc.columns(['feed_id', 'guid']).doNothing())
        .execute();
      return items.map((a) => {
        const first = firstOf.get(a.canonical_url) === a && created.has(a.canonical_url);
        return { id: ids.get(a.canonical_url)!, created: first };
      });
    });
  }

  /** GUIDs of this feed already stored, among the given ones. */
  async knownGuids(feedId: number, guids: string[]): Promise<Set<string>> {
    if (!guids.length) return new Set();
    const rows = await this.db
      .selectFrom('feed_items')
      .select('guid')
      .where('feed_id', '=', feedId)
      .where('guid', 'in', guids)
      .execute();
    return new Set(rows.map((r) => r.guid));
  }

  get(id: number): Promise<Article | undefined> {
    return this.db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
  }

  getMany(ids: number[]): Promise<Article[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('articles').selectAll().where('id', 'in', ids).orderBy('id').execute();
  }

  async saveExtraction(
    id: number,
    patch: Pick<NewArticle, 'body' | 'extract_status'> &
      Partial<Pick<NewArticle, 'title' | 'author' | 'lang' | 'published_at' | 'extract_error' | 'content_hash' | 'simhash'>>,
  ): Promise<void> {
    await this.db
      .updateTable('articles')
      .set({ ...patch, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  async setStory(id: number, storyId: number): Promise<void> {
    await this.db.updateTable('articles').set({ story_id: storyId }).where('id', '=', id).execute();
  }

  async createStory(title: string | null, simhash: string | null): Promise<number> {
    const row = await this.db
      .insertInto('stories')
      .values({ title, simhash })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Articles of one story (the syndicated copies). */
  storyArticles(storyId: number): Promise<Article[]> {
    return this.db.selectFrom('articles').selectAll().where('story_id', '=', storyId).orderBy('id').execute();
  }

  /** Ids of stored articles created since a date, oldest first, for reclassification. */
  async idsSince(since: Date | null, afterId: number, limit: number): Promise<number[]> {
    let q = this.db.selectFrom('articles').select('id').where('id', '>', afterId);
    if (since) q = q.where('created_at', '>=', since);
    const rows = await q.orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('articles')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
