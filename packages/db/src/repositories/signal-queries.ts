import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, Label } from '../types.js';

/** Longest a committed signal is held back from the stream by older running transactions. */
export const STREAM_HOLD_S = 5;
const settled = sql`(s.tx < pg_snapshot_xmin(pg_current_snapshot()) or s.created_at < now() - make_interval(secs => ${STREAM_HOLD_S}))`;

/**
 * What a reader asks of stored signals. Every list is "any of"; different fields narrow each
 * other (AND). The time of a signal is `coalesce(published_at, created_at)` ("occurred").
 */
export interface SignalFilter {
  areas?: string[] | undefined;
  /** Each group is "any of"; groups narrow each other (a district list and a cluster's districts). */
  districtGroups?: string[][] | undefined;
  beijing?: boolean | undefined;
  sources?: string[] | undefined;
  langs?: string[] | undefined;
  /**
   * Minimum score: of a matching area label when areas are asked for, else of a matching district
   * label when districts are, else of the signal's best label.
   */
  minScore?: number | undefined;
  /** Occurred at or after. */
  from?: Date | undefined;
  /** Occurred before. */
  to?: Date | undefined;
  /** Case-insensitive substring of the article's title or summary (no word segmentation needed). */
  q?: string | undefined;
}

/** A signal row as readers see it (the stream position `tx` is internal). */
export interface SignalRow {
  id: number;
  article_id: number;
  story_id: number | null;
  feed_id: number | null;
  title: string | null;
  url: string;
  source: string;
  lang: string | null;
  published_at: Date | null;
  occurred_at: Date;
  areas: string[];
  districts: string[];
  labels: { areas: Label[]; districts: Label[] };
  beijing: boolean;
  beijing_score: number;
  max_score: number;
  taxonomy_version: string;
  classifier_version: string;
  created_at: Date;
  updated_at: Date;
}

export interface StreamRow extends SignalRow {
  /** The inserting transaction (xid8, as text): the stream orders by (tx, id). */
  tx: string;
}

export interface StoryArticle {
  id: number;
  title: string | null;
  url: string;
  source: string;
  lang: string | null;
  published_at: Date | null;
  signal_id: number | null;
}

export interface SignalDetail extends SignalRow {
  summary: string | null;
  story_articles: StoryArticle[];
}

export type StatsBucket = 'hour' | 'day' | 'week';

export interface StatsRow {
  bucket: Date;
  kind: 'area' | 'district' | 'total';
  label: string;
  count: number;
}

const COLUMNS = sql`s.id, s.article_id, s.story_id, s.feed_id, s.title, s.url, s.source, s.lang, s.published_at,
  coalesce(s.published_at, s.created_at) as occurred_at, s.areas, s.districts, s.labels, s.beijing,
  s.beijing_score, s.max_score, s.taxonomy_version, s.classifier_version, s.created_at, s.updated_at`;

const OCCURRED = sql`coalesce(s.published_at, s.created_at)`;

/** Ids a page query walks in order before it asks the indexes instead (see `page`). */
const WINDOW = 20_000;

/** LIKE pattern of a literal substring: %, _ and \ in the text match themselves. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The keys of the area x district pairs index ('security:haidian'). */
export function labelPairs(areas: string[], districts: string[]): string[] {
  return areas.flatMap((a) => districts.map((d) => `${a}:${d}`));
}

/**
 * `pairs`: state "an area AND a district" as one test on the area x district pairs (migration
 * signal-label-pairs), for queries that must find matches through the indexes: one lookup of
 * the pair's own entries, with statistics of its own, where the two labels' bitmaps would read
 * every entry of both to intersect them (a second of work under load for an empty
 * combination). Not for walks in id order: the pairs are computed per row there (~10 µs).
 */
