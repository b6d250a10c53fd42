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
   * `upsert` for many articles in one statement, one result per input in its order: the signals
   * upserted, their label rows written (a changed score updated, a label no longer given removed).
   * It was a transaction of five round trips (BEGIN, the upsert, a delete and an insert of the
   * labels, COMMIT); one statement is as atomic, and the rows travel as one JSON parameter, so
   * the statement's text is the same for every batch. Rows go in article order, so two batches
   * that share articles lock them in the same order and cannot deadlock; an article given twice
   * is written once (the last one wins).
   *
   * The label CTEs touch disjoint rows (those still given, those no longer given), so the order
   * in which PostgreSQL runs them does not matter. The labels no longer given are looked up by
   * `signal_id = any(array(...))`, which the primary key's index answers: a join with the
   * upserted rows let the planner read all of signal_labels for each batch (a sequential scan,
   * its cost growing with the table; on a young table's statistics it always chose it).
   */
  async upsertMany(signals: (NewSignal & { labels: { areas: { id: string; score: number }[]; districts: { id: string; score: number }[] } })[]): Promise<{ id: number; created: boolean }[]> {
    if (!signals.length) return [];
    const byArticle = new Map(signals.map((s) => [s.article_id, s]));
    const rows = [...byArticle.values()].sort((a, b) => a.article_id - b.article_id);
    const { rows: out } = await sql<{ id: number; article_id: number; created: boolean }>`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(
          article_id integer, story_id integer, feed_id integer, title text, url text, source text, lang text,
          published_at timestamptz, areas text[], districts text[], labels jsonb, beijing boolean,
          beijing_score real, max_score real, taxonomy_version text, classifier_version text)
      ),
      s as (
        insert into signals (article_id, story_id, feed_id, title, url, source, lang, published_at, areas, districts,
          labels, beijing, beijing_score, max_score, taxonomy_version, classifier_version)
        select article_id, story_id, feed_id, title, url, source, lang, published_at, areas, districts,
          labels, beijing, beijing_score, max_score, taxonomy_version, classifier_version
        from v order by article_id
        on conflict (article_id) do update set
          story_id = excluded.story_id, title = excluded.title, lang = excluded.lang, published_at = excluded.published_at,
          areas = excluded.areas, districts = excluded.districts, labels = excluded.labels, beijing = excluded.beijing,
          beijing_score = excluded.beijing_score, max_score = excluded.max_score,
          taxonomy_version = excluded.taxonomy_version, classifier_version = excluded.classifier_version, updated_at = now()
        returning id, article_id, (xmax = 0) as created
      ),
      nl as (
        select s.id as signal_id, l.kind, l.label, l.score
        from s join v on v.article_id = s.article_id
        cross join lateral (
          select 'area' as kind, x->>'id' as label, (x->>'score')::real as score from jsonb_array_elements(v.labels->'areas') x
          union all
          select 'district', x->>'id', (x->>'score')::real from jsonb_array_elements(v.labels->'districts') x
        ) l
      ),
      gone as (
        delete from signal_labels o
        where o.signal_id = any (array(select id from s))
          and not exists (select 1 from nl where nl.signal_id = o.signal_id and nl.kind = o.kind and nl.label = o.label)
      ),
      put as (
        insert into signal_labels (signal_id, kind, label, score)
        select signal_id, kind, label, score from nl
        on conflict (signal_id, kind, label) do update set score = excluded.score
      )
      select id, article_id, created from s`.execute(this.db);
    const written = new Map(out.map((r) => [r.article_id, { id: r.id, created: r.created }]));
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
