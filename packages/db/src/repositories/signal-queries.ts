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
/** How long the facet pairs' statistics are reused before they are read again. */
const PAIR_STATS_TTL_MS = 60_000;

/** LIKE pattern of a literal substring: %, _ and \ in the text match themselves. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Pair keys of the facet pairs index (migration signal-facet-pairs): 'a:ai|s:s7.example'. */
export function facetPairs(f: SignalFilter): string[][] {
  // One group per facet the filter names, in the index's facet order; each group is "any of".
  const groups: { facet: number; keys: string[] }[] = [];
  const districtGroups = (f.districtGroups ?? []).filter((g) => g.length);
  if (f.areas?.length) groups.push({ facet: 1, keys: f.areas.map((a) => `a:${a}`) });
  for (const g of districtGroups) groups.push({ facet: 2, keys: g.map((d) => `d:${d}`) });
  if (f.sources?.length) groups.push({ facet: 3, keys: f.sources.map((x) => `s:${x}`) });
  if (f.langs?.length) groups.push({ facet: 4, keys: f.langs.map((x) => `l:${x}`) });
  if (f.beijing !== undefined) groups.push({ facet: 5, keys: [f.beijing ? 'b:t' : 'b:f'] });
  // The best score only stands for min_score when no area or district is asked for (see
  // SignalFilter). Buckets as the index computes them: hundredths of the stored real, rounded down.
  if (f.minScore !== undefined && !f.areas?.length && !districtGroups.length) {
    const from = Math.max(0, Math.floor(Math.fround(f.minScore) * 100));
    if (from <= 100) groups.push({ facet: 6, keys: Array.from({ length: 101 - from }, (_, i) => `m:${from + i}`) });
  }
  const pairs: string[][] = [];
  for (const [i, p] of groups.entries()) {
    for (const q of groups.slice(i + 1)) {
      if (p.facet < q.facet) pairs.push(p.keys.flatMap((x) => q.keys.map((y) => `${x}|${y}`)));
    }
  }
  return pairs;
}

const FACET_PAIRS = sql`signal_facet_pairs(s.areas, s.districts, s.source, s.lang, s.beijing, s.max_score)`;

/**
 * `pairs`: state the filter's facets as tests on the facet pairs (migration signal-facet-pairs),
 * for queries that must find matches through the indexes: one lookup of each pair's own
 * entries, where the single facets' indexes would read every entry of both to intersect them
 * (tens of ms for an empty combination of two broad filters). Not for walks in id order: the
 * pairs are computed per row there (~25 µs).
 */
