import type { RadarClassifier } from './classifier.js';
import type { CorpusItem } from './corpus.js';
import { countLabels, prf, report, type Prf, type Report } from './metrics.js';

export interface Evaluation {
  n: number;
  areas: Report;
  districts: Report;
  beijing: Prf & { accuracy: number };
  /** Items with at least one wrong label, for reading. */
  errors: { id: string; wrong: string[] }[];
}

/** The labels of one item, as a labeller or the classifier gives them. */
export type Labels = Pick<CorpusItem, 'areas' | 'districts' | 'beijing'>;

/** Scores the classifier's assigned labels against the corpus labels. */
export function evaluate(c: RadarClassifier, items: CorpusItem[]): Evaluation {
  return compareLabels(c, items, (it) => {
    const r = c.classify({ title: it.title, body: it.body, lang: it.lang });
    return { areas: r.areas.map((x) => x.id), districts: r.districts.map((x) => x.id), beijing: r.beijing.value };
  });
}

/**
 * Scores any labelling against the corpus labels: the classifier's (evaluate), or a second
 * labeller's, which measures how far two careful people agree (the noise under every figure).
 */
export function compareLabels(c: Pick<RadarClassifier, 'dict'>, items: CorpusItem[], predict: (item: CorpusItem) => Labels): Evaluation {
  const areaIds = c.dict.labels.filter((l) => l.kind === 'area').map((l) => l.id);
  const districtIds = c.dict.labels.filter((l) => l.kind === 'district' && l.region === 'beijing').map((l) => l.id);
  const pa: string[][] = [];
  const pd: string[][] = [];
  const bj = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const errors: Evaluation['errors'] = [];
  for (const it of items) {
    const r = predict(it);
    const a = r.areas;
    const d = r.districts;
    pa.push(a);
    pd.push(d);
    if (r.beijing && it.beijing) bj.tp++;
    else if (r.beijing) bj.fp++;
    else if (it.beijing) bj.fn++;
    else bj.tn++;
    const wrong = [
      ...a.filter((x) => !it.areas.includes(x)).map((x) => `+${x}`),
      ...it.areas.filter((x) => !a.includes(x)).map((x) => `-${x}`),
      ...d.filter((x) => !it.districts.includes(x)).map((x) => `+${x}`),
      ...it.districts.filter((x) => !d.includes(x)).map((x) => `-${x}`),
      ...(r.beijing !== it.beijing ? [`beijing=${r.beijing}`] : []),
    ];
    if (wrong.length) errors.push({ id: it.id, wrong });
  }
  return {
    n: items.length,
    areas: report(countLabels(areaIds, items.map((i) => i.areas), pa)),
    districts: report(countLabels(districtIds, items.map((i) => i.districts), pd)),
    beijing: { ...prf('beijing', bj), accuracy: (bj.tp + bj.tn) / Math.max(1, items.length) },
    errors,
  };
}

const f3 = (x: number) => x.toFixed(3);

function table(r: Report): string[] {
  const rows = ['| label | precision | recall | F1 | support | tp | fp | fn |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
  for (const p of r.perLabel) rows.push(`| ${p.label} | ${f3(p.precision)} | ${f3(p.recall)} | ${f3(p.f1)} | ${p.support} | ${p.tp} | ${p.fp} | ${p.fn} |`);
  rows.push(`| **macro** | ${f3(r.macro.precision)} | ${f3(r.macro.recall)} | **${f3(r.macro.f1)}** | | | | |`);
  rows.push(`| **micro** | ${f3(r.micro.precision)} | ${f3(r.micro.recall)} | **${f3(r.micro.f1)}** | ${r.micro.support} | ${r.micro.tp} | ${r.micro.fp} | ${r.micro.fn} |`);
  return rows;
}

/** One evaluation as Markdown (EVAL.md holds the latest). */
export function formatEvaluation(title: string, e: Evaluation): string {
  return [
    `### ${title} (${e.n} items)`,
    '',
    `Areas: macro-F1 **${f3(e.areas.macro.f1)}**, micro-F1 ${f3(e.areas.micro.f1)}. Districts: micro-F1 **${f3(e.districts.micro.f1)}**, macro-F1 ${f3(e.districts.macro.f1)}. Beijing flag: F1 ${f3(e.beijing.f1)}, accuracy ${f3(e.beijing.accuracy)}.`,
    '',
    '**Areas**',
    '',
    ...table(e.areas),
    '',
    '**Districts**',
    '',
    ...table(e.districts),
    '',
    '**Beijing flag** (positive class: true)',
    '',
    '| precision | recall | F1 | accuracy | tp | fp | fn |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    `| ${f3(e.beijing.precision)} | ${f3(e.beijing.recall)} | ${f3(e.beijing.f1)} | ${f3(e.beijing.accuracy)} | ${e.beijing.tp} | ${e.beijing.fp} | ${e.beijing.fn} |`,
    '',
  ].join('\n');
}
