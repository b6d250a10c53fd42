import { sql, type Kysely } from 'kysely';

// Frozen in time: this file describes the schema change as it was on its date. Never edit it;
// add a new migration instead.
//
// Two broad filters that intersect to few or no signals (an area AND a source, a language AND
// the beijing flag AND a minimum score) made PostgreSQL read every index entry of both filters
// to find the few matches: 38 ms of CPU for `area=ai&source=s7.example` on a million signals,
// a parallel sequential scan for filters without an index. The area x district pairs index
// (2026-11-26T06-00) solved this for one pair of facets only. This index holds, for each
// signal, every pair of its facet values across different facets: area, district, source,
// language, the beijing flag and the best score in hundredths, rounded down ('a:ai|s:s7.example',
// 'l:zh|b:f', 'b:f|m:99'). A combination of facets is then one lookup of each of its pairs,
// an empty pair has no entries at all, and ANALYZE keeps statistics on every pair, so the
// page query can tell from them that a combination is rare and ask this index first.
// It replaces the area x district pairs index (a subset of it).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Facet order a < d < s < l < b < m; a pair is 'earlier|later'. Not inlined (it has a FROM
  // clause), so queries name the very expression the index holds.
  await sql`
    create function signal_facet_pairs(areas text[], districts text[], source text, lang text, beijing boolean, max_score real)
    returns text[] language sql immutable parallel safe
    as $$
      with v(f, k) as (
        select 1, 'a:' || x from unnest(areas) x
        union all select 2, 'd:' || x from unnest(districts) x
        union all select 3, 's:' || source where source is not null
        union all select 4, 'l:' || lang where lang is not null
        union all select 5, case when beijing then 'b:t' else 'b:f' end where beijing is not null
        union all select 6, 'm:' || floor(max_score::float8 * 100)::int where max_score is not null
      )
      select coalesce(array_agg(p.k || '|' || q.k), '{}'::text[]) from v p join v q on p.f < q.f
    $$`.execute(db);
  await sql`create index signals_facet_pairs on signals
    using gin (signal_facet_pairs(areas, districts, source, lang, beijing, max_score))`.execute(db);
  // The page query reads these statistics (most common pairs and their frequencies) to decide
  // whether a combination is rare: up to 3,000 pairs instead of 1,000 (a source alone pairs
  // with some 75 values of the other facets); ANALYZE then samples 90,000 signals, not 30,000.
  await sql`alter index signals_facet_pairs alter column 1 set statistics 300`.execute(db);
  await sql`drop index if exists signals_label_pairs`.execute(db);
  await sql`drop function if exists signal_label_pairs(text[], text[])`.execute(db);
  await sql`analyze signals`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists signals_facet_pairs`.execute(db);
  await sql`drop function if exists signal_facet_pairs(text[], text[], text, text, boolean, real)`.execute(db);
  await sql`
    create function signal_label_pairs(areas text[], districts text[]) returns text[]
    language sql immutable strict parallel safe
    as $$ select coalesce(array_agg(a || ':' || d), '{}'::text[]) from unnest(areas) a, unnest(districts) d $$`.execute(db);
  await sql`create index signals_label_pairs on signals using gin (signal_label_pairs(areas, districts))`.execute(db);
}
