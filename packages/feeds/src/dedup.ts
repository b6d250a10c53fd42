import { createHash } from 'node:crypto';

/**
 * Dedup by content: an exact hash for copies, a 64-bit SimHash for near copies (a syndicated
 * story with a changed headline or a trimmed paragraph). SimHash features are word shingles for
 * alphabetic scripts and character shingles for Chinese/Japanese/Korean, which has no spaces.
 */

/** Lower-case, NFKC (full-width to half-width), punctuation and space runs collapsed. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
}

const sha256 = (normalized: string): string => createHash('sha256').update(normalized).digest('hex');

/** SHA-256 (hex) of the normalised text: equal for copies that differ only in spacing, case or punctuation. */
export function contentHash(text: string): string {
  return sha256(normalizeText(text));
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const TOKEN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+|[\p{L}\p{N}]+/gu;

/** Stop words carry no identity; dropping them makes small rewordings cost less. */
const STOP = new Set(
  'a an and are as at be by for from has have in is it its of on or that the this to was were will with'.split(' '),
);

/**
 * The features of a text: for runs of CJK characters, each character and each overlapping
 * 2-character shingle (bigrams alone make a short Chinese text too sensitive to small edits); for
 * other words, each word and each pair of neighbouring words.
 */
export function features(text: string): string[] {
  const out: string[] = [];
  let prevWord: string | null = null;
  for (const m of normalizeText(text).matchAll(TOKEN)) {
    const tok = m[0];
    if (CJK.test(tok)) {
      prevWord = null;
      const chars = [...tok];
      for (const c of chars) out.push(c);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
    } else {
      if (STOP.has(tok)) continue;
      out.push(tok);
      if (prevWord) out.push(`${prevWord} ${tok}`);
      prevWord = tok;
    }
  }
  return out;
}

/*
 * Two independent 32-bit FNV-1a hashes of a string make its 64-bit feature hash, with a final
 * avalanche so that short features spread over all bits. The steps are separate so that a
 * feature made of two parts (a word pair, a CJK bigram) is hashed by carrying on from the
 * first part's state, without building the string.
 */
const SEED1 = 0x811c9dc5;
const SEED2 = 0x01000193 ^ 0x5bd1e995;

function hashUnits1(h: number, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function hashUnits2(h: number, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h;
}

function finish1(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

function finish2(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * The distinct features of a text with their counts, in order of first appearance, keyed by
 * their 64-bit hash (open addressing over typed arrays): what a Map of feature strings held,
 * without making the strings. Two distinct features of one text with the same 64 hash bits
 * would count as one; at a few thousand features a text, that chance is ~1e-13.
 */
class FeatureCounts {
  hi: number[] = [];
  lo: number[] = [];
  n: number[] = [];
  private slots: Int32Array;

  constructor(expected: number) {
    let cap = 64;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap);
  }

  add(hi: number, lo: number): void {
    let mask = this.slots.length - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const at = this.slots[i]!;
      if (at === 0) {
        this.hi.push(hi);
        this.lo.push(lo);
        this.n.push(1);
        this.slots[i] = this.hi.length;
        if (this.hi.length * 2 > this.slots.length) {
          this.slots = new Int32Array(this.slots.length * 2);
          mask = this.slots.length - 1;
          for (let k = 0; k < this.hi.length; k++) {
            let j = this.lo[k]! & mask;
            while (this.slots[j] !== 0) j = (j + 1) & mask;
            this.slots[j] = k + 1;
          }
        }
        return;
      }
      if (this.hi[at - 1] === hi && this.lo[at - 1] === lo) {
        this.n[at - 1]!++;
        return;
      }
    }
  }
}

/** Code units of the code point that starts at `i` (2 for a surrogate pair). */
function unitsAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) return 1;
  const d = s.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
}

/**
 * 64-bit SimHash of a text, as 16 lower-case hex digits. Equal texts give equal hashes. The
 * features are those of `features()`, in the same order, hashed as their strings would be.
 */
export function simhash(text: string): string {
  return simhashOfNormalized(normalizeText(text));
}

