import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { visitFeatures } from './features.js';
import { PairMap } from './pair-map.js';
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
  /** Known features in a text at which the model gets its full share lambda (less: proportionally less). */
  fullSupport: z.number().positive().default(100),
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
  /** How many known features the text had: the model's say grows with them. */
  support: number;
  /** The strongest present features for the label, when p >= 0.5 (empty otherwise). */
  top: [string, number][];
}

/**
 * A model file compiled for scoring: every feature gets an id and a compressed row of its
 * per-label weights, so scoring one article is a few hundred lookups and additions.
 */
export class Model {
  readonly version: string;
  readonly labels: string[];
  private readonly names: string[] = [];
  /** Per-label weights of each feature, compressed rows: entries rowStart[id] .. rowStart[id + 1]. */
  private readonly rowStart: Int32Array;
  private readonly rowLabel: Uint16Array;
  private readonly rowWeight: Float64Array;
  /** Feature name -> id. */
  private readonly ids = new Map<string, number>();
  /** The `w:` features by stem, and the `b:` features by first and second stem. */
  private readonly words = new Map<string, number>();
  private readonly pairs = new Map<string, Map<string, number>>();
  /** The `c:XY` features again, keyed by X * 65536 + Y: no string per bigram when scoring. */
  private readonly bigrams = new PairMap();
  private readonly bias: Float64Array;
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly stamp: Uint32Array;
  private generation = 0;
  private present = new Int32Array(1024);

  constructor(
    readonly file: ModelFile,
    text: string,
  ) {
    this.version = createHash('sha256').update(text).digest('hex').slice(0, 12);
    this.labels = file.labels.map((l) => l.id);
    this.bias = Float64Array.from(file.labels, (l) => l.bias);
    this.a = Float64Array.from(file.labels, (l) => l.a);
    this.b = Float64Array.from(file.labels, (l) => l.b);
    for (const l of file.labels) {
      for (const f of Object.keys(l.weights)) {
        if (this.ids.has(f)) continue;
        const id = this.names.length;
        this.names.push(f);
        this.ids.set(f, id);
        if (f.length === 4 && f.startsWith('c:')) this.bigrams.set(f.charCodeAt(2), f.charCodeAt(3), id);
        else if (f.startsWith('w:')) this.words.set(f.slice(2), id);
        else if (f.startsWith('b:') && f.includes('_')) {
          const cut = f.indexOf('_');
          const first = f.slice(2, cut);
          let inner = this.pairs.get(first);
          if (!inner) this.pairs.set(first, (inner = new Map()));
          inner.set(f.slice(cut + 1), id);
        }
      }
    }
    const entries: [number, number][][] = this.names.map(() => []);
    file.labels.forEach((l, i) => {
      for (const [f, w] of Object.entries(l.weights)) entries[this.ids.get(f)!]!.push([i, w]);
    });
    this.rowStart = new Int32Array(this.names.length + 1);
    const total = entries.reduce((n, e) => n + e.length, 0);
    this.rowLabel = new Uint16Array(total);
    this.rowWeight = new Float64Array(total);
    let k = 0;
    entries.forEach((e, id) => {
      this.rowStart[id] = k;
      for (const [i, w] of e) {
        this.rowLabel[k] = i;
        this.rowWeight[k++] = w;
      }
    });
    this.rowStart[this.names.length] = k;
    this.stamp = new Uint32Array(this.names.length);
  }

  /** Scores of a feature set (as modelFeatures gives it). */
  score(features: Set<string>): Map<string, ModelScore> {
    this.begin();
    for (const f of features) {
      const id = this.ids.get(f);
      if (id !== undefined) this.add(id);
    }
    return this.finish();
  }

  /** The same scores straight from the analysed fields, without building the feature strings. */
  scoreFields(fields: FieldText[], traps: MatchResult['traps']): Map<string, ModelScore> {
    this.begin();
    visitFeatures(fields, traps, this.visitor);
    return this.finish();
  }