function conditions(f: SignalFilter, pairs = false): RawBuilder<unknown>[] {
  const c: RawBuilder<unknown>[] = [];
  const groups = (f.districtGroups ?? []).filter((g) => g.length);
  const byPairs = pairs && !!f.areas?.length && groups.length > 0;
  if (byPairs) {
    for (const g of groups) c.push(sql`signal_label_pairs(s.areas, s.districts) && ${labelPairs(f.areas!, g)}::text[]`);
  } else {
    if (f.areas?.length) c.push(sql`s.areas && ${f.areas}::text[]`);
    for (const g of groups) c.push(sql`s.districts && ${g}::text[]`);
  }
  if (f.beijing !== undefined) c.push(sql`s.beijing = ${f.beijing}`);
  if (f.sources?.length) c.push(sql`s.source = any(${f.sources}::text[])`);
  if (f.langs?.length) c.push(sql`s.lang = any(${f.langs}::text[])`);
  if (f.from) c.push(sql`${OCCURRED} >= ${f.from}`);
  if (f.to) c.push(sql`${OCCURRED} < ${f.to}`);
  if (f.minScore !== undefined) {
    const districts = [...new Set((f.districtGroups ?? []).flat())];
    const [kind, labels] = f.areas?.length ? ['area', f.areas] : districts.length ? ['district', districts] : [null, null];
    c.push(
      kind
        ? sql`exists (select 1 from signal_labels l where l.signal_id = s.id and l.kind = ${kind}
                and l.label = any(${labels}::text[]) and l.score >= ${f.minScore})`
        : sql`s.max_score >= ${f.minScore}`,
    );
  }
  if (f.q) {
    c.push(sql`s.article_id in (select a.id from articles a
      where (coalesce(a.title, '') || ' ' || coalesce(a.summary, '')) ilike ${likePattern(f.q)} escape '\\')`);
  }
  return c;
}

function where(f: SignalFilter, extra: RawBuilder<unknown>[] = [], pairs = false): RawBuilder<unknown> {
  const all = [...conditions(f, pairs), ...extra];
  return all.length ? sql`where ${sql.join(all, sql` and `)}` : sql``;
}

/** The read side of signals: filtered lists, exports, the live stream, detail and trends. */
export class SignalQueryRepository {
  /** `window`: ids a page walks in order before asking the indexes (tests make it small). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly window = WINDOW,
  ) {}

  /**
   * One page in id order (newest first by default), after the keyset cursor `after` (the last
   * id of the previous page). Ids never change, so pages neither repeat nor skip a signal, even
   * while new ones arrive (they get larger ids).
   *
   * Two steps, because PostgreSQL estimates combined label filters as independent: for a rare
   * or empty combination (a cluster's districts AND an area) it would walk the primary key through
   * every row looking for 50 matches (a second on a million signals). So the first query walks
   * only the next WINDOW ids in order, which fills the page for any common filter; only if it
   * comes up short does a second query look further, with the id order hidden from the planner
   * (`id + 0`) so that it uses the label, time and text indexes and sorts the few matches.
   */
  async page(f: SignalFilter, opts: { limit: number; after?: number | undefined; order?: 'asc' | 'desc' }): Promise<SignalRow[]> {
    const desc = (opts.order ?? 'desc') === 'desc';
    const dir = desc ? sql`desc` : sql`asc`;
    const after = opts.after === undefined ? [] : [desc ? sql`s.id < ${opts.after}` : sql`s.id > ${opts.after}`];
    // The window's far edge, fixed once so that both queries agree on it while signals arrive.
    // It is a constant in the SQL (not a subquery): the planner needs its value to estimate the
    // window, or it picks a hash join over every label row.
    let edge: number;
    if (desc) {
      const top =
        opts.after ?? (await sql<{ m: number }>`select coalesce(max(id), 0)::int + 1 as m from signals`.execute(this.db)).rows[0]!.m;
      edge = top - this.window;
    } else {
      edge = (opts.after ?? 0) + this.window;
    }
    const near = await sql<SignalRow>`select ${COLUMNS} from signals s ${where(f, [...after, desc ? sql`s.id >= ${edge}` : sql`s.id <= ${edge}`])}
      order by s.id ${dir} limit ${opts.limit}`.execute(this.db);
    if (near.rows.length >= opts.limit) return near.rows;
    const beyondWindow = desc ? sql`s.id < ${edge}` : sql`s.id > ${edge}`;
    // Enough work_mem that the label bitmaps stay exact: lossy ones recheck whole pages.
    const far = await this.db.transaction().execute(async (trx) => {
      await sql`set local work_mem = '64MB'`.execute(trx);
      return sql<SignalRow>`select ${COLUMNS} from signals s ${where(f, [...after, beyondWindow], true)}
        order by s.id + 0 ${dir} limit ${opts.limit - near.rows.length}`.execute(trx);
    });
    return [...near.rows, ...far.rows];
  }

