import { createHash } from 'node:crypto';

/**
 * Dedup by content: an exact hash for copies, a 64-bit SimHash for near copies (a syndicated
 * story with a changed headline or a trimmed paragraph). SimHash features are word shingles for
 * alphabetic scripts and character shingles for Chinese/Japanese/Korean, which has no spaces.
 */

let lastIn: string | undefined;
let lastOut = '';

/** Lower-case, NFKC (full-width to half-width), punctuation and space runs collapsed. */
export function normalizeText(text: string): string {
  // The extractor hashes each text twice (contentHash, then the SimHash's features): the last
  // result is kept, so the second call costs a string comparison instead of ~45 us.
  if (text === lastIn) return lastOut;
  lastOut = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
  lastIn = text;
  return lastOut;
}

/** SHA-256 (hex) of the normalised text: equal for copies that differ only in spacing, case or punctuation. */
export function contentHash(text: string): string {
  return createHash('sha256').update(normalizeText(text)).digest('hex');
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

/** Two independent 32-bit FNV-1a hashes of a string make its 64-bit feature hash. */
function hash64(s: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  // A final avalanche so that short features spread over all bits.
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h2 ^= h2 >>> 16;
  h2 = Math.imul(h2, 0xc2b2ae35);
  h2 ^= h2 >>> 13;
  return [h1 >>> 0, h2 >>> 0];
}

/** 64-bit SimHash of a text, as 16 lower-case hex digits. Equal texts give equal hashes. */
export function simhash(text: string): string {
  const counts = new Map<string, number>();
  for (const f of features(text)) counts.set(f, (counts.get(f) ?? 0) + 1);
  const v = new Float64Array(64);
  for (const [f, n] of counts) {
    // Sub-linear weight: a word repeated ten times should not outvote the rest of the text.
    const w = 1 + Math.log(n);
    const [hi, lo] = hash64(f);
    for (let b = 0; b < 32; b++) {
      v[b]! += (hi >>> b) & 1 ? w : -w;
      v[32 + b]! += (lo >>> b) & 1 ? w : -w;
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
  const body = (text ?? '').trim();
  return simhash(body.length >= MIN_BODY_CHARS ? body : `${title ?? ''}\n${body}`);
}
