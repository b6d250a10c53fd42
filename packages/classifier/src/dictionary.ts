import type { LoadedTaxonomy, NearRule as TaxonomyNearRule, Term } from '@radar/taxonomy';
import { AhoCorasick } from './aho-corasick.js';
import { normalise } from './normalise.js';
import { stem, tokenise } from './tokens.js';

export type LabelKind = 'area' | 'district' | 'region';
/** 'elsewhere' hits name another place; they are counted against their region, never assigned. */
export type HitKind = LabelKind | 'elsewhere';

/** What a matched term says about one label. */
export interface Hit {
  label: string;
  kind: HitKind;
  w: number;
  /** A place name shared with places elsewhere: needs the region's context. */
  amb: boolean;
  /** Ambiguous, but enough alone when no conflict occurs anywhere in the text. */
  lenient?: boolean;
  /** The region the label belongs to (districts and region flags). */
  region?: string;
  /** Strings that, near an ambiguous mention, say it is the other place. */
  conflicts?: string[];
  /** Where the fact comes from (landmarks). */
  src?: string;
}

export interface TrapInfo {
  blocks: string[];
  note: string;
}

/** One distinct normalised pattern and everything the taxonomy says about it. */
export interface Pattern {
  text: string;
  hits: Hit[];
  trap?: TrapInfo;
  /** Sides of co-occurrence rules this pattern belongs to (index into Dictionary.near). */
  near?: { rule: number; side: 0 | 1 }[];
}

/** A co-occurrence rule: a term of side a within `within` characters of a term of side b. */
export interface NearRule {
  label: string;
  kind: 'area' | 'district';
  /** The region of a district's rule. */
  region?: string;
  w: number;
  within: number;
  src: string;
}

interface TrieNode {
  next: Map<string, TrieNode>;
  pattern?: Pattern;
}

export interface RegexTrap {
  re: RegExp;
  info: TrapInfo;
  /** The regex runs only on text containing one of these (normalised) strings. */
  requires?: string[];
}

/** The taxonomy compiled for matching: built once per classifier. */
export interface Dictionary {
  /** Latin terms keyed by the stems of their words. */
  stemTrie: Map<string, TrieNode>;
  /** Latin terms (and traps) that must match the words as written. */
  exactTrie: Map<string, TrieNode>;
  /** Terms with Chinese characters, matched on the character stream. */
  ac: AhoCorasick | undefined;
  /** Pattern of each Aho-Corasick pattern index. */
  cjk: Pattern[];
  regexTraps: RegexTrap[];
  /** Co-occurrence rules of the areas. */
  near: NearRule[];
  /** Longest span a match can cover in normalised text (bounds the overlap checks). */
  maxSpan: number;
  /** Every label: areas first, then region flags, then districts. */
  labels: { id: string; kind: LabelKind; region?: string }[];
  clusters: { id: string; districts: string[] }[];
}

const HAS_CJK = /[\u3400-\u9fff]/;

