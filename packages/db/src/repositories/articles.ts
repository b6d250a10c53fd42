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
