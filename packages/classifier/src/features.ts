import type { MatchResult, FieldText } from './match.js';
import { STOP } from './tokens.js';

const CJK_RUN = /[\u3400-\u9fff]+/g;

function isNumber(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export interface FeatureVisitor {
  /** The feature `w:` + stem (stems come from a cache: the same string objects every time). */
  word(stem: string): void;
  /** The feature `b:` + first + `_` + second: two stems in a row. */
  pair(first: string, second: string): void;
  /** A Chinese character bigram (the feature `c:` + the two characters), as code units. */
  bigram(a: number, b: number): void;
}

/**
 * Walks the features of the statistical model: stemmed Latin words and word pairs (stop words
 * dropped), and Chinese character bigrams taken straight from the character stream (no word
 * segmentation; trigrams did no better on the corpus and doubled the features). Spans of active
 * traps are hidden, so "证券" or "supply chain" teach the model nothing about security or
 * blockchain. Training collects them as strings (modelFeatures); scoring looks bigrams up by
 * number without building strings (Model.scoreFields): one walk, so the two cannot disagree.
 */
export function visitFeatures(fields: FieldText[], traps: MatchResult['traps'], v: FeatureVisitor): void {
  for (const f of fields) {
    // Positions inside active traps, as a mask (checked for every bigram and word).
    let mask: Uint8Array | undefined;
    for (const t of traps) {
      if (t.field !== f.field) continue;
      mask ??= new Uint8Array(f.norm.text.length + 1);
      mask.fill(1, t.start, t.end);
    }
    const hidden = (s: number, e: number) => {
      for (let i = s; i < e; i++) if (mask![i]) return true;
      return false;
    };
    let prev: string | undefined;
    let prevEnd = -10;
    for (const tok of f.tokens) {
      if (tok.word.length < 2 || isNumber(tok.word) || STOP.has(tok.word) || (mask && hidden(tok.start, tok.end))) {
        prev = undefined;
        continue;
      }
      v.word(tok.stem);
      if (prev !== undefined && tok.start - prevEnd <= 2) v.pair(prev, tok.stem);
      prev = tok.stem;
      prevEnd = tok.end;
    }
    const text = f.norm.text;
    CJK_RUN.lastIndex = 0;
    for (let m = CJK_RUN.exec(text); m; m = CJK_RUN.exec(text)) {
      const end = m.index + m[0].length;
      for (let i = m.index; i + 1 < end; i++) {
        if (mask && (mask[i] || mask[i + 1])) continue;
        v.bigram(text.charCodeAt(i), text.charCodeAt(i + 1));
      }
    }
  }
}

/** The model's features of one input as strings (training, evidence). */
export function modelFeatures(fields: FieldText[], traps: MatchResult['traps']): Set<string> {
  const out = new Set<string>();
  visitFeatures(fields, traps, {
    word: (stem) => out.add('w:' + stem),
    pair: (a, b) => out.add('b:' + a + '_' + b),
    bigram: (a, b) => out.add('c:' + String.fromCharCode(a, b)),
  });
  return out;
}
