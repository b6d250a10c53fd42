import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The committed model file (written by `pnpm radar train`). */
export const DEFAULT_MODEL_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../model/model.json');

const labelSchema = z.object({
  id: z.string(),
  /** log P(yes) / P(no) from natural's Bayes class totals. */
  bias: z.number(),
  /** Divides the log-odds before the sigmoid: Naive Bayes is overconfident. */
  temperature: z.number().positive(),
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
  corpus: z.object({ files: z.array(z.string()), train: z.number().int(), dev: z.number().int() }),
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
  private readonly bias: Float64Array;
  private readonly temp: Float64Array;

  constructor(
    readonly file: ModelFile,
    text: string,
  ) {
    this.version = createHash('sha256').update(text).digest('hex').slice(0, 12);
    this.labels = file.labels.map((l) => l.id);
    this.bias = Float64Array.from(file.labels, (l) => l.bias);
    this.temp = Float64Array.from(file.labels, (l) => l.temperature);
    file.labels.forEach((l, i) => {
      for (const [f, w] of Object.entries(l.weights)) {
        let list = this.index.get(f);
        if (!list) this.index.set(f, (list = []));
        list.push([i, w]);
      }
    });
  }

  score(features: Set<string>): Map<string, ModelScore> {
    const sums = Float64Array.from(this.bias);
    const tops: [string, number][][] = this.labels.map(() => []);
    for (const f of features) {
      const list = this.index.get(f);
      if (!list) continue;
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
      const p = 1 / (1 + Math.exp(-sums[i]! / this.temp[i]!));
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
