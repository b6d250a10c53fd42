import { Converter } from 'opencc-js/t2cn';

/**
 * Text in the form every matcher sees: NFKC (so full-width letters, digits and punctuation become
 * half-width), lower case, traditional Chinese characters turned simplified, curly quotes straight.
 * `start[i]` / `end[i]` give the span in the original string that produced code unit `i`, so
 * evidence found in the normalised text is reported at its place in the text as written.
 */
export interface Normalised {
  text: string;
  start: Int32Array;
  end: Int32Array;
}

let t2s: Map<string, string> | undefined;

/**
 * Character table traditional -> simplified, built once from OpenCC's dictionaries. A per-character
 * table (rather than OpenCC's phrase conversion) keeps every offset in place; phrase-level variants
 * that differ in words (人工智慧, 資訊安全) are listed as terms in the taxonomy instead.
 */
function table(): Map<string, string> {
  if (t2s) return t2s;
  const convert = Converter({ from: 't', to: 'cn' });
  const m = new Map<string, string>();
  for (let c = 0x3400; c <= 0x9fff; c++) {
    const ch = String.fromCharCode(c);
    const out = convert(ch);
    if (out !== ch && out.length === 1) m.set(ch, out);
  }
  t2s = m;
  return m;
}

const QUOTES: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u00b7': '·' };

export function normalise(s: string): Normalised {
  const tab = table();
  const out: string[] = [];
  const start = new Int32Array(s.length * 2 + 8);
  let st = start;
  let en = new Int32Array(st.length);
  let n = 0;
  const push = (piece: string, from: number, to: number) => {
    for (let k = 0; k < piece.length; k++) {
      if (n >= st.length) {
        const bigger = new Int32Array(st.length * 2);
        bigger.set(st);
        st = bigger;
        const biggerEnd = new Int32Array(en.length * 2);
        biggerEnd.set(en);
        en = biggerEnd;
      }
      st[n] = from;
      en[n] = to;
      n++;
    }
    out.push(piece);
  };
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    if (cp < 0x80) {
      push(cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : s[i]!, i, i + 1);
    } else if (cp >= 0x4e00 && cp <= 0x9fff) {
      const ch = s[i]!;
      push(tab.get(ch) ?? ch, i, i + 1);
    } else {
      const ch = s.slice(i, i + len);
      let piece = QUOTES[ch] ?? ch.normalize('NFKC').toLowerCase();
      if (piece.length === 1 && tab.has(piece)) piece = tab.get(piece)!;
      push(piece, i, i + len);
    }
    i += len;
  }
  return { text: out.join(''), start: st.subarray(0, n), end: en.subarray(0, n) };
}

/** The span in the original text of normalised code units [from, to). */
export function originalSpan(n: Normalised, from: number, to: number): [number, number] {
  return [n.start[from] ?? 0, n.end[to - 1] ?? 0];
}

const CJK = /[\u3400-\u9fff]/g;

/** 'zh' when Chinese characters outnumber a sixth of the Latin letters (one character ~ one word), else 'en'. */
export function detectLang(text: string): 'zh' | 'en' {
  const sample = text.length > 4000 ? text.slice(0, 4000) : text;
  const cjk = sample.match(CJK)?.length ?? 0;
  const latin = sample.match(/[A-Za-z]/g)?.length ?? 0;
  return cjk > 0 && cjk >= latin / 6 ? 'zh' : 'en';
}
