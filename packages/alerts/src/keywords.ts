import { cjkRuns, fold, hasCjk, words, type PreparedText } from './text.js';

/**
 * Keyword expressions: `blockchain AND (xicheng OR 西城) NOT "supply chain"`.
 *
 * - Terms next to each other are joined by AND; AND binds tighter than OR.
 * - Operators: AND, OR, NOT (any case), also `&`, `|`, and `-`/`!` before a term or group.
 * - `"quoted phrases"` (straight or curly quotes, 「」) keep their words together.
 * - A term with Chinese (or Japanese, Korean) characters matches as a substring of the text;
 *   any other term matches whole words, so `AI` does not match "said". A trailing `*` matches
 *   word prefixes (`crypto*`).
 * - Full-width forms are folded (`（`, `ＡＩ`), case is ignored.
 */

export interface Term {
  /** The term as written (folded). */
  raw: string;
  /** Substring match (the term has CJK characters). */
  cjk: boolean;
  /** For word terms: the folded words; for CJK terms: the folded text. */
  words: string[];
  /** Word terms: the last word is a prefix (`crypto*`). */
  prefix: boolean;
}

export type Expr =
  | { op: 'term'; term: Term }
  | { op: 'and'; items: Expr[] }
  | { op: 'or'; items: Expr[] }
  | { op: 'not'; item: Expr };

