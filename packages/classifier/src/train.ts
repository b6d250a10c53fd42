import { writeFileSync } from 'node:fs';
import BayesClassifier from 'natural/lib/natural/classifiers/bayes_classifier.js';
import { loadClassifierSync, RadarClassifier, type Analysis } from './classifier.js';
import { readCorpus, type CorpusItem } from './corpus.js';
import { bestThreshold } from './metrics.js';
import { DEFAULT_MODEL_FILE, Model, modelFileSchema, type ModelFile } from './model.js';

export interface TrainOptions {
  taxonomyFile?: string | undefined;
  corpusDir?: string | undefined;
  /** Where to write the model; default the committed packages/classifier/model/model.json. */
  out?: string | undefined;
  /** Share of the model in the combined score. Default 0.35: the taxonomy's rules lead. */
  lambda?: number;
  /** Labels with fewer training positives get no model (rules only). Default 8. */
  minPositives?: number;
  /** Features kept per label, by strength. Default 800. */
  maxFeatures?: number;
  /** Labels with fewer dev positives keep the default threshold 0.5. Default 5. */
  minDevPositives?: number;
}

export interface TrainResult {
  model: ModelFile;
  file: string;
  problems: string[];
  seconds: number;
  skipped: string[];
}

/** Whether a corpus item carries a label (areas, districts, or the region flag). */
export function gold(item: CorpusItem, label: string, kind: string): boolean {
  if (kind === 'area') return item.areas.includes(label);
  if (kind === 'district') return item.districts.includes(label);
  return label === 'beijing' ? item.beijing : false;
}

/**
 * natural's BayesClassifier for one label (classes 'yes' / 'no'), fed sparse observations
 * directly (its dense path would build a vocabulary-sized vector per document), turned into a
 * linear model: bias = log P(yes)/P(no), weight(f) = log P(f|yes)/P(f|no) with natural's own
 * counts and smoothing, the strongest `maxFeatures` kept. For an observation whose features
 * all carry a weight, bias + sum of weights equals log of natural's P(yes|x)/P(no|x).
 */
export function fitLabel(
  obs: Record<number, string>[],
  y: boolean[],
  df: Map<string, number>,
  maxFeatures: number,
  minWeight = 0.25,
): { bias: number; weights: Record<string, number>; nb: BayesClassifier } {
  const nb = new BayesClassifier();
  obs.forEach((o, i) => nb.classifier.addExample(o, y[i] ? 'yes' : 'no'));
  // natural's Bayes (apparatus) counts documents per class only on its dense path; set the
  // counts its sparse path leaves at 1 to what the dense path would hold (1 + documents).
  const pos = y.filter(Boolean).length;
  nb.classifier.classTotals = { yes: 1 + pos, no: 1 + (y.length - pos) };
  nb.classifier.totalExamples = 1 + y.length;
  nb.classifier.classFeatures['yes'] ??= {};
  nb.classifier.classFeatures['no'] ??= {};
  const { classFeatures, classTotals, smoothing } = nb.classifier;
  const yes = classFeatures['yes'] ?? {};
  const no = classFeatures['no'] ?? {};
  const totY = classTotals['yes'] ?? 1;
  const totN = classTotals['no'] ?? 1;
  const scored: [string, number, number][] = [];
  for (const [f, n] of df) {
    if (n < 2) continue;
    const w = Math.log((yes[f] ?? smoothing) / totY) - Math.log((no[f] ?? smoothing) / totN);
    if (Math.abs(w) >= minWeight) scored.push([f, w, Math.abs(w) * Math.sqrt(n)]);
  }
  scored.sort((a, b) => b[2] - a[2]);
  const weights: Record<string, number> = {};
  for (const [f, w] of scored.slice(0, maxFeatures)) weights[f] = Math.round(w * 1e4) / 1e4;
  return { bias: Math.log(totY / totN), weights, nb };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The model's log-odds for one label, as Model.score computes them (see lengthNorm). */
function logOdds(bias: number, weights: Record<string, number>, obs: Record<number, string>, known: Set<string>): number {
  let s = 0;
  let n = 0;
  for (const f of Object.values(obs)) {
    s += weights[f] ?? 0;
    if (known.has(f)) n++;
  }
  return bias + s / Math.sqrt(Math.max(1, n));
}

/** Fits p = sigmoid(a * s + b) to (score, label) pairs by Newton's method on the log loss (Platt 1999, with his target smoothing). */
export function platt(pairs: [number, boolean][]): { a: number; b: number } {
  const pos = pairs.filter(([, y]) => y).length;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (pairs.length - pos + 2);
  const loss = (a: number, b: number) => {
    let l = 0;
    for (const [s, y] of pairs) {
      const z = a * s + b;
      const t = y ? hi : lo;
      // log(1 + e^z) - t z, computed stably
      l += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t * z;
    }
    return l;
  };
  let a = 0;
  let b = Math.log((pos + 1) / (pairs.length - pos + 1));
  let current = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let g1 = 0;
    let g2 = 0;
    let h11 = 1e-6;
    let h22 = 1e-6;
    let h12 = 0;
    for (const [s, y] of pairs) {
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const d = p - (y ? hi : lo);
      const w = Math.max(p * (1 - p), 1e-9);
      g1 += d * s;
      g2 += d;
      h11 += w * s * s;
      h22 += w;
      h12 += w * s;
    }
    const det = h11 * h22 - h12 * h12;
    if (!(Math.abs(det) > 1e-12)) break;
    let da = (h22 * g1 - h12 * g2) / det;
    let db = (h11 * g2 - h12 * g1) / det;
    // Backtrack until the loss goes down: Newton's step can overshoot on separable data.
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-4) {
      step /= 2;
      next = loss(a - da * step, b - db * step);
    }
    if (next > current) break;
    da *= step;
    db *= step;
    a -= da;
    b -= db;
    const done = current - next < 1e-9;
    current = next;
    if (done) break;
  }
  return { a, b };
}

