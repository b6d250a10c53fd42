import { sql, type Kysely } from 'kysely';

// Frozen in time: this file describes the schema change as it was on its date. Never edit it;
// add a new migration instead.
//
// Story assignment in one round trip. It took four (BEGIN, the advisory locks, the lookup and
// update, COMMIT) because a statement's snapshot is taken when it starts, before a lock it waits
// for is granted, so the lookup had to be a statement of its own after the locks. Inside a
// volatile PL/pgSQL function each statement takes a fresh snapshot: the function takes the
// locks, then looks up (and sees the story a concurrent copy committed while it waited), makes
// the story if nothing matched and writes the article's extraction with its story.
//
// p_set holds the article columns to write (a JSON object; a key that is absent leaves its
// column alone). Unqualified table names resolve through the caller's search_path, so each
// schema's function works on that schema's tables.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function assign_story(
      p_article_id integer, p_title text, p_content_hash text, p_simhash text,
      p_since timestamptz, p_max_distance integer, p_locks text[], p_set jsonb
    ) returns table (o_story_id integer, o_prio integer, o_distance integer)
    language plpgsql volatile as $fn$
    declare
      v_id integer;
      v_prio integer;
      v_distance integer;
      r articles;
    begin
      perform pg_advisory_xact_lock(hashtext(t.k)) from unnest(p_locks) with ordinality as t(k, n) order by t.n;
      if p_content_hash is not null then
        -- Materialised first, so the lookup goes through the content-hash index (a young table's
        -- statistics otherwise make the planner walk the primary key for ORDER BY ... LIMIT 1).
        with same as materialized (
          select a.id, a.story_id from articles a
          where a.content_hash = p_content_hash and a.id <> p_article_id and a.story_id is not null
        )
        select same.story_id into v_id from same order by same.id limit 1;
        if v_id is not null then v_prio := 1; end if;
      end if;
      if v_id is null and p_simhash is not null then
        select s.id, bit_count(('x' || s.simhash)::bit(64) # ('x' || p_simhash)::bit(64))::int
          into v_id, v_distance
          from stories s
          where s.created_at >= p_since and s.simhash is not null
            and bit_count(('x' || s.simhash)::bit(64) # ('x' || p_simhash)::bit(64))::int <= p_max_distance
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
  await sql`drop function if exists assign_story(integer, text, text, text, timestamptz, integer, text[], jsonb)`.execute(db);
}