function simhashOfNormalized(norm: string): string {
  const counts = new FeatureCounts(norm.length / 2);
  // Raw (unfinished) hash states of the previous word, for its pair with the next one.
  let prev1 = 0;
  let prev2 = 0;
  let hasPrev = false;
  for (const m of norm.matchAll(TOKEN)) {
    const tok = m[0];
    if (CJK.test(tok)) {
      hasPrev = false;
      // Each character, then each pair of neighbouring characters.
      for (let i = 0; i < tok.length; i += unitsAt(tok, i)) {
        const end = i + unitsAt(tok, i);
        counts.add(finish1(hashUnits1(SEED1, tok, i, end)), finish2(hashUnits2(SEED2, tok, i, end)));
      }
      for (let i = 0, mid = unitsAt(tok, 0); mid < tok.length; i = mid, mid += unitsAt(tok, mid)) {
        const end = mid + unitsAt(tok, mid);
        counts.add(
          finish1(hashUnits1(hashUnits1(SEED1, tok, i, mid), tok, mid, end)),
          finish2(hashUnits2(hashUnits2(SEED2, tok, i, mid), tok, mid, end)),
        );
      }
    } else {
      if (STOP.has(tok)) continue;
      const h1 = hashUnits1(SEED1, tok, 0, tok.length);
      const h2 = hashUnits2(SEED2, tok, 0, tok.length);
      counts.add(finish1(h1), finish2(h2));
      if (hasPrev) {
        // `${prev} ${tok}`: the previous word's state, a space, then this word.
        const p1 = Math.imul(prev1 ^ 0x20, 0x01000193);
        let p2 = Math.imul(prev2 ^ 0x20, 0x5bd1e995);
        p2 ^= p2 >>> 15;
        counts.add(finish1(hashUnits1(p1, tok, 0, tok.length)), finish2(hashUnits2(p2, tok, 0, tok.length)));
      }
      prev1 = h1;
      prev2 = h2;
      hasPrev = true;
    }
  }
  const v = new Float64Array(64);
  for (let k = 0; k < counts.hi.length; k++) {
    // Sub-linear weight: a word repeated ten times should not outvote the rest of the text.
    const w = 1 + Math.log(counts.n[k]!);
    const hi = counts.hi[k]!;
    const lo = counts.lo[k]!;
    // +w for a set bit, -w for a clear one, without a branch (the bits are random, so a
    // branch would be mispredicted half the time); times +-1 is exact, so the sums are too.
    for (let b = 0; b < 32; b++) {
      v[b]! += w * ((((hi >>> b) & 1) << 1) - 1);
      v[32 + b]! += w * ((((lo >>> b) & 1) << 1) - 1);
    }
  }
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if (v[b]! > 0) hi |= 1 << b;
    if (v[32 + b]! > 0) lo |= 1 << b;
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Number of differing bits between two 16-hex-digit SimHashes. */
export function hammingDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/i.test(a) || !/^[0-9a-f]{16}$/i.test(b)) {
    throw new TypeError(`not 64-bit hex SimHashes: ${a}, ${b}`);
  }
  return (
    popcount32(parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16)) +
    popcount32(parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16))
  );
}

/**
 * Default largest distance between near duplicates. Syndicated copies with small edits and a
 * trimmed last paragraph measure 2-9 bits on their body text (see story.test.ts and the
 * syndication fixture); unrelated news texts sit near 32 and rarely below 20.
 */
export const NEAR_DUPLICATE_DISTANCE = 10;

/** Whether two SimHashes are within `maxDistance` bits (default NEAR_DUPLICATE_DISTANCE). */
export function isNearDuplicate(a: string, b: string, maxDistance = NEAR_DUPLICATE_DISTANCE): boolean {
  return hammingDistance(a, b) <= maxDistance;
}

/** Below this many characters, a body says too little alone and the title is hashed with it. */
const MIN_BODY_CHARS = 200;

/**
 * The SimHash that groups articles into stories. Outlets rewrite headlines far more than they
 * rewrite bodies, so a substantial body is hashed alone; a short one (a teaser) with its title.
 */
export function storySimhash(title: string | null | undefined, text: string | null | undefined): string {
  return simhash(storySimhashInput(title, text));
}

function storySimhashInput(title: string | null | undefined, text: string | null | undefined): string {
  const body = (text ?? '').trim();
  return body.length >= MIN_BODY_CHARS ? body : `${title ?? ''}\n${body}`;
}

/**
 * `contentHash(text)` and `storySimhash(title, text)` together, normalising the text once when
 * the SimHash is of the same text (a substantial body without spaces around it, as extracted).
 */
export function storyFingerprints(title: string | null | undefined, text: string): { contentHash: string; simhash: string } {
  const norm = normalizeText(text);
  const input = storySimhashInput(title, text);
  return { contentHash: sha256(norm), simhash: simhashOfNormalized(input === text ? norm : normalizeText(input)) };
}
