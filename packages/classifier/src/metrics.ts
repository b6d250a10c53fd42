export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
export interface Prf extends Counts {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function prf(label: string, c: Counts): Prf {
  // A label with no positives and no predictions is perfectly handled: 1, not 0/0.
  const precision = c.tp + c.fp === 0 ? (c.fn === 0 ? 1 : 0) : c.tp / (c.tp + c.fp);
  const recall = c.tp + c.fn === 0 ? (c.fp === 0 ? 1 : 0) : c.tp / (c.tp + c.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { label, ...c, precision, recall, f1, support: c.tp + c.fn };
}

/** Per-label counts of a multi-label task. */
export function countLabels(labels: string[], gold: string[][], pred: string[][]): Map<string, Counts> {
  const m = new Map(labels.map((l) => [l, { tp: 0, fp: 0, fn: 0 }]));
  gold.forEach((g, i) => {
    const p = new Set(pred[i]);
    const gs = new Set(g);
    for (const l of labels) {
      const c = m.get(l)!;
      if (gs.has(l) && p.has(l)) c.tp++;
      else if (p.has(l)) c.fp++;
      else if (gs.has(l)) c.fn++;
    }
  });
  return m;
}

export interface Report {
  perLabel: Prf[];
  macro: { precision: number; recall: number; f1: number };
  micro: Prf;
}

export function report(counts: Map<string, Counts>): Report {
  const perLabel = [...counts].map(([l, c]) => prf(l, c));
  const withSupport = perLabel;
  const mean = (k: 'precision' | 'recall' | 'f1') => withSupport.reduce((s, x) => s + x[k], 0) / Math.max(1, withSupport.length);
  const sum = [...counts.values()].reduce((s, c) => ({ tp: s.tp + c.tp, fp: s.fp + c.fp, fn: s.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  return { perLabel, macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') }, micro: prf('micro', sum) };
}

/** Best F1 threshold for one label, searched in [lo, hi]; ties go to the value nearest 0.5. */
export function bestThreshold(scores: number[], gold: boolean[], lo = 0.3, hi = 0.7, step = 0.025): { t: number; f1: number } {
  let best = { t: 0.5, f1: -1 };
  for (let t = lo; t <= hi + 1e-9; t += step) {
    const c = { tp: 0, fp: 0, fn: 0 };
    scores.forEach((s, i) => {
      if (s >= t && gold[i]) c.tp++;
      else if (s >= t) c.fp++;
      else if (gold[i]) c.fn++;
    });
    const f1 = prf('', c).f1;
    if (f1 > best.f1 + 1e-9 || (Math.abs(f1 - best.f1) <= 1e-9 && Math.abs(t - 0.5) < Math.abs(best.t - 0.5))) {
      best = { t: Math.round(t * 1000) / 1000, f1 };
    }
  }
  return best;
}