  /** One visitor object for every call (a stable shape the JIT can inline). */
  private readonly visitor = {
    model: this as Model,
    word(stem: string): void {
      const id = this.model.words.get(stem);
      if (id !== undefined) this.model.add(id);
    },
    pair(first: string, second: string): void {
      const id = this.model.pairs.get(first)?.get(second);
      if (id !== undefined) this.model.add(id);
    },
    bigram(x: number, y: number): void {
      const id = this.model.bigrams.get(x, y);
      if (id >= 0) this.model.add(id);
    },
  };

  private count = 0;

  private begin(): void {
    this.count = 0;
    if (++this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }

  private add(id: number): void {
    if (this.stamp[id] === this.generation) return;
    this.stamp[id] = this.generation;
    if (this.count === this.present.length) {
      const bigger = new Int32Array(this.present.length * 2);
      bigger.set(this.present);
      this.present = bigger;
    }
    this.present[this.count++] = id;
  }

  private finish(): Map<string, ModelScore> {
    const L = this.labels.length;
    const sums = new Float64Array(L);
    const { rowStart, rowLabel, rowWeight, present, count } = this;
    for (let k = 0; k < count; k++) {
      const id = present[k]!;
      for (let e = rowStart[id]!, end = rowStart[id + 1]!; e < end; e++) sums[rowLabel[e]!]! += rowWeight[e]!;
    }
    const norm = Math.sqrt(Math.max(1, count));
    const out = new Map<string, ModelScore>();
    // Labels that look assigned (p >= 0.5) get their strongest features as evidence, computed
    // when first asked, for all of them in one pass over the present features: a copy of the
    // present ids, since the buffer is reused by the next call.
    const hot: number[] = [];
    let tops: Map<number, [string, number][]> | undefined;
    let snapshot: Int32Array | undefined;
    const model = this as Model;
    for (let i = 0; i < L; i++) {
      const p = 1 / (1 + Math.exp(-(this.a[i]! * (this.bias[i]! + sums[i]! / norm) + this.b[i]!)));
      if (p < 0.5) {
        out.set(this.labels[i]!, { p, support: count, top: [] });
        continue;
      }
      hot.push(i);
      snapshot ??= present.slice(0, count);
      const ids = snapshot;
      out.set(this.labels[i]!, {
        p,
        support: count,
        get top() {
          return (tops ??= model.tops(hot, ids)).get(i)!;
        },
      });
    }
    return out;
  }

  /** The three present features that raise each of `labels` most (evidence), in one pass. */
  private tops(labels: number[], ids: Int32Array): Map<number, [string, number][]> {
    // Three slots per label, kept in order, no allocation until the end.
    const slot = new Int32Array(this.labels.length).fill(-1);
    labels.forEach((l, k) => (slot[l] = k));
    const best = new Float64Array(labels.length * 3);
    const bestId = new Int32Array(labels.length * 3).fill(-1);
    const { rowStart, rowLabel, rowWeight } = this;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      for (let e = rowStart[id]!, end = rowStart[id + 1]!; e < end; e++) {
        const s = slot[rowLabel[e]!]!;
        if (s < 0) continue;
        const w = rowWeight[e]!;
        const o = s * 3;
        if (w <= best[o + 2]!) continue;
        if (w > best[o]!) {
          best[o + 2] = best[o + 1]!;
          bestId[o + 2] = bestId[o + 1]!;
          best[o + 1] = best[o]!;
          bestId[o + 1] = bestId[o]!;
          best[o] = w;
          bestId[o] = id;
        } else if (w > best[o + 1]!) {
          best[o + 2] = best[o + 1]!;
          bestId[o + 2] = bestId[o + 1]!;
          best[o + 1] = w;
          bestId[o + 1] = id;
        } else {
          best[o + 2] = w;
          bestId[o + 2] = id;
        }
      }
    }
    const out = new Map<number, [string, number][]>();
    labels.forEach((l, s) => {
      const top: [string, number][] = [];
      for (let j = 0; j < 3; j++) if (bestId[s * 3 + j]! >= 0) top.push([this.names[bestId[s * 3 + j]!]!, best[s * 3 + j]!]);
      out.set(l, top);
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
