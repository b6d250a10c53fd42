import { sql, type Kysely } from 'kysely';

// Frozen in time: this file describes the schema change as it was on its date. Never edit it;
// add a new migration instead.
//
// "An area AND a district" (a cluster's districts with an area, the commonest analyst filter)
// was two GIN lookups whose bitmaps had to be intersected: for a combination that matches few
// or no signals that meant reading every entry of both labels (250,000 + 75,000 on a million
// signals) to find nothing. This index holds each signal's area x district pairs
// ('security:haidian'), so the combination is one lookup of the few entries it really has, and
// ANALYZE keeps statistics on the pairs, so the planner knows a rare pair is rare.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // Not inlined (it has a FROM clause), so queries name the very expression the index holds.
  await sql`
    create function signal_label_pairs(areas text[], districts text[]) returns text[]
    language sql immutable strict parallel safe
    as $$ select coalesce(array_agg(a || ':' || d), '{}'::text[]) from unnest(areas) a, unnest(districts) d $$`.execute(db);
  await sql`create index signals_label_pairs on signals using gin (signal_label_pairs(areas, districts))`.execute(db);
  await sql`analyze signals`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists signals_label_pairs`.execute(db);
  await sql`drop function if exists signal_label_pairs(text[], text[])`.execute(db);
}
