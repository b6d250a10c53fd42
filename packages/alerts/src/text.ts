/**
 * Text as keyword matching sees it. Both the text and the keywords go through `fold`: Unicode
 * NFKC (full-width letters, digits and brackets become their ASCII forms) and lower case.
 * Latin words are matched on word boundaries; Chinese, which has no spaces, as substrings.
 */

/** Han, kana and Hangul: scripts written without spaces between words. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
/** A word: letters and digits of the scripts that separate words with spaces. */
const WORD = /[\p{L}\p{N}]+/gu;

export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function hasCjk(text: string): boolean {
  return CJK.test(text);
}

/** The words of an already folded text, CJK runs excluded. */
export function words(folded: string): string[] {
  return folded.replace(CJK_RUN, ' ').match(WORD) ?? [];
}

/** The CJK runs of an already folded text. */
export function cjkRuns(folded: string): string[] {
  return folded.match(CJK_RUN) ?? [];
}

/** A text prepared once for many keyword tests and index look-ups. */
export interface PreparedText {
  /** Folded text, for CJK substring tests. */
  folded: string;
  /** Its words joined by single spaces, with a space at each end, for phrase tests. */
  phrase: string;
  wordSet: Set<string>;
}

export function prepareText(text: string): PreparedText {
  const folded = fold(text);
  const list = words(folded);
  return { folded, phrase: ` ${list.join(' ')} `, wordSet: new Set(list) };
}
