import { sql, type Kysely } from 'kysely';

// Frozen in time: this file describes the schema change as it was on its date. Never edit it;
// add a new migration instead.
//
// Story assignment for a batch of articles in one call, on a SimHash parsed once.
//
// - stories.simhash_bits: the SimHash as a bigint, a stored generated column. The near-copy scan
//   parsed every story's 16 hex digits into bits on every comparison ('x' || simhash cast to
//   bit(64)); it now XORs two bigints (same stories, same distances). In `pnpm bench pipeline
//   --n 3000` (pg_stat_statements on a private server) a call went from 2.10 to 1.68 ms.
// - assign_stories(items, since, max_distance) takes over from assign_story(...): the
//   extractor's jobs running at once assign their articles in one statement and one commit
//   instead of one each. assign_story stays, unused by this code: extractors of the previous
//   release go on calling it while a rolling upgrade replaces them (expand, then contract in a
//   later migration).
//   Every lock of the batch is taken first, in the order of its lock id (two batches that share
//   keys cannot deadlock), then each article in turn: the content-hash match, else the nearest
//   recent story by SimHash, else a new story; then the article's extraction is written with
//   its story. Each statement of a volatile function takes its own snapshot, so an article sees
//   the story an earlier article of the batch made, and the stories other transactions committed
//   while this one waited for its locks.
//
// items: a JSON array of {article_id, title, content_hash, simhash, locks: [text], set: {column:
// value}}; a key absent from `set` leaves its column alone. Unqualified table names resolve
// through the caller's search_path, so each schema's function works on that schema's tables.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table stories add column simhash_bits bigint generated always as
      (case when simhash ~ '^[0-9a-f]{16}$' then ('x' || simhash)::bit(64)::bigint end) stored`.execute(db);
  await sql`
    create function assign_stories(p_items jsonb, p_since timestamptz, p_max_distance integer)
    returns table (o_article_id integer, o_story_id integer, o_prio integer, o_distance integer)
    language plpgsql volatile as $fn$
    declare
      it jsonb;
      v_article integer;
      v_hash text;
      v_simhash text;
      v_set jsonb;
      v_id integer;
      v_prio integer;
      v_distance integer;
      v_bits bigint;
      r articles;
    begin
      perform pg_advisory_xact_lock(t.h) from (
        select distinct hashtext(k) as h
        from jsonb_array_elements(p_items) i, jsonb_array_elements_text(i->'locks') k
        order by 1
      ) t;
      for it in select value from jsonb_array_elements(p_items) loop
        v_article := (it->>'article_id')::integer;
        v_hash := it->>'content_hash';
        v_simhash := it->>'simhash';
        v_set := coalesce(it->'set', '{}'::jsonb);
        v_id := null;
        v_prio := null;
        v_distance := null;
        if v_hash is not null then
          -- Materialised first, so the lookup goes through the content-hash index (a young
          -- table's statistics otherwise make the planner walk the primary key for ORDER BY ...
          -- LIMIT 1).
          with same as materialized (
            select a.id, a.story_id from articles a
            where a.content_hash = v_hash and a.id <> v_article and a.story_id is not null
          )
          select same.story_id into v_id from same order by same.id limit 1;
          if v_id is not null then v_prio := 1; end if;
        end if;
        if v_id is null and v_simhash ~ '^[0-9a-f]{16}$' then
          v_bits := ('x' || v_simhash)::bit(64)::bigint;
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
          insert into stories (title, simhash) values (it->>'title', v_simhash) returning id into v_id;
        end if;
        r := jsonb_populate_record(null::articles, v_set);
        update articles a set
          body = case when v_set ? 'body' then r.body else a.body end,
          title = case when v_set ? 'title' then r.title else a.title end,
          author = case when v_set ? 'author' then r.author else a.author end,
          lang = case when v_set ? 'lang' then r.lang else a.lang end,
          published_at = case when v_set ? 'published_at' then r.published_at else a.published_at end,
          content_hash = case when v_set ? 'content_hash' then r.content_hash else a.content_hash end,
          simhash = case when v_set ? 'simhash' then r.simhash else a.simhash end,
          extract_status = case when v_set ? 'extract_status' then r.extract_status else a.extract_status end,
          extract_error = case when v_set ? 'extract_error' then r.extract_error else a.extract_error end,
          story_id = v_id,
          updated_at = now()
        where a.id = v_article;
        if not found then
          raise exception 'article % not found', v_article using errcode = 'no_data_found';
        end if;
        o_article_id := v_article;
        o_story_id := v_id;
        o_prio := v_prio;
        o_distance := v_distance;
        return next;
      end loop;
    end
    $fn$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists assign_stories(jsonb, timestamptz, integer)`.execute(db);
  await sql`alter table stories drop column if exists simhash_bits`.execute(db);
}
