import { DEFAULT_CLUSTERS, type SubscriptionFilters } from './filters.js';
import { evaluate, keyKind, parseKeywords, requiredTerms, termKey, textKeys, type Expr, type TextKeyKinds } from './keywords.js';
import { prepareText, type PreparedText } from './text.js';

/** What matching needs to know about a stored signal. */
export interface MatchableSignal {
  areas: readonly { id: string; score: number }[];
  districts: readonly { id: string; score: number }[];
  beijing: boolean;
  /** The best label score of the signal. */
  maxScore: number;
  /** The article's host. */
  source: string;
  lang: string | null;
  /** Title, summary and text: what keywords are matched on. */
  text: string;
}

export interface IndexedSubscription {
  id: number;
  filters: SubscriptionFilters;
}

interface Prepared {
  areas: Map<string, number>;
  districts: Map<string, number>;
  beijing: boolean;
  maxScore: number;
  host: string;
  lang: string;
  /** Built on first use: only keyword criteria need it. */
  text(): PreparedText;
}

interface Compiled {
  id: number;
  test(s: Prepared): boolean;
}

export interface IndexOptions {
  /** Cluster id -> districts (default: the plan's clusters). */
  clusters?: Readonly<Record<string, readonly string[]>>;
  /** Test every subscription against every signal (the benchmark's baseline). Default false. */
  noIndex?: boolean;
}

const primaryLang = (l: string | null) => (l ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
const normHost = (h: string) => h.toLowerCase().replace(/^www\./, '');

function compile(sub: IndexedSubscription, clusters: Readonly<Record<string, readonly string[]>>): { c: Compiled; keys: string[] } {
  const f = sub.filters;
  const min = f.minScore;
  const areas = f.areas;
  const all = f.areasMatch === 'all';
  // null: no place criterion; an empty set (unknown clusters only) matches nothing.
  const districts =
    f.districts.length || f.clusters.length ? new Set([...f.districts, ...f.clusters.flatMap((c) => clusters[c] ?? [])]) : null;
  const sources = f.sources.map(normHost);
  const lang = new Set(f.lang);
  const expr: Expr | null = f.keywords ? parseKeywords(f.keywords) : null;

  const has = (m: Map<string, number>, id: string) => {
    const s = m.get(id);
    return s !== undefined && s >= min;
  };
  const test = (s: Prepared): boolean => {
    if (lang.size && !lang.has(s.lang)) return false;
    if (f.beijing && !s.beijing) return false;
    if (sources.length && !sources.some((h) => s.host === h || s.host.endsWith(`.${h}`))) return false;
    if (areas.length && !(all ? areas.every((a) => has(s.areas, a)) : areas.some((a) => has(s.areas, a)))) return false;
    if (districts) {
      let ok = false;
      for (const d of districts) if (has(s.districts, d)) ok = true;
      if (!ok) return false;
    }
    if (!areas.length && !districts && min > 0 && s.maxScore < min) return false;
    if (expr && !evaluate(expr, s.text())) return false;
    return true;
  };

  // File the subscription under the most selective criterion it has: any signal it matches
  // carries at least one of these keys.
  const terms = expr ? requiredTerms(expr) : null;
  const indexAreas = all ? areas.slice(0, 1) : areas;
  let keys: string[];
  if (terms) keys = terms.map(termKey);
  else if (sources.length) keys = sources.map((h) => `s:${h}`);
  else if (indexAreas.length && districts) keys = indexAreas.flatMap((a) => [...districts].map((d) => `ad:${a}|${d}`));
  else if (districts) keys = [...districts].map((d) => `d:${d}`);
  else if (indexAreas.length) keys = indexAreas.map((a) => `a:${a}`);
  else if (lang.size) keys = [...lang].map((l) => `l:${l}`);
  else if (f.beijing) keys = ['b'];
  else keys = ['*'];
  return { c: { id: sub.id, test }, keys: [...new Set(keys)] };
}

/**
 * An inverted index from labels, keywords, sources and languages to subscriptions: a signal
 * is tested only against the subscriptions filed under one of its keys, not against all.
 */
export class SubscriptionIndex {
  private readonly postings = new Map<string, number[]>();
  private readonly compiled: Compiled[] = [];
  private readonly seen: Uint32Array;
  private stamp = 0;
  private readonly kinds: TextKeyKinds = { word: false, prefix3: false, prefix1: false, cjk1: false, cjk2: false };
  private hasTextKeys = false;

  constructor(subs: Iterable<IndexedSubscription>, opts: IndexOptions = {}) {
    const clusters = opts.clusters ?? DEFAULT_CLUSTERS;
    for (const sub of subs) {
      const compiled = compile(sub, clusters);
      const { c } = compiled;
      const keys = opts.noIndex ? ['*'] : compiled.keys;
      const i = this.compiled.push(c) - 1;
      for (const k of keys) {
        const kind = keyKind(k);
        if (kind) this.kinds[kind] = this.hasTextKeys = true;
        let list = this.postings.get(k);
        if (!list) this.postings.set(k, (list = []));
        list.push(i);
      }
    }
    this.seen = new Uint32Array(this.compiled.length);
  }

  get size(): number {
    return this.compiled.length;
  }

  /** How many subscriptions each signal would be tested against, at most, per key (for tuning). */
  stats(): { subscriptions: number; keys: number; largestPosting: number; catchAll: number } {
    let largest = 0;
    for (const l of this.postings.values()) largest = Math.max(largest, l.length);
    return { subscriptions: this.size, keys: this.postings.size, largestPosting: largest, catchAll: this.postings.get('*')?.length ?? 0 };
  }

  /** Ids of the subscriptions the signal matches, ascending. */
  match(signal: MatchableSignal): number[] {
    let text: PreparedText | undefined;
    const s: Prepared = {
      areas: new Map(signal.areas.map((l) => [l.id, l.score])),
      districts: new Map(signal.districts.map((l) => [l.id, l.score])),
      beijing: signal.beijing,
      maxScore: signal.maxScore,
      host: normHost(signal.source),
      lang: primaryLang(signal.lang),
      text: () => (text ??= prepareText(signal.text)),
    };
    // A new stamp per call marks candidates already tested, without clearing an array.
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const out: number[] = [];
    const visit = (key: string) => {
      const list = this.postings.get(key);
      if (!list) return;
      for (const i of list) {
        if (this.seen[i] === this.stamp) continue;
        this.seen[i] = this.stamp;
        const c = this.compiled[i]!;
        if (c.test(s)) out.push(c.id);
      }
    };
    visit('*');
    if (s.beijing) visit('b');
    if (s.lang) visit(`l:${s.lang}`);
    for (const a of s.areas.keys()) {
      visit(`a:${a}`);
      for (const d of s.districts.keys()) visit(`ad:${a}|${d}`);
    }
    for (const d of s.districts.keys()) visit(`d:${d}`);
    const parts = s.host.split('.');
    for (let i = 0; i < parts.length; i++) visit(`s:${parts.slice(i).join('.')}`);
    if (this.hasTextKeys) for (const k of textKeys(s.text(), this.kinds)) visit(k);
    return out.sort((a, b) => a - b);
  }
}