function conditions(f: SignalFilter, pairs = false): RawBuilder<unknown>[] {
  const c: RawBuilder<unknown>[] = [];
  const pairTests = pairs ? facetPairs(f) : [];
  for (const keys of pairTests) c.push(sql`${FACET_PAIRS} && ${keys}::text[]`);
  // With two facets or more, every facet is in a pair test, and the pair tests say exactly
  // what the facets' own tests say (but the score buckets, which only narrow min_score down).
  // Leaving the facets' own tests out keeps PostgreSQL from intersecting the pairs' few entries
  // with a broad facet's index (the 47,000 entries of a source).
  if (!pairTests.length) {
    if (f.areas?.length) c.push(sql`s.areas && ${f.areas}::text[]`);
    for (const g of f.districtGroups ?? []) if (g.length) c.push(sql`s.districts && ${g}::text[]`);
    if (f.beijing !== undefined) c.push(sql`s.beijing = ${f.beijing}`);
    if (f.sources?.length) c.push(sql`s.source = any(${f.sources}::text[])`);
    if (f.langs?.length) c.push(sql`s.lang = any(${f.langs}::text[])`);
  }
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
  /**
   * `window`: ids a page walks in order before asking the indexes (tests make it small).
   * `first`: how a page query starts (see `page`); tests force one way or the other.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly window = WINDOW,
    private readonly first: 'statistics' | 'window' | 'indexes' = 'statistics',
  ) {}

  /**
   * Frequencies (share of signals) of the commonest facet pairs, from the statistics ANALYZE
   * keeps on the pairs index; `rest`: what a pair not listed counts. PostgreSQL's own estimates
   * count it half the least listed frequency. When the list has room left, ANALYZE listed every
   * pair above its lossy-counting cutoff (0.063 x pairs per signal / room, of the sample), so a
   * pair not listed was seen less often than that. pg_stats shows an index's statistics only to
   * the tables' owner (the role that ran the migrations, as in infra/); to another role there
   * are none, and every page walks the window first.
   */
  private pairStats: { freq: Map<string, number>; rest: number } | null | undefined;
  private pairStatsAt = 0;

  private async pairFrequencies(): Promise<{ freq: Map<string, number>; rest: number } | null> {
    if (this.pairStats !== undefined && Date.now() - this.pairStatsAt < PAIR_STATS_TTL_MS) return this.pairStats;
    this.pairStatsAt = Date.now();
    const res = await sql<{ elems: string[] | null; freqs: number[] | null; per_row: number | null; room: number }>`select
        most_common_elems::text::text[] as elems, most_common_elem_freqs as freqs,
        elem_count_histogram[cardinality(elem_count_histogram)] as per_row,
        10 * (select coalesce(nullif(attstattarget, -1), current_setting('default_statistics_target')::int)
          from pg_attribute where attrelid = 'signals_facet_pairs'::regclass and attnum = 1) as room
      from pg_stats where schemaname = current_schema() and tablename = 'signals_facet_pairs'`.execute(this.db);
    const row = res.rows[0];
    if (!row?.elems?.length || !row.freqs) this.pairStats = null;
    else {
      const freq = new Map(row.elems.map((e, i) => [e, row.freqs![i]!] as const));
      // most_common_elem_freqs ends with the least and greatest frequency and that of nulls.
      const least = row.freqs[row.elems.length] ?? 0;
      const cutoff = row.elems.length < row.room && row.per_row ? (0.063 * row.per_row) / row.room : Infinity;
      this.pairStats = { freq, rest: Math.min(least / 2, cutoff) };
    }
    return this.pairStats;
  }

  /**
   * At most how many of the WINDOW ids the statistics expect to match the filter's facet pairs
   * (each pair test: the sum of its keys' frequencies; all tests: the smallest of those), or
   * Infinity when the filter names fewer than two facets or there are no statistics yet.
   */
  private async expectedInWindow(f: SignalFilter): Promise<number> {
    if (this.first !== 'statistics') return this.first === 'window' ? Infinity : 0;
    const pairs = facetPairs(f);
    if (!pairs.length) return Infinity;
    const stats = await this.pairFrequencies();
    if (!stats) return Infinity;
    const bound = Math.min(...pairs.map((keys) => keys.reduce((t, k) => t + (stats.freq.get(k) ?? stats.rest), 0)));
    return bound * this.window;
  }

  /**
   * One page in id order (newest first by default), after the keyset cursor `after` (the last
   * id of the previous page). Ids never change, so pages neither repeat nor skip a signal, even
   * while new ones arrive (they get larger ids).
   *
   * PostgreSQL estimates combined filters as independent: for a rare or empty combination (a
   * cluster's districts AND an area) it would walk the primary key through every row looking
   * for 50 matches (a second on a million signals). So a page is found one of two ways:
   * - when the statistics of the facet pairs say that fewer than a page of the next WINDOW ids
   *   match (a rare or empty combination), one query asks the indexes (the facet pairs first),
   *   with the id order hidden from the planner (`id + 0`), and sorts the few matches;
   * - otherwise the first query walks only the next WINDOW ids in order, which fills the page
   *   for any common filter; only if it comes up short does a second query look further through
   *   the indexes as above.
   */
  async page(f: SignalFilter, opts: { limit: number; after?: number | undefined; order?: 'asc' | 'desc' }): Promise<SignalRow[]> {
    const desc = (opts.order ?? 'desc') === 'desc';
    const dir = desc ? sql`desc` : sql`asc`;
    const after = opts.after === undefined ? [] : [desc ? sql`s.id < ${opts.after}` : sql`s.id > ${opts.after}`];
    // Enough work_mem that the index bitmaps stay exact: lossy ones recheck whole pages.
    const byIndexes = (extra: RawBuilder<unknown>[], limit: number) =>
      this.db.transaction().execute(async (trx) => {
        await sql`set local work_mem = '64MB'`.execute(trx);
        return sql<SignalRow>`select ${COLUMNS} from signals s ${where(f, [...after, ...extra], true)}
          order by s.id + 0 ${dir} limit ${limit}`.execute(trx);
      });
    if ((await this.expectedInWindow(f)) < opts.limit) return (await byIndexes([], opts.limit)).rows;
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
    const inWindow = [...after, desc ? sql`s.id >= ${edge}` : sql`s.id <= ${edge}`];
    // Label filters: the walk is a subquery with a LIMIT, so that the filters stay outside it and
    // PostgreSQL cannot turn the walk into bitmap scans of the label indexes (which it picks when
    // it multiplies the labels' frequencies into "few matches", at ten times the cost of the
    // walk). A time range is estimated well (a histogram), so there it may use the time index.
    const near = await (
      f.from || f.to
        ? sql<SignalRow>`select ${COLUMNS} from signals s ${where(f, inWindow)} order by s.id ${dir} limit ${opts.limit}`
        : sql<SignalRow>`select ${COLUMNS} from (select * from signals s where ${sql.join(inWindow, sql` and `)}
            order by s.id ${dir} limit ${this.window}) s ${where(f)} order by s.id ${dir} limit ${opts.limit}`
    ).execute(this.db);
    if (near.rows.length >= opts.limit) return near.rows;
    const far = await byIndexes([desc ? sql`s.id < ${edge}` : sql`s.id > ${edge}`], opts.limit - near.rows.length);
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