  /**
   * Every matching signal in id order, fetched `batchSize` rows at a time by keyset: memory stays
   * bounded whatever the result size, and the consumer's pace (backpressure) sets the fetch pace.
   */
  async *scan(f: SignalFilter, batchSize = 1000, order: 'asc' | 'desc' = 'asc'): AsyncGenerator<SignalRow[]> {
    let after: number | undefined;
    for (;;) {
      const rows = await this.page(f, { limit: batchSize, after, order });
      if (!rows.length) return;
      yield rows;
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1]!.id;
    }
  }

  /**
   * Signals after the stream position (tx, id) in (tx, id) order, only those whose inserting
   * transaction is older than every transaction still running: no signal can appear later
   * before them, so a reader that remembers its position misses nothing.
   *
   * The oldest running transaction is cluster-wide, so an unrelated long one (a pg_dump, a big
   * import, another database's batch job) would hold the stream back for as long as it runs.
   * A signal is therefore also settled once it is STREAM_HOLD_S old: store transactions last
   * milliseconds, so only a store transaction open longer than that could still be skipped.
   */
  async streamAfter(f: SignalFilter, after: { tx: string; id: number }, limit: number): Promise<StreamRow[]> {
    const res = await sql<StreamRow>`select ${COLUMNS}, s.tx::text as tx from signals s ${where(f, [
      sql`(s.tx, s.id) > (${after.tx}::xid8, ${after.id})`,
      settled,
    ])} order by s.tx, s.id limit ${limit}`.execute(this.db);
    return res.rows;
  }

  /**
   * The newest settled stream position (cheap: one index probe). When it moves, readers of the
   * stream query again; while it stays, they do not touch the database.
   */
  async streamHead(): Promise<string> {
    // Two index probes: the newest transaction below the oldest running one, and the newest of
    // the signals old enough to count as settled anyway (see streamAfter).
    const res = await sql<{ head: string | null }>`select greatest(
        (select max(tx) from signals where tx < pg_snapshot_xmin(pg_current_snapshot())),
        (select max(tx) from (select tx from signals where created_at < now() - make_interval(secs => ${STREAM_HOLD_S})
          order by created_at desc limit 100) recent)
      )::text as head`.execute(this.db);
    return res.rows[0]?.head ?? '0';
  }

  /** The position to resume after a signal id (Last-Event-ID); 'now' when none is given. */
  async streamPosition(afterId: number | null): Promise<{ tx: string; id: number }> {
    if (afterId === null) {
      // A new reader gets signals whose transaction is not yet settled, i.e. new ones.
      const res = await sql<{ xmin: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(this.db);
      return { tx: res.rows[0]!.xmin, id: 0 };
    }
    const res = await sql<{ tx: string; id: number }>`select tx::text as tx, id from signals
      where id <= ${afterId} order by id desc limit 1`.execute(this.db);
    return res.rows[0] ?? { tx: '0', id: 0 };
  }

  /** One signal with its evidence, its article's summary and the other articles of its story. */
  async detail(id: number): Promise<SignalDetail | undefined> {
    const res = await sql<SignalRow & { summary: string | null }>`select ${COLUMNS}, a.summary from signals s
      join articles a on a.id = s.article_id where s.id = ${id}`.execute(this.db);
    const row = res.rows[0];
    if (!row) return undefined;
    const story = row.story_id
      ? await sql<StoryArticle>`select a.id, a.title, a.url, a.source, a.lang, a.published_at, s.id as signal_id
          from articles a left join signals s on s.article_id = a.id
          where a.story_id = ${row.story_id} and a.id <> ${row.article_id} order by a.id limit 100`.execute(this.db)
      : { rows: [] };
    return { ...row, story_articles: story.rows };
  }

  /** Counts per time bucket: per area, per district and in total, over [from, to). */
  async stats(f: SignalFilter & { from: Date; to: Date }, bucket: StatsBucket, timezone: string): Promise<StatsRow[]> {
    const b = sql`date_trunc(${bucket}, ${OCCURRED}, ${timezone})`;
    const res = await sql<StatsRow>`select bucket, kind, label, count(*)::int as count from (
        select ${b} as bucket, l.kind, l.label from signals s
        cross join lateral (
          select 'area' as kind, unnest(s.areas) as label
          union all select 'district', unnest(s.districts)
          union all select 'total', 'all'
        ) l ${where(f)}
      ) t group by bucket, kind, label order by bucket, kind, label`.execute(this.db);
    return res.rows;
  }

  /** Signals per area label (for metrics); a signal with two areas counts in both. */
  async countsByArea(): Promise<{ area: string; count: number }[]> {
    const res = await sql<{ area: string; count: number }>`select label as area, count(*)::int as count
      from signal_labels where kind = 'area' group by label order by label`.execute(this.db);
    return res.rows;
  }
}
