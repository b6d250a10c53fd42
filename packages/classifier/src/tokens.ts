import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { words as STOPWORDS } from 'natural/lib/natural/util/stopwords.js';

/** A Latin word (or number) of normalised text with its span. */
export interface Token {
  word: string;
  stem: string;
  start: number;
  end: number;
}

const stemCache = new Map<string, string>();

/** natural's Porter stemmer, memoised: news vocabulary repeats, and stemming is the costly part. */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    if (stemCache.size > 200_000) stemCache.clear();
    s = /^[a-z]+$/.test(word) && word.length > 2 ? PorterStemmer.stem(word) : word;
    stemCache.set(word, s);
  }
  return s;
}

/** Latin words of lower-cased, normalised text; Chinese characters and punctuation separate words. */
export function tokenise(text: string): Token[] {
  const out: Token[] = [];
  // A scan over code units rather than a global regex: no match array per word.
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    const inWord = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 0xc0 && c <= 0x24f);
    if (inWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      const word = text.slice(start, i);
      out.push({ word, stem: stem(word), start, end: i });
      start = -1;
    }
  }
  return out;
}

/**
 * Whether two words of a multi-word term may stand this far apart: only spaces, hyphens,
 * apostrophes or a middle dot between them, so "big. Data" or "big ... data" is not "big data".
 */
export function joinable(text: string, from: number, to: number): boolean {
  if (to - from > 3) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 45 && c !== 39 && c !== 0xb7 && c !== 10 && c !== 9 && c !== 0xa0) return false;
  }
  return true;
}

export const STOP = new Set(STOPWORDS);
