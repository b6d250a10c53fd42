import { sql, type Kysely } from 'kysely';

// Frozen in time: this file describes the schema as it was on its date. Never edit it; add a
// new migration instead (a changed view is `signals_v2`, created beside this one).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The transaction that inserted the signal. The API's live stream orders by (tx, id) and only
  // emits rows whose transaction is older than every running one, so a signal whose insert
  // commits after a later id's (concurrent store workers) is never skipped. The upsert of a
  // reclassification does not touch it: the signal is not "new" again.
  await sql`alter table signals add column tx xid8 not null default pg_current_xact_id()`.execute(db);
  await sql`create index signals_tx on signals (tx, id)`.execute(db);

  // The time of a signal for ranges and trends: when it was published, or stored if the feed
  // gave no date.
  await sql`create index signals_occurred on signals ((coalesce(published_at, created_at)), id)`.execute(db);
  await sql`create index signals_source on signals (source, id)`.execute(db);
  await sql`create index signals_lang on signals (lang, id)`.execute(db);

  // Text queries are substring matches (ILIKE), which need no word segmentation and so work for
  // Chinese as well as English. pg_trgm indexes them (CJK characters make trigrams too under a
  // UTF-8 ctype). The embedded PGlite has no pg_trgm: there the query scans, correctly but slower.
  await sql`
    do $$
    begin
      if not exists (select 1 from pg_extension where extname = 'pg_trgm') then
        create extension pg_trgm with schema public;
      end if;
    exception when others then
      raise notice 'pg_trgm is not available (%); text queries will not be indexed', sqlerrm;
    end
    $$`.execute(db);
  const trgm = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pg_trgm'`.execute(db);
  const trgmSchema = trgm.rows[0]?.schema;
  if (trgmSchema) {
    await sql`create index articles_text_trgm on articles using gin
      ((coalesce(title, '') || ' ' || coalesce(summary, '')) ${sql.id(trgmSchema, 'gin_trgm_ops')})`.execute(db);
  }

  // The versioned, documented view for BI tools that read PostgreSQL directly. Its columns are a
  // contract: never change this view; add signals_v2 instead.
  await sql`
    create view signals_v1 as
    select
      s.id as signal_id,
      s.article_id,
      s.story_id,
      s.feed_id,
      s.title,
      a.summary,
      s.url,
      s.source,
      s.lang,
      s.published_at,
      coalesce(s.published_at, s.created_at) as occurred_at,
      s.areas,
      s.districts,
      s.beijing,
      s.beijing_score,
      s.max_score,
      s.labels,
      s.taxonomy_version,
      s.classifier_version,
      s.created_at,
      s.updated_at
    from signals s
    join articles a on a.id = s.article_id`.execute(db);
  const comments: Record<string, string> = {
    signal_id: 'Signal id (stable; one signal per article, updated in place on reclassification).',
    article_id: 'The article the signal was made from.',
    story_id: 'The story (syndicated copies of one piece of news share it); null until extraction has grouped it.',
    feed_id: 'The feed the article came from; null if the feed was removed.',
    title: 'Article title.',
    summary: "The feed item's summary, if any.",
    url: 'Article URL as found in the feed.',
    source: 'Host name of the canonical article URL.',
    lang: "Detected language ('en', 'zh', ...).",
    published_at: 'Publication time given by the feed or page, if any.',
    occurred_at: 'published_at, or created_at when the feed gave no date: the time used by the API for ranges and trends.',
    areas: 'Technology area ids assigned (ai, big-data, iot, cloud-blockchain, security).',
    districts: 'Beijing district ids assigned (haidian, xicheng, ...).',
    beijing: 'True when the story is about Beijing.',
    beijing_score: 'Confidence of the beijing flag, 0..1.',
    max_score: 'Highest score among the assigned area and district labels, 0..1.',
    labels: 'JSON {areas: [{id, score, evidence: [{term, field, start, end}]}], districts: [...]}: why each label was assigned.',
    taxonomy_version: 'Version (content hash) of the taxonomy used.',
    classifier_version: 'Version of the classifier used.',
    created_at: 'When the signal was first stored.',
    updated_at: 'When the signal was last (re)classified.',
  };
  await sql`comment on view signals_v1 is ${sql.lit(
    'Radar signals, version 1: one row per tagged article. A stable contract for BI tools; columns are never changed, a new version gets a new view.',
  )}`.execute(db);
  for (const [col, text] of Object.entries(comments)) {
    await sql`comment on column signals_v1.${sql.id(col)} is ${sql.lit(text)}`.execute(db);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop view if exists signals_v1`.execute(db);
  await sql`drop index if exists articles_text_trgm`.execute(db);
  for (const ix of ['signals_lang', 'signals_source', 'signals_occurred', 'signals_tx']) {
    await sql`drop index if exists ${sql.id(ix)}`.execute(db);
  }
  await sql`alter table signals drop column if exists tx`.execute(db);
}
