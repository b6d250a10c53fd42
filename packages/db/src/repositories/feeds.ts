import { sql, type Kysely } from 'kysely';
import type { Database, Feed, FeedHealth, FeedUpdate } from '../types.js';

export interface FeedHealthCount {
  health: FeedHealth;
  count: number;
}

/** All SQL about feeds. */
export class FeedRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds a feed, or returns the existing one with the same URL (adding twice is harmless). */
  async add(url: string, title?: string | null): Promise<{ feed: Feed; created: boolean }> {
    const inserted = await this.db
      .insertInto('feeds')
      .values({ url, title: title ?? null })
      .onConflict((oc) => oc.column('url').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { feed: inserted, created: true };
    const feed = await this.db.selectFrom('feeds').selectAll().where('url', '=', url).executeTakeFirstOrThrow();
    return { feed, created: false };
  }

  get(id: number): Promise<Feed | undefined> {
    return this.db.selectFrom('feeds').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByUrl(url: string): Promise<Feed | undefined> {
    return this.db.selectFrom('feeds').selectAll().where('url', '=', url).executeTakeFirst();
  }

  list(): Promise<Feed[]> {
    return this.db.selectFrom('feeds').selectAll().orderBy('id').execute();
  }

  /** Removes a feed by id or URL; its articles and signals stay. */
  async remove(idOrUrl: number | string): Promise<boolean> {
    const q = this.db.deleteFrom('feeds');
    const res = await (typeof idOrUrl === 'number' ? q.where('id', '=', idOrUrl) : q.where('url', '=', idOrUrl))
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /**
   * Claims the feeds whose next poll time has come, and moves their next poll time forward by
   * `leaseS` so that another scheduler tick (on this or another machine) does not claim them
   * again while their fetch job runs. The fetch job then sets the real next poll time.
   */
  async claimDue(limit: number, leaseS = 600, now = new Date()): Promise<Feed[]> {
    return this.db
      .updateTable('feeds')
      .set({ next_poll_at: sql`${now}::timestamptz + make_interval(secs => ${leaseS})` })
      .where(
        'id',
        'in',
        this.db
          .selectFrom('feeds')
          .select('id')
          .where('active', '=', true)
          .where('next_poll_at', '<=', now)
          .orderBy('next_poll_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
  }

  /**
   * Gives back feeds claimed by claimDue whose fetch could not be queued (Redis down): they are
   * due again at once instead of waiting out the lease. A feed claimed since (another lease) is
   * left alone.
   */
  async releaseClaims(claimed: Pick<Feed, 'id' | 'next_poll_at'>[]): Promise<number> {
    if (!claimed.length) return 0;
    const res = await this.db
      .updateTable('feeds')
      .set({ next_poll_at: sql`now()` })
      .where((eb) => eb.or(claimed.map((f) => eb.and([eb('id', '=', f.id), eb('next_poll_at', '=', f.next_poll_at)]))))
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /** Makes a feed due now (re-poll). */
  async pollNow(id: number): Promise<boolean> {
    const res = await this.db
      .updateTable('feeds')
      .set({ next_poll_at: sql`now()`, active: true })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async update(id: number, patch: FeedUpdate): Promise<void> {
    await this.db
      .updateTable('feeds')
      .set({ ...patch, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  async healthCounts(): Promise<FeedHealthCount[]> {
    const rows = await this.db
      .selectFrom('feeds')
      .select(['health', sql<number>`count(*)::int`.as('count')])
      .groupBy('health')
      .execute();
    return rows;
  }
}
