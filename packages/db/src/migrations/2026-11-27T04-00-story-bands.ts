import { sql, type Kysely } from 'kysely';

// Frozen in time: this file describes the schema change as it was on its date. Never edit it;
// add a new migration instead.
//
// The near-copy lookup of story assignment without reading every recent story.
//
// assign_stories compared an article's SimHash with every story of the window (3 days): a cost
// that grows with the window, ~0.2 us per story and ~85% of the function's time at 3,500 stories
// (`pnpm bench stories`: 1.0 ms a lookup at 5,000, 2.7 ms at 20,000). It stays exact this way:
//
// - The 64 bits are cut into 6 bands (11, 11, 11, 11, 10 and 10 bits, lowest first). Two hashes
//   at most D bits apart differ in at most floor(D / 6) bits in one of the bands at least (if
//   every band differed in more, they would differ in 6 * (floor(D / 6) + 1) > D bits).
// - One index per band, on (band value, created_at). For D <= 11 (the default is 10), the
//   candidates are the stories of the window whose value in some band is the article's, or the
//   article's with one bit flipped: 6 x 12 index probes, and ~3.5% of the window for random
//   hashes (~12% for the bench's texts), each then checked by its exact distance. Wider distances (D > 11) keep the exact scan.
//
// nearest_story(bits, since, max_distance) is that lookup, for StoryRepository.findNearDuplicate;
// assign_stories has the same statements inline (a function call per article cost ~0.15 ms), its
// signature and results unchanged. down() drops the indexes, turns nearest_story back into the
// scan and leaves assign_stories as it is: its band lookups then read the window through
// stories_created, with the same results.

const BANDS: [shift: number, width: number][] = [[0, 11], [11, 11], [22, 11], [33, 11], [44, 10], [54, 10]];

/** A band's value, as the indexes and the lookup both write it. */
const band = (expr: string, [shift, width]: [number, number]): string => `((${expr} >> ${shift}) & ${2 ** width - 1})`;

/** The names of the lookup's inputs and outputs in the function it is written into. */
interface Names {
  bits: string;
  into: string;
}

/**
 * The nearest story of the window within p_max_distance into `into` (id, distance), or nulls:
 * the candidates of `where` (every story of the window when it is empty), checked by their
 * exact distance.
 */
const lookup = ({ bits, into }: Names, where = ''): string => `
          select s.id, bit_count((s.simhash_bits # ${bits})::bit(64))::int into ${into}
          from stories s
          where s.created_at >= p_since and s.simhash_bits is not null${where}
            and bit_count((s.simhash_bits # ${bits})::bit(64)) <= p_max_distance
          order by 2, 1
          limit 1;`;

/** Stories whose value in some band is within `radius` (0 or 1) bits of the article's. */
function bandLookup(names: Names, radius: 0 | 1): string {
  const near = BANDS.map((b) => {
    const v = band(names.bits, b);
    const values = radius === 0 ? [v] : [v, ...Array.from({ length: b[1] }, (_, j) => `${v} # ${2 ** j}`)];
    return `${band('s.simhash_bits', b)} = any(array[${values.join(', ')}])`;
  });
  return lookup(names, `\n            and (${near.join('\n              or ')})`);
}

/** The lookup for any p_max_distance: by the bands up to 11 bits, else the scan. */
const nearest = (names: Names): string => `
        if p_max_distance > 11 then${lookup(names)}
        elsif p_max_distance >= 6 then${bandLookup(names, 1)}
        else${bandLookup(names, 0)}
        end if;`;

// Both functions run on a generic plan, made once per session (and again when a table's
// statistics change): by default PostgreSQL planned the band lookup afresh on every call, its
// 72 band values as constants (~0.5 ms, more than the lookup itself), as a generic plan looked
// no cheaper.
async function nearestStory(db: Kysely<unknown>, body: string): Promise<void> {
  await sql`
    create or replace function nearest_story(p_bits bigint, p_since timestamptz, p_max_distance integer, out o_id integer, out o_distance integer)
    language plpgsql stable set plan_cache_mode = force_generic_plan as $fn$
    begin${sql.raw(body)}
    end
    $fn$`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  for (const [i, b] of BANDS.entries()) {
    await sql`create index if not exists ${sql.id(`stories_band_${i}`)} on stories (${sql.raw(band('simhash_bits', b))}, created_at)`.execute(db);
  }
  await nearestStory(db, nearest({ bits: 'p_bits', into: 'o_id, o_distance' }));
  await sql`
    create or replace function assign_stories(p_items jsonb, p_since timestamptz, p_max_distance integer)
    returns table (o_article_id integer, o_story_id integer, o_prio integer, o_distance integer)
    language plpgsql volatile set plan_cache_mode = force_generic_plan as $fn$
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
          with same as materialized (
            select a.id, a.story_id from articles a
            where a.content_hash = v_hash and a.id <> v_article and a.story_id is not null
          )
          select same.story_id into v_id from same order by same.id limit 1;
          if v_id is not null then v_prio := 1; end if;
        end if;
        if v_id is null and v_simhash ~ '^[0-9a-f]{16}$' then
          v_bits := ('x' || v_simhash)::bit(64)::bigint;${sql.raw(nearest({ bits: 'v_bits', into: 'v_id, v_distance' }))}
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
  await nearestStory(db, lookup({ bits: 'p_bits', into: 'o_id, o_distance' }));
  for (const i of BANDS.keys()) await sql`drop index if exists ${sql.id(`stories_band_${i}`)}`.execute(db);
}
