import { sql, type Kysely } from 'kysely';

// Frozen in time: this file describes the schema change as it was on its date. Never edit it;
// add a new migration instead.
//
// The near-copy scan of assign_story compares the article's SimHash with every story of the
// window. It parsed each story's 16 hex digits into bits on every comparison ('x' || simhash
// cast to bit(64)): in `pnpm bench pipeline` with 3,000 articles that scan was 0.82 ms of the
// function's 1.88 ms a call (pg_stat_statements). A stored generated column holds the SimHash
// as a bigint, parsed once when the story is written; the scan XORs two bigints. The result is
// the same: the same stories, the same distances.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table stories add column simhash_bits bigint generated always as
      (case when simhash ~ '^[0-9a-f]{16}$' then ('x' || simhash)::bit(64)::bigint end) stored`.execute(db);
  await sql`
    create or replace function assign_story(
      p_article_id integer, p_title text, p_content_hash text, p_simhash text,
      p_since timestamptz, p_max_distance integer, p_locks text[], p_set jsonb
    ) returns table (o_story_id integer, o_prio integer, o_distance integer)
    language plpgsql volatile as $fn$
    declare
      v_id integer;
      v_prio integer;
      v_distance integer;
      v_bits bigint;
      r articles;
    begin
      perform pg_advisory_xact_lock(hashtext(t.k)) from unnest(p_locks) with ordinality as t(k, n) order by t.n;
      if p_content_hash is not null then
        with same as materialized (
          select a.id, a.story_id from articles a
          where a.content_hash = p_content_hash and a.id <> p_article_id and a.story_id is not null
        )
        select same.story_id into v_id from same order by same.id limit 1;
        if v_id is not null then v_prio := 1; end if;
      end if;
      if v_id is null and p_simhash ~ '^[0-9a-f]{16}$' then
        v_bits := ('x' || p_simhash)::bit(64)::bigint;
        select s.id, bit_count((s.simhash_bits # v_bits)::bit(64))::int
          into v_id, v_distance
          from stories s
          where s.created_at >= p_since and s.simhash_bits is not null
            and bit_count((s.simhash_bits # v_bits)::bit(64)) <= p_max_distance
          order by 2, 1
          limit 1;
        if v_id is not null then v_prio := 2; end if;
      end if;
      if v_id is null then
        insert into stories (title, simhash) values (p_title, p_simhash) returning id into v_id;
      end if;
      r := jsonb_populate_record(null::articles, p_set);
      update articles a set
        body = case when p_set ? 'body' then r.body else a.body end,
        title = case when p_set ? 'title' then r.title else a.title end,
        author = case when p_set ? 'author' then r.author else a.author end,
        lang = case when p_set ? 'lang' then r.lang else a.lang end,
        published_at = case when p_set ? 'published_at' then r.published_at else a.published_at end,
        content_hash = case when p_set ? 'content_hash' then r.content_hash else a.content_hash end,
        simhash = case when p_set ? 'simhash' then r.simhash else a.simhash end,
        extract_status = case when p_set ? 'extract_status' then r.extract_status else a.extract_status end,
        extract_error = case when p_set ? 'extract_error' then r.extract_error else a.extract_error end,
        story_id = v_id,
        updated_at = now()
      where a.id = p_article_id;
      if not found then
        raise exception 'article % not found', p_article_id using errcode = 'no_data_found';
      end if;
      return query select v_id, v_prio, v_distance;
    end
    $fn$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  // The function as migration 2026-11-26T22-30 made it, then the column.
  const { up: assignStoryV1 } = await import('./2026-11-26T22-30-assign-story.js');
  await sql`drop function if exists assign_story(integer, text, text, text, timestamptz, integer, text[], jsonb)`.execute(db);
  await assignStoryV1(db);
  await sql`alter table stories drop column if exists simhash_bits`.execute(db);
}
