import type { SignalDetail, SignalFilter, SignalRow } from '@radar/db';
import type { FilterQuery, SignalOut } from './schemas.js';

/** The label ids a request may name, from the taxonomy. */
export interface Vocabulary {
  areas: string[];
  districts: string[];
  /** Cluster id -> district ids. */
  clusters: Record<string, string[]>;
}

/** A request error that names the field: answered 400. */
export class BadRequest extends Error {
  readonly statusCode = 400;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'BadRequest';
  }
}

function known(field: string, values: string[] | undefined, allowed: string[]): string[] | undefined {
  if (!values) return undefined;
  const bad = values.find((v) => !allowed.includes(v));
  if (bad !== undefined) throw new BadRequest(field, `unknown id "${bad}"; one of ${allowed.join(', ')}`);
  return values;
}

/** The database filter of a validated query; unknown label ids are a 400, not an empty result. */
export function toFilter(q: FilterQuery, vocab: Vocabulary): SignalFilter {
  const districtGroups: string[][] = [];
  const districts = known('district', q.district, vocab.districts);
  if (districts?.length) districtGroups.push(districts);
  const clusters = known('cluster', q.cluster, Object.keys(vocab.clusters));
  if (clusters?.length) districtGroups.push([...new Set(clusters.flatMap((c) => vocab.clusters[c] ?? []))]);
  if (q.from && q.to && q.from >= q.to) throw new BadRequest('to', 'must be after from');
  return {
    areas: known('area', q.area, vocab.areas),
    districtGroups,
    beijing: q.beijing,
    sources: q.source,
    langs: q.lang,
    minScore: q.min_score,
    from: q.from,
    to: q.to,
    q: q.q?.trim(),
  };
}

/** Keyset cursor: opaque to clients, versioned so its shape can change. */
export function encodeCursor(id: number, order: 'asc' | 'desc'): string {
  return Buffer.from(JSON.stringify({ v: 1, id, o: order })).toString('base64url');
}

export function decodeCursor(cursor: string, order: 'asc' | 'desc'): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequest('cursor', 'not a cursor returned by this API');
  }
  const c = parsed as { v?: unknown; id?: unknown; o?: unknown };
  if (c?.v !== 1 || !Number.isInteger(c.id) || (c.id as number) < 0 || (c.id as number) > 2_147_483_647) {
    throw new BadRequest('cursor', 'not a cursor returned by this API');
  }
  if (c.o !== order) throw new BadRequest('cursor', `this cursor belongs to order=${String(c.o)}`);
  return c.id as number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const scores = (labels: { id: string; score: number }[] | undefined) => (labels ?? []).map((l) => ({ id: l.id, score: l.score }));

/** A stored signal as the API shows it in lists, exports and the stream. */
export function signalView(s: SignalRow): SignalOut {
  return {
    id: s.id,
    article_id: s.article_id,
    story_id: s.story_id,
    feed_id: s.feed_id,
    title: s.title,
    url: s.url,
    source: s.source,
    lang: s.lang,
    published_at: iso(s.published_at),
    occurred_at: s.occurred_at.toISOString(),
    areas: scores(s.labels?.areas),
    districts: scores(s.labels?.districts),
    beijing: { value: s.beijing, score: s.beijing_score },
    max_score: s.max_score,
    taxonomy_version: s.taxonomy_version,
    classifier_version: s.classifier_version,
    created_at: s.created_at.toISOString(),
    updated_at: s.updated_at.toISOString(),
  };
}

/** One signal with its evidence and the other articles of its story. */
export function signalDetailView(s: SignalDetail) {
  const withEvidence = (labels: SignalDetail['labels']['areas'] | undefined) =>
    (labels ?? []).map((l) => ({ id: l.id, score: l.score, evidence: l.evidence ?? [] }));
  return {
    ...signalView(s),
    summary: s.summary,
    areas: withEvidence(s.labels?.areas),
    districts: withEvidence(s.labels?.districts),
    story_articles: s.story_articles.map((a) => ({ ...a, published_at: iso(a.published_at) })),
  };
}

const CSV_COLUMNS = [
  'id',
  'occurred_at',
  'published_at',
  'title',
  'url',
  'source',
  'lang',
  'areas',
  'districts',
  'beijing',
  'beijing_score',
  'max_score',
  'story_id',
  'feed_id',
  'created_at',
] as const;
export const CSV_HEADER = [...CSV_COLUMNS];

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
 * leading apostrophe: titles come from the open web.
 */
function cell(v: string | null): string {
  if (v === null) return '';
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

export function csvRow(s: SignalRow): (string | number | boolean)[] {
  return [
    s.id,
    s.occurred_at.toISOString(),
    iso(s.published_at) ?? '',
    cell(s.title),
    cell(s.url),
    cell(s.source),
    s.lang ?? '',
    s.areas.join(';'),
    s.districts.join(';'),
    s.beijing,
    s.beijing_score,
    s.max_score,
    s.story_id ?? '',
    s.feed_id ?? '',
    s.created_at.toISOString(),
  ];
}
