import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { visitFeatures } from './features.js';
import type { FieldText, MatchResult } from './match.js';

/** The committed model file (written by `pnpm radar train`). */
export const DEFAULT_MODEL_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../model/model.json');

const labelSchema = z.object({
  id: z.string(),
  /** log P(yes) / P(no) from natural's Bayes class totals. */
  bias: z.number(),
  /** Platt scaling of the log-odds: p = sigmoid(a * logodds + b), fitted on cross-validated train scores. */
  a: z.number(),
  b: z.number(),
  positives: z.number().int(),
  /** Feature -> log-likelihood ratio, from natural's Bayes feature counts. */
  weights: z.record(z.string(), z.number()),
});

export const modelFileSchema = z.object({
  format: z.literal('radar-nb/1'),
  createdAt: z.string(),
  taxonomyVersion: z.string(),
  /** Share of the model in a label's score: score = (1 - lambda) * rules + lambda * model. */
  lambda: z.number().min(0).max(1),
  /**
   * Log-odds = bias + (sum of the present features' weights) / sqrt(number of features present
   * that carry a weight for any label): Naive Bayes sums grow with length, and a title alone
   * should not look far less likely than a long article.
   */
  lengthNorm: z.literal('sqrt'),
  corpus: z.object({
    files: z.array(z.string()),
    train: z.number().int(),
    dev: z.number().int(),
    /** Ids of every corpus item present at training time: items added later are unseen text. */
    ids: z.array(z.string()).default([]),
  }),
  labels: z.array(labelSchema),
  /** Per-label thresholds chosen on the dev split (labels without one use 0.5). */
  thresholds: z.record(z.string(), z.number()),
});
export type ModelFile = z.infer<typeof modelFileSchema>;

export interface ModelScore {
  p: number;
  top: [string, number][];
}

/** A model file compiled for scoring: an inverted index feature -> (label, weight). */
export class Model {
  readonly version: string;
  readonly labels: string[];
  private readonly index = new Map<string, [number, number][]>();
  /** The `c:XY` features again, keyed by X * 65536 + Y: no string per bigram when scoring. */
  private readonly bigrams = new Map<number, [number, number][]>();
  private readonly bias: Float64Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;

  constructor(
    readonly file: ModelFile,
    text: string,
  ) {
    this.version = createHash('sha256').update(text).digest('hex').slice(0, 12);
    this.labels = file.labels.map((l) => l.id);
    this.bias = Float64Array.from(file.labels, (l) => l.bias);
    this.a = Float64Array.from(file.labels, (l) => l.a);
    this.b = Float64Array.from(file.labels, (l) => l.b);
    file.labels.forEach((l, i) => {
      for (const [f, w] of Object.entries(l.weights)) {
        let list = this.index.get(f);
        if (!list) {
          this.index.set(f, (list = []));
          if (f.length === 4 && f.startsWith('c:')) this.bigrams.set(f.charCodeAt(2) * 65536 + f.charCodeAt(3), list);
        }
        list.push([i, w]);
      }
    });
  }

  /** Scores of a feature set (as modelFeatures gives it). */
  score(features: Set<string>): Map<string, ModelScore> {
    const lists: [string, [number, number][]][] = [];
    for (const f of features) {
      const list = this.index.get(f);
      if (list) lists.push([f, list]);
    }
    return this.combine(lists);
  }

  /** The same scores straight from the analysed fields, without building the feature strings. */
  scoreFields(fields: FieldText[], traps: MatchResult['traps']): Map<string, ModelScore> {
    const seen = new Set<[number, number][]>();
    const lists: [string, [number, number][]][] = [];
    visitFeatures(fields, traps, {
      word: (f) => {
        const list = this.index.get(f);
        if (list && !seen.has(list)) {
          seen.add(list);
          lists.push([f, list]);
        }
      },
      bigram: (a, b) => {
        const list = this.bigrams.get(a * 65536 + b);
        if (list && !seen.has(list)) {
          seen.add(list);
          lists.push(['c:' + String.fromCharCode(a, b), list]);
        }
      },
    });
    return this.combine(lists);
  }

  private combine(lists: [string, [number, number][]][]): Map<string, ModelScore> {
    const sums = new Float64Array(this.labels.length);
    const tops: [string, number][][] = this.labels.map(() => []);
    const present = lists.length;
    for (const [f, list] of lists) {
      for (const [i, w] of list) {
        sums[i]! += w;
        if (w > 0) {
          const top = tops[i]!;
          if (top.length < 3) top.push([f, w]);
          else {
            let min = 0;
            for (let k = 1; k < 3; k++) if (top[k]![1] < top[min]![1]) min = k;
            if (top[min]![1] < w) top[min] = [f, w];
          }
        }
      }
    }
    const out = new Map<string, ModelScore>();
    this.labels.forEach((id, i) => {
      const p = 1 / (1 + Math.exp(-(this.a[i]! * (this.bias[i]! + sums[i]! / Math.sqrt(Math.max(1, present))) + this.b[i]!)));
      out.set(id, { p, top: tops[i]!.sort((a, b) => b[1] - a[1]) });
    });
    return out;
  }
}

export function parseModel(text: string, file = '<text>'): Model {
  const parsed = modelFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`model ${file} is invalid: ${parsed.error.issues[0]?.message ?? ''}`);
  return new Model(parsed.data, text);
}

/** The model at `file`, or undefined when there is none yet (the classifier then runs on rules). */
export function loadModel(file: string = DEFAULT_MODEL_FILE): Model | undefined {
  if (!existsSync(file)) return undefined;
  return parseModel(readFileSync(file, 'utf8'), file);
}