export function compileDictionary(tx: LoadedTaxonomy): Dictionary {
  const stemTrie = new Map<string, TrieNode>();
  const exactTrie = new Map<string, TrieNode>();
  const cjk = new Map<string, Pattern>();
  // (compiled into the Aho-Corasick automaton at the end)

  const patternFor = (raw: string, exact: boolean): Pattern | undefined => {
    const text = normalise(raw.trim()).text;
    if (HAS_CJK.test(text)) {
      let p = cjk.get(text);
      if (!p) cjk.set(text, (p = { text, hits: [] }));
      return p;
    }
    const words = tokenise(text);
    if (words.length === 0) return undefined;
    let level = exact ? exactTrie : stemTrie;
    let node: TrieNode | undefined;
    for (const w of words) {
      const key = exact ? w.word : stem(w.word);
      node = level.get(key);
      if (!node) level.set(key, (node = { next: new Map() }));
      level = node.next;
    }
    if (!node!.pattern) node!.pattern = { text, hits: [] };
    return node!.pattern;
  };
  const surfaces = (t: Term['t'] | undefined): string[] => (t === undefined ? [] : Array.isArray(t) ? t : [t]);
  const add = (terms: Term[], hit: (t: Term) => Hit) => {
    for (const term of terms) {
      for (const s of surfaces(term.t)) {
        const p = patternFor(s, term.exact);
        if (!p) continue;
        const h = hit(term);
        // The same words listed twice for a label (SM4 / sm4, palm vein / palm-vein) count once, at the higher weight.
        const same = p.hits.findIndex((x) => x.label === h.label && x.kind === h.kind);
        if (same < 0) p.hits.push(h);
        else if (p.hits[same]!.w < h.w) p.hits[same] = h;
      }
    }
  };

  const labels: Dictionary['labels'] = [];
  const near: NearRule[] = [];
  const addNear = (r: TaxonomyNearRule, target: Pick<NearRule, 'label' | 'kind' | 'region'>) => {
    const rule = near.push({ ...target, w: r.w, within: r.within, src: r.src }) - 1;
    for (const [side, list] of [[0, r.a], [1, r.b]] as const) {
      for (const s of list) {
        const p = patternFor(s, r.exact);
        if (!p) continue;
        p.near ??= [];
        if (!p.near.some((x) => x.rule === rule && x.side === side)) p.near.push({ rule, side });
      }
    }
  };
  for (const area of tx.areas) {
    labels.push({ id: area.id, kind: 'area' });
    add(area.terms, (t) => ({ label: area.id, kind: 'area', w: t.w, amb: false }));
    for (const r of area.near) addNear(r, { label: area.id, kind: 'area' });
  }
  for (const region of tx.regions) {
    labels.push({ id: region.id, kind: 'region', region: region.id });
    add(region.terms, (t) => ({ label: region.id, kind: 'region', region: region.id, w: t.w, amb: t.amb }));
  }
  for (const region of tx.regions) {
    for (const name of region.elsewhere) {
      const p = patternFor(name, true);
      if (p && !p.hits.some((h) => h.kind === 'elsewhere' && h.label === region.id)) {
        p.hits.push({ label: region.id, kind: 'elsewhere', region: region.id, w: 1, amb: false });
      }
    }
    for (const d of region.districts) {
      labels.push({ id: d.id, kind: 'district', region: region.id });
      const conflicts = d.conflicts.map((c) => normalise(c).text);
      const hit = (t: Term): Hit => ({
        label: d.id,
        kind: 'district',
        region: region.id,
        w: t.w,
        amb: t.amb,
        ...(t.amb && t.lenient ? { lenient: true } : {}),
        ...(t.amb && conflicts.length ? { conflicts } : {}),
        ...(t.src ? { src: t.src } : {}),
      });
      add(d.terms, hit);
      add(d.landmarks, hit);
      for (const r of d.near) addNear(r, { label: d.id, kind: 'district', region: region.id });
    }
  }
  const regexTraps: RegexTrap[] = [];
  for (const trap of tx.traps) {
    const info = { blocks: trap.blocks, note: trap.note };
    if (trap.re !== undefined) {
      regexTraps.push({ re: new RegExp(trap.re, 'gu'), info, ...(trap.requires ? { requires: trap.requires.map((r) => normalise(r).text) } : {}) });
    }
    for (const s of surfaces(trap.t)) {
      const p = patternFor(s, trap.exact);
      if (p) p.trap = p.trap ? { blocks: [...p.trap.blocks, ...info.blocks], note: `${p.trap.note}; ${info.note}` } : info;
    }
  }
  // Latin terms may stretch: up to 3 characters between each pair of their words.
  let maxSpan = 0;
  for (const p of cjk.keys()) maxSpan = Math.max(maxSpan, p.length);
  const latin = (level: Map<string, TrieNode>, depth: number, chars: number): void => {
    for (const [key, node] of level) {
      const span = chars + key.length + (depth > 0 ? 3 : 0);
      if (node.pattern) maxSpan = Math.max(maxSpan, node.pattern.text.length + 3 * depth + 8, span);
      latin(node.next, depth + 1, span);
    }
  };
  latin(stemTrie, 0, 0);
  latin(exactTrie, 0, 0);
  // Stems match longer words than the term's own ("nation" in "nationalization"): a margin.
  maxSpan += 40;
  return {
    maxSpan,
    stemTrie,
    exactTrie,
    ac: cjk.size ? new AhoCorasick([...cjk.keys()]) : undefined,
    cjk: [...cjk.values()],
    regexTraps,
    near,
    labels,
    clusters: tx.clusters.map((c) => ({ id: c.id, districts: c.districts })),
  };
}

/** Areas and places are separate readings: a place name inside a technology term still names the place. */
export const family = (kind: HitKind): 'area' | 'place' => (kind === 'area' ? 'area' : 'place');

/** Whether a trap that blocks `blocks` applies to a hit. */
export function blocksHit(blocks: string[], hit: Hit): boolean {
  for (const b of blocks) {
    if (b === '*' || b === hit.label) return true;
    if (b === 'areas' && hit.kind === 'area') return true;
    if (b === 'places' && hit.kind !== 'area') return true;
  }
  return false;
}
