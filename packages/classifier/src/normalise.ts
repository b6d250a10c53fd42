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
  /** Chinese characters and Latin letters seen (for language detection without another pass). */
  cjk: number;
  latin: number;
}

const CJK_FROM = 0x3400;
const CJK_TO = 0x9fff;
let t2s: Uint16Array | undefined;

/**
 * Character table traditional -> simplified (code unit -> code unit, 0 = unchanged), built once
 * from OpenCC's dictionaries. A per-character table (rather than OpenCC's phrase conversion)
 * keeps every offset in place; phrase-level variants that differ in words (人工智慧, 資訊安全)
 * are listed as terms in the taxonomy instead.
 */
function table(): Uint16Array {
  if (t2s) return t2s;
  const convert = Converter({ from: 't', to: 'cn' });
  const m = new Uint16Array(CJK_TO - CJK_FROM + 1);
  for (let c = CJK_FROM; c <= CJK_TO; c++) {
    const ch = String.fromCharCode(c);
    const out = convert(ch);
    if (out !== ch && out.length === 1) m[c - CJK_FROM] = out.charCodeAt(0);
  }
  t2s = m;
  return m;
}

const QUOTES: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u00b7': '·' };

let shared = new Uint16Array(4096);
/** Normalised form of each non-ASCII BMP code unit met so far. */
const pieces: (string | undefined)[] = new Array(0x10000);

function normalisedPiece(ch: string, tab: Uint16Array): string {
  let piece = QUOTES[ch] ?? ch.normalize('NFKC').toLowerCase();
  if (piece.length === 1) {
    const p = piece.charCodeAt(0);
    if (p >= CJK_FROM && p <= CJK_TO && tab[p - CJK_FROM]) piece = String.fromCharCode(tab[p - CJK_FROM]!);
  }
  return piece;
}

export function normalise(s: string): Normalised {
  const tab = table();
  let cap = s.length + 16;
  // The code units only live until the string is built: one buffer for every call.
  if (shared.length < cap) shared = new Uint16Array(Math.max(cap, shared.length * 2));
  let buf = shared;
  let st = new Int32Array(cap);
  let en = new Int32Array(cap);
  let n = 0;
  let cjk = 0;
  let latin = 0;
  const grow = () => {
    cap *= 2;
    if (buf.length < cap) {
      const b = new Uint16Array(cap);
      b.set(buf);
      buf = shared = b;
    }
    const x = new Int32Array(cap);
    x.set(st);
    st = x;
    const y = new Int32Array(cap);
    y.set(en);
    en = y;
  };
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (n + 8 >= cap) grow();
    if (c < 0x80) {
      // ASCII: only upper case changes.
      const lower = c >= 65 && c <= 90 ? c + 32 : c;
      if (lower >= 97 && lower <= 122) latin++;
      buf[n] = lower;
      st[n] = i;
      en[n++] = i + 1;
      i++;
    } else if (c >= CJK_FROM && c <= CJK_TO) {
      cjk++;
      buf[n] = tab[c - CJK_FROM] || c;
      st[n] = i;
      en[n++] = i + 1;
      i++;
    } else {
      // Everything else through NFKC (full-width forms, compatibility characters) and case folding.
      const cp = s.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      // Chinese punctuation and other non-ASCII code units recur in every text: their pieces are
      // computed once (String.normalize is the costly part).
      let piece = len === 1 ? pieces[c] : undefined;
      if (piece === undefined) {
        piece = normalisedPiece(s.slice(i, i + len), tab);
        if (len === 1) pieces[c] = piece;
      }
      while (n + piece.length + 8 >= cap) grow();
      for (let k = 0; k < piece.length; k++) {
        buf[n] = piece.charCodeAt(k);
        st[n] = i;
        en[n++] = i + len;
      }
      i += len;
    }
  }
  let text = '';
  for (let k = 0; k < n; k += 4096) text += String.fromCharCode.apply(null, buf.subarray(k, Math.min(n, k + 4096)) as unknown as number[]);
  return { text, start: st.subarray(0, n), end: en.subarray(0, n), cjk, latin };
}

/** The span in the original text of normalised code units [from, to). */
export function originalSpan(n: Normalised, from: number, to: number): [number, number] {
  return [n.start[from] ?? 0, n.end[to - 1] ?? 0];
}

/** 'zh' when Chinese characters outnumber a sixth of the Latin letters (one character ~ one word), else 'en'. */
export function langOf(cjk: number, latin: number): 'zh' | 'en' {
  return cjk > 0 && cjk >= latin / 6 ? 'zh' : 'en';
}

/** langOf for a text (its first 4,000 characters). */
export function detectLang(text: string): 'zh' | 'en' {
  const n = Math.min(text.length, 4000);
  let cjk = 0;
  let latin = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x3400 && c <= 0x9fff) cjk++;
    else if ((c | 32) >= 97 && (c | 32) <= 122) latin++;
  }
  return langOf(cjk, latin);
}
