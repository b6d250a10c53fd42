import type { MatchResult, FieldText } from './match.js';
import { STOP } from './tokens.js';

const CJK_RUN = /[\u3400-\u9fff]+/g;

/**
 * Features of the statistical model: stemmed Latin words and word pairs (stop words dropped),
 * and Chinese character bigrams and trigrams taken straight from the character stream (no word
 * segmentation). Spans of active traps are hidden, so "证券" or "supply chain" teach the model
 * nothing about security or blockchain.
 */
export function modelFeatures(fields: FieldText[], traps: MatchResult['traps']): Set<string> {
  const out = new Set<string>();
  for (const f of fields) {
    const spans = traps.filter((t) => t.field === f.field);
    const hidden = (s: number, e: number) => spans.some((t) => t.start < e && s < t.end);
    let prev: string | undefined;
    let prevEnd = -10;
    for (const tok of f.tokens) {
      if (STOP.has(tok.word) || tok.word.length < 2 || /^\d+$/.test(tok.word) || hidden(tok.start, tok.end)) {
        prev = undefined;
        continue;
      }
      out.add(`w:${tok.stem}`);
      if (prev !== undefined && tok.start - prevEnd <= 2) out.add(`b:${prev}_${tok.stem}`);
      prev = tok.stem;
      prevEnd = tok.end;
    }
    let text = f.norm.text;
    if (spans.length) {
      const chars = text.split('');
      for (const t of spans) for (let i = t.start; i < t.end; i++) chars[i] = ' ';
      text = chars.join('');
    }
    CJK_RUN.lastIndex = 0;
    for (let m = CJK_RUN.exec(text); m; m = CJK_RUN.exec(text)) {
      const run = m[0];
      for (let i = 0; i + 1 < run.length; i++) {
        out.add(`c:${run.slice(i, i + 2)}`);
        if (i + 2 < run.length) out.add(`c:${run.slice(i, i + 3)}`);
      }
    }
  }
  return out;
}
