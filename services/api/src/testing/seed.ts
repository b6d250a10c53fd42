import { sql, type Kysely } from 'kysely';
import type { Database } from '@radar/db';
import type { Vocabulary } from '../filters.js';

/**
 * Test and benchmark data: signals generated inside PostgreSQL (generate_series, one statement
 * per chunk), so 100,000 or 1,000,000 rows take seconds, not an HTTP pipeline's hours. Labels
 * are a deterministic function of the row number, so tests can compute expected counts.
 */

export const AREAS = ['ai', 'big-data', 'iot', 'cloud-blockchain', 'security'];
export const DISTRICTS = [
  'dongcheng', 'xicheng', 'chaoyang', 'fengtai', 'shijingshan', 'haidian', 'mentougou', 'fangshan',
  'tongzhou', 'shunyi', 'changping', 'daxing', 'huairou', 'pinggu', 'miyun', 'yanqing',
];
/** The default taxonomy's areas, districts and clusters (taxonomy.md). */
export const TEST_VOCABULARY: Vocabulary = {
  areas: AREAS,
  districts: DISTRICTS,
  clusters: {
    'demonstration-zone-core': ['xicheng', 'haidian'],
    'underlying-technology-innovation': ['haidian'],
    'bank-insurance-technology': ['shijingshan'],
    'fintech-security': ['fangshan'],
    'asset-management': ['tongzhou'],
  },
};

export interface SeedOptions {
  /** Row numbers start after this (so several calls make distinct URLs). Default: current count. */
  offset?: number;
  /** Rows per INSERT statement (default 100,000). */
  chunk?: number;
  /** Latest published_at; rows go back 37 s each (default now). */
  newest?: Date;
}

/**
 * Inserts `n` articles and their signals (and label rows). Row g (1-based, after offset) gets:
 * area AREAS[g % 5] (and AREAS[(g + 2) % 5] when g % 4 = 0), district DISTRICTS[g % 16] when
 * g % 5 < 3 (else none), beijing when it has a district or g % 7 = 0, lang zh when g is even,
 * source s{g % 20}.example.
 */
export async function seedSignals(db: Kysely<Database>, n: number, opts: SeedOptions = {}): Promise<void> {
  const chunk = opts.chunk ?? 100_000;
  let offset = opts.offset;
  if (offset === undefined) {
    const r = await sql<{ n: number }>`select coalesce(max(id), 0)::int as n from articles`.execute(db);
    offset = r.rows[0]!.n;
  }
  const newest = opts.newest ?? new Date();
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const lo = offset + start + 1;
    const hi = offset + start + size;
    await sql`
      with a as (
        insert into articles (canonical_url, url, source, title, summary, lang, published_at, extract_status)
        select 'https://s' || (g % 20) || '.example/news/' || g, 'https://s' || (g % 20) || '.example/news/' || g,
          's' || (g % 20) || '.example',
          case when g % 2 = 0 then '北京' || (array['海淀区','西城区','朝阳区','丰台区'])[1 + g % 4] || '区块链与人工智能试点 第' || g || '号'
               else 'Bank pilots AI risk model, report ' || g end,
          case when g % 2 = 0 then '金融科技示范区发布新政策，编号' || g else 'Fintech summary number ' || g end,
          case when g % 2 = 0 then 'zh' else 'en' end,
          ${newest}::timestamptz - make_interval(secs => (g - ${lo}) * 37 + ${start} * 37),
          'feed'
        from generate_series(${lo}::int, ${hi}::int) g
        returning id, url, source, title, lang, published_at
      ), l as (
        select a.*, g.g,
          case when g.g % 4 = 0
            then array[(${sql.val(AREAS)}::text[])[1 + g.g % 5], (${sql.val(AREAS)}::text[])[1 + (g.g + 2) % 5]]
            else array[(${sql.val(AREAS)}::text[])[1 + g.g % 5]] end as areas,
          case when g.g % 5 < 3 then array[(${sql.val(DISTRICTS)}::text[])[1 + g.g % 16]] else '{}'::text[] end as districts
        from a join lateral (select substring(a.url from '[0-9]+$')::int as g) g on true
      ), s as (
        insert into signals (article_id, title, url, source, lang, published_at, areas, districts, labels, beijing,
          beijing_score, max_score, taxonomy_version, classifier_version)
        select id, title, url, source, lang, published_at, areas, districts,
          jsonb_build_object(
            'areas', (select jsonb_agg(jsonb_build_object('id', x, 'score', 0.5 + (g % 50) / 100.0,
              'evidence', jsonb_build_array(jsonb_build_object('term', x, 'field', 'title', 'start', 0, 'end', 2)))) from unnest(areas) x),
            'districts', coalesce((select jsonb_agg(jsonb_build_object('id', x, 'score', 0.9,
              'evidence', jsonb_build_array(jsonb_build_object('term', x, 'field', 'body')))) from unnest(districts) x), '[]'::jsonb)),
          cardinality(districts) > 0 or g % 7 = 0, case when cardinality(districts) > 0 or g % 7 = 0 then 0.9 else 0.1 end,
          greatest(0.5 + (g % 50) / 100.0, case when cardinality(districts) > 0 then 0.9 else 0 end),
          'test', 'test'
        from l
        returning id, areas, districts, labels
      )
      insert into signal_labels (signal_id, kind, label, score)
      select s.id, 'area', e->>'id', (e->>'score')::real from s, jsonb_array_elements(s.labels->'areas') e
      union all
      select s.id, 'district', e->>'id', (e->>'score')::real from s, jsonb_array_elements(s.labels->'districts') e`.execute(db);
  }
}
