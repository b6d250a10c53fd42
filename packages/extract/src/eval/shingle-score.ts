/**
 * The scoring method of the ScrapingHub article-extraction benchmark (its `evaluate.py`),
 * re-implemented: `\w+` tokens (Unicode), 4-token shingles counted as multisets, per-page
 * tp/fp/fn normalised by their sum, precision and recall averaged over pages, F1 from the means.
 */

/** Python's Unicode `\w`: letters, numbers and the underscore (no combining marks). */
const TOKEN = /[\p{L}\p{N}_]+/gu;

export interface PageCounts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  /** Share of pages whose token lists are equal. */
  accuracy: number;
  pages: number;
}

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function shingles(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  // Like upstream: a text shorter than n tokens still yields one (shorter) shingle, an empty one none.
  const last = Math.max(1, tokens.length - n + 1);
  for (let i = 0; i < last; i++) {
    const slice = tokens.slice(i, i + n);
    if (slice.length === 0) continue;
    // U+0001 cannot occur inside a \w token, so the join is unambiguous.
    const key = slice.join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** tp/fp/fn of one page, normalised so that long pages weigh no more than short ones. */
export function shingleCounts(truth: string, predicted: string, n = 4): PageCounts {
  const t = shingles(tokenize(truth), n);
  const p = shingles(tokenize(predicted), n);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const [key, tc] of t) {
    const pc = p.get(key) ?? 0;
    tp += Math.min(tc, pc);
    fn += Math.max(0, tc - pc);
  }
  for (const [key, pc] of p) fp += Math.max(0, pc - (t.get(key) ?? 0));
  const sum = tp + fp + fn;
  return sum > 0 ? { tp: tp / sum, fp: fp / sum, fn: fn / sum } : { tp, fp, fn };
}

function precisionOf({ tp, fp, fn }: PageCounts): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fp === 0) return 0;
  return tp / (tp + fp);
}

function recallOf({ tp, fp, fn }: PageCounts): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fn === 0) return 0;
  return tp / (tp + fn);
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Benchmark scores over pages given as [truth, predicted] text pairs. */
export function scorePages(pairs: ReadonlyArray<readonly [string, string]>): Scores {
  const counts = pairs.map(([t, p]) => shingleCounts(t, p));
  const precision = mean(counts.filter((c) => c.tp + c.fp > 0).map(precisionOf));
  const recall = mean(counts.filter((c) => c.tp + c.fn > 0).map(recallOf));
  const same = pairs.filter(([t, p]) => tokenize(t).join(' ') === tokenize(p).join(' ')).length;
  return {
    precision,
    recall,
    f1: (2 * precision * recall) / (precision + recall),
    accuracy: same / pairs.length,
    pages: pairs.length,
  };
}
