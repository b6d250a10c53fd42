import { sql, type Kysely } from 'kysely';
import type { Database, NewSignal, Signal } from '../types.js';

/** All SQL about stored signals. */
export class SignalRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Writes the signal of one article: one row per article, replaced on reclassification, and
   * its label rows. A repeated store job writes the same row again (idempotent).
   */
  async upsert(signal: NewSignal & { labels: { areas: { id: string; score: number }[]; districts: { id: string; score: number }[] } }): Promise<{ id: number; created: boolean }> {
    // One writer for one and many: the batched statement with a single row.
    return (await this.upsertMany([signal]))[0]!;
  }

  /**
   * `upsert` for many articles in one transaction of three statements (the signals, the old
   * label rows removed, the new ones), one result per input in its order. Rows go in article
   * order, so two batches that share articles lock them in the same order and cannot deadlock;
   * an article given twice is written once (the last one wins).
   */
  async upsertMany(signals: (NewSignal & { labels: { areas: { id: string; score: number }[]; districts: { id: string; score: number }[] } })[]): Promise<{ id: number; created: boolean }[]> {
    if (!signals.length) return [];
    const byArticle = new Map(signals.map((s) => [s.article_id, s]));
    const rows = [...byArticle.values()].sort((a, b) => a.article_id - b.article_id);
    const written = await this.db.transaction().execute(async (trx) => {
      const out = await trx
        .insertInto('signals')
        .values(rows.map((s) => ({ ...s, labels: JSON.stringify(s.labels) })))
        .onConflict((oc) =>
          oc.column('article_id').doUpdateSet((eb) => ({
            story_id: eb.ref('excluded.story_id'),
            title: eb.ref('excluded.title'),
            lang: eb.ref('excluded.lang'),
            published_at: eb.ref('excluded.published_at'),
            areas: eb.ref('excluded.areas'),
            districts: eb.ref('excluded.districts'),
            labels: eb.ref('excluded.labels'),
            beijing: eb.ref('excluded.beijing'),
            beijing_score: eb.ref('excluded.beijing_score'),
            max_score: eb.ref('excluded.max_score'),
            taxonomy_version: eb.ref('excluded.taxonomy_version'),
            classifier_version: eb.ref('excluded.classifier_version'),
            updated_at: sql`now()`,
          })),
        )
        .returning(['id', 'article_id', sql<boolean>`(xmax = 0)`.as('created')])
        .execute();
      const idOf = new Map(out.map((r) => [r.article_id, r.id]));
      await trx.deleteFrom('signal_labels').where('signal_id', 'in', out.map((r) => r.id)).execute();
      const labelRows = rows.flatMap((s) => [
        ...s.labels.areas.map((l) => ({ signal_id: idOf.get(s.article_id)!, kind: 'area' as const, label: l.id, score: l.score })),
        ...s.labels.districts.map((l) => ({ signal_id: idOf.get(s.article_id)!, kind: 'district' as const, label: l.id, score: l.score })),
      ]);
      if (labelRows.length) await trx.insertInto('signal_labels').values(labelRows).execute();
      return new Map(out.map((r) => [r.article_id, { id: r.id, created: r.created }]));
    });
    return signals.map((s) => written.get(s.article_id)!);
  }

  get(id: number): Promise<Signal | undefined> {
    return this.db.selectFrom('signals').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byArticle(articleId: number): Promise<Signal | undefined> {
    return this.db.selectFrom('signals').selectAll().where('article_id', '=', articleId).executeTakeFirst();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('signals')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** Newest first, for the CLI and the demo. */
  latest(limit: number): Promise<Signal[]> {
    return this.db.selectFrom('signals').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }
}