export class KeywordSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at character ${position + 1})`);
    this.name = 'KeywordSyntaxError';
  }
}

type Token = { kind: 'and' | 'or' | 'not' | 'open' | 'close' } | { kind: 'term'; text: string; quoted: boolean };
type Positioned = Token & { pos: number };

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '「': '」', '『': '』' };
const OPERATORS: Record<string, 'and' | 'or' | 'not'> = { and: 'and', or: 'or', not: 'not', '&': 'and', '&&': 'and', '|': 'or', '||': 'or' };

function tokenize(input: string): Positioned[] {
  const s = input.normalize('NFKC');
  const out: Positioned[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')') {
      out.push({ kind: ch === '(' ? 'open' : 'close', pos: i });
      i++;
    } else if (QUOTES[ch]) {
      const end = s.indexOf(QUOTES[ch]!, i + 1);
      if (end < 0) throw new KeywordSyntaxError('unclosed quote', i);
      const text = s.slice(i + 1, end).trim();
      if (text) out.push({ kind: 'term', text, quoted: true, pos: i });
      i = end + 1;
    } else if ((ch === '-' || ch === '!') && i + 1 < s.length && !/\s/.test(s[i + 1]!) && (i === 0 || /[\s(]/.test(s[i - 1]!))) {
      out.push({ kind: 'not', pos: i });
      i++;
    } else {
      let j = i;
      while (j < s.length && !/[\s()]/.test(s[j]!) && !QUOTES[s[j]!]) j++;
      const text = s.slice(i, j);
      const op = OPERATORS[text.toLowerCase()];
      out.push(op ? { kind: op, pos: i } : { kind: 'term', text, quoted: false, pos: i });
      i = j;
    }
  }
  return out;
}

function makeTerm(text: string, pos: number): Term {
  const folded = fold(text);
  if (hasCjk(folded)) return { raw: folded, cjk: true, words: [folded.replace(/\s+/g, ' ').trim()], prefix: false };
  const prefix = folded.endsWith('*');
  const list = words(prefix ? folded.slice(0, -1) : folded);
  if (!list.length) throw new KeywordSyntaxError(`"${text}" has no letters or digits to match`, pos);
  return { raw: folded, cjk: false, words: list, prefix };
}

/** Parses an expression; throws KeywordSyntaxError saying where it is wrong. */
export function parseKeywords(input: string): Expr {
  const tokens = tokenize(input);
  let k = 0;
  const peek = () => tokens[k];
  const end = input.length;

  function primary(): Expr {
    const t = tokens[k];
    if (!t) throw new KeywordSyntaxError('expected a term', end);
    if (t.kind === 'not') {
      k++;
      return { op: 'not', item: primary() };
    }
    if (t.kind === 'open') {
      k++;
      const e = or();
      const c = tokens[k];
      if (!c || c.kind !== 'close') throw new KeywordSyntaxError('missing ")"', c?.pos ?? end);
      k++;
      return e;
    }
    if (t.kind === 'term') {
      k++;
      return { op: 'term', term: makeTerm(t.text, t.pos) };
    }
    throw new KeywordSyntaxError(`unexpected ${t.kind === 'close' ? '")"' : t.kind.toUpperCase()}`, t.pos);
  }

  function and(): Expr {
    const items = [primary()];
    for (;;) {
      const t = peek();
      if (!t || t.kind === 'or' || t.kind === 'close') break;
      if (t.kind === 'and') k++;
      items.push(primary());
    }
    return items.length === 1 ? items[0]! : { op: 'and', items };
  }

  function or(): Expr {
    const items = [and()];
    while (peek()?.kind === 'or') {
      k++;
      items.push(and());
    }
    return items.length === 1 ? items[0]! : { op: 'or', items };
  }

  if (!tokens.length) throw new KeywordSyntaxError('empty keyword expression', 0);
  const expr = or();
  const rest = peek();
  if (rest) throw new KeywordSyntaxError(`unexpected ${rest.kind === 'close' ? '")"' : 'text'}`, rest.pos);
  return expr;
}

export function termMatches(term: Term, text: PreparedText): boolean {
  if (term.cjk) return text.folded.includes(term.words[0]!);
  if (!term.prefix) {
    if (term.words.length === 1) return text.wordSet.has(term.words[0]!);
    return text.phrase.includes(` ${term.words.join(' ')} `);
  }
  const head = term.words.slice(0, -1);
  const last = term.words[term.words.length - 1]!;
  if (!head.length) {
    for (const w of text.wordSet) if (w.startsWith(last)) return true;
    return false;
  }
  return text.phrase.includes(` ${head.join(' ')} ${last}`);
}

export function evaluate(e: Expr, text: PreparedText): boolean {
  switch (e.op) {
    case 'term':
      return termMatches(e.term, text);
    case 'not':
      return !evaluate(e.item, text);
    case 'and':
      return e.items.every((x) => evaluate(x, text));
    case 'or':
      return e.items.some((x) => evaluate(x, text));
  }
}

/**
 * Terms of which at least one must be in any text the expression matches, or null when no such
 * set exists (a top-level NOT). The matching index files the subscription under these terms.
 */
export function requiredTerms(e: Expr): Term[] | null {
  switch (e.op) {
    case 'term':
      return [e.term];
    case 'not':
      return null;
    case 'or': {
      const out: Term[] = [];
      for (const x of e.items) {
        const r = requiredTerms(x);
        if (!r) return null;
        out.push(...r);
      }
      return out;
    }
    case 'and': {
      let best: Term[] | null = null;
      for (const x of e.items) {
        const r = requiredTerms(x);
        if (r && (!best || r.length < best.length)) best = r;
      }
      return best;
    }
  }
}

/**
 * The index key of a term: a word of it (the longest; for a prefix term its first three
 * letters), or a CJK bigram of it. `textKeys` yields the same keys from a text.
 */
export function termKey(term: Term): string {
  if (term.cjk) {
    const run = cjkRuns(term.words[0]!).sort((a, b) => b.length - a.length)[0];
    if (!run) return `w:${words(term.words[0]!)[0] ?? ''}`;
    return `c:${run.slice(0, 2)}`;
  }
  const whole = term.prefix ? term.words.slice(0, -1) : term.words;
  if (whole.length) return `w:${[...whole].sort((a, b) => b.length - a.length)[0]!}`;
  const last = term.words[term.words.length - 1]!;
  return last.length >= 3 ? `p:${last.slice(0, 3)}` : `p1:${last[0]}`;
}

/** Which kinds of text keys an index holds, so a text yields only those. */
export interface TextKeyKinds {
  word: boolean;
  prefix3: boolean;
  prefix1: boolean;
  cjk1: boolean;
  cjk2: boolean;
}

/** The kind of a key made by termKey. */
export function keyKind(key: string): keyof TextKeyKinds | null {
  if (key.startsWith('w:')) return 'word';
  if (key.startsWith('p:')) return 'prefix3';
  if (key.startsWith('p1:')) return 'prefix1';
  if (key.startsWith('c:')) return [...key.slice(2)].length === 1 ? 'cjk1' : 'cjk2';
  return null;
}

/** Every key of the given kinds a text can satisfy (see termKey). */
export function* textKeys(text: PreparedText, kinds: TextKeyKinds): Generator<string> {
  if (kinds.word || kinds.prefix3 || kinds.prefix1) {
    for (const w of text.wordSet) {
      if (kinds.word) yield `w:${w}`;
      if (kinds.prefix3 && w.length >= 3) yield `p:${w.slice(0, 3)}`;
      if (kinds.prefix1) yield `p1:${w[0]}`;
    }
  }
  if (kinds.cjk1 || kinds.cjk2) {
    for (const run of cjkRuns(text.folded)) {
      for (let i = 0; i < run.length; i++) {
        if (kinds.cjk1) yield `c:${run[i]}`;
        if (kinds.cjk2 && i + 1 < run.length) yield `c:${run.slice(i, i + 2)}`;
      }
    }
  }
}