/**
 * Trains natural's Naive Bayes one-vs-rest per label on the train split (word stems, word pairs
 * and Chinese character n-grams, with the taxonomy's traps hidden), keeps each label's strongest
 * features as log-likelihood ratios, calibrates them (Platt) and picks per-label thresholds for
 * the combined rules + model score on the dev split, and writes the model file.
 */
export function train(opts: TrainOptions = {}): TrainResult {
  const t0 = performance.now();
  const lambda = opts.lambda ?? 0.35;
  const minPositives = opts.minPositives ?? 8;
  const maxFeatures = opts.maxFeatures ?? 800;
  const minDev = opts.minDevPositives ?? 5;
  const rules: RadarClassifier = loadClassifierSync({ taxonomyFile: opts.taxonomyFile, modelFile: null });
  const corpus = readCorpus(opts.corpusDir);
  const analysed = corpus.items.map((item) => ({ item, a: rules.analyse({ title: item.title, body: item.body, lang: item.lang }) }));
  const trainSet = analysed.filter((x) => x.item.split === 'train');
  const devSet = analysed.filter((x) => x.item.split === 'dev');

  const df = new Map<string, number>();
  for (const { a } of trainSet) for (const f of a.features) df.set(f, (df.get(f) ?? 0) + 1);
  const vocab = (a: Analysis) => {
    const obs: Record<number, string> = {};
    let i = 0;
    for (const f of a.features) if ((df.get(f) ?? 0) >= 2) obs[i++] = f;
    return obs;
  };
  const trainObs = trainSet.map((x) => vocab(x.a));

  const skipped: string[] = [];
  const fitted: { id: string; y: boolean[]; bias: number; weights: Record<string, number> }[] = [];
  for (const { id, kind } of rules.dict.labels) {
    const y = trainSet.map((x) => gold(x.item, id, kind));
    const positives = y.filter(Boolean).length;
    if (positives < minPositives || positives === y.length) skipped.push(id);
    else fitted.push({ id, y, ...fitLabel(trainObs, y, df, maxFeatures) });
  }
  // Features the model knows (any label): their count normalises the log-odds (lengthNorm).
  const known = new Set(fitted.flatMap((f) => Object.keys(f.weights)));
  const labels: ModelFile['labels'] = fitted.map(({ id, y, bias, weights }) => {
    // Calibration (Platt scaling) on cross-validated log-odds of the train split: Naive Bayes
    // log-odds are far too confident to use as probabilities.
    const folds = 5;
    const held: [number, boolean][] = [];
    for (let k = 0; k < folds; k++) {
      const inFold = (i: number) => i % folds === k;
      const part = fitLabel(trainObs.filter((_, i) => !inFold(i)), y.filter((_, i) => !inFold(i)), df, maxFeatures);
      trainObs.forEach((o, i) => {
        if (inFold(i)) held.push([logOdds(part.bias, part.weights, o, known), y[i]!]);
      });
    }
    const { a, b } = platt(held);
    return { id, bias: round4(bias), a: round4(a), b: round4(b), positives: y.filter(Boolean).length, weights };
  });

  const draft: ModelFile = {
    format: 'radar-nb/1',
    createdAt: new Date().toISOString(),
    taxonomyVersion: rules.taxonomyVersion,
    lambda,
    lengthNorm: 'sqrt',
    fullSupport: 100,
    corpus: { files: corpus.files, train: trainSet.length, dev: devSet.length, ids: corpus.items.map((i) => i.id) },
    labels,
    thresholds: {},
  };
  // Thresholds on dev for the combined score, with the model in place.
  const withModel = new RadarClassifier(rules.taxonomy, new Model(draft, JSON.stringify(draft)));
  const devScores = devSet.map((x) => new Map(withModel.scores(x.a).map((s) => [s.id, s.score])));
  for (const { id, kind } of rules.dict.labels) {
    const g = devSet.map((x) => gold(x.item, id, kind));
    if (g.filter(Boolean).length < minDev) continue;
    // Never below 0.47: neither the model alone (at most lambda = 0.35) nor weak terms alone
    // (at most 1 - e^(-1.4 * 0.45) = 0.467) may assign a label; together they may.
    draft.thresholds[id] = bestThreshold(devScores.map((m) => m.get(id) ?? 0), g, 0.47, 0.65, 0.02).t;
  }
  const model = modelFileSchema.parse(draft);
  const file = opts.out ?? DEFAULT_MODEL_FILE;
  writeFileSync(file, `${JSON.stringify(model, null, 1)}\n`);
  return { model, file, problems: corpus.problems, seconds: (performance.now() - t0) / 1000, skipped };
}
