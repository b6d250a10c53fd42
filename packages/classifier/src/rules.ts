import type { Evidence } from './types.js';
import type { Counted, FieldText } from './match.js';
import { originalSpan } from './normalise.js';

export interface RuleScore {
  /** In [0, 1]: 1 - exp(-1.4 W), where W adds up the weights of the distinct terms found. */
  score: number;
  evidence: Evidence[];
}

/** Weight sum that scores 0.5: a single term of weight 0.5 or more is enough on its own. */
const K = 1.4;
const TITLE_BOOST = 1.25;
const REPEAT = 0.15;

/**
 * Turns counted matches into one rule score per label. Each distinct term counts once at its
 * strongest (a title mention weighs 1.25x), and each further mention adds 15% of its weight, up
 * to three, so a long article repeating one weak word does not outweigh a specific term.
 * District evidence also supports its region flag.
 */
export function ruleScores(counted: Counted[], fields: FieldText[]): Map<string, RuleScore> {
  const byLabel = new Map<string, Map<string, { best: number; extra: number; ev: Evidence[] }>>();
  const add = (label: string, c: Counted, w: number) => {
    let terms = byLabel.get(label);
    if (!terms) byLabel.set(label, (terms = new Map()));
    const f = fields.find((x) => x.field === c.found.field)!;
    const [start, end] = originalSpan(f.norm, c.found.start, c.found.end);
    const weight = c.found.field === 'title' ? w * TITLE_BOOST : w;
    const key = c.found.p.text;
    const t = terms.get(key);
    const ev: Evidence = { term: key, field: c.found.field, start, end, weight: round(weight) };
    if (!t) terms.set(key, { best: weight, extra: 0, ev: [ev] });
    else {
      t.extra = Math.min(3, t.extra + 1);
      t.best = Math.max(t.best, weight);
      if (t.ev.length < 3) t.ev.push(ev);
    }
  };
  for (const c of counted) {
    if (c.suppressed) continue;
    add(c.hit.label, c, c.hit.w);
    if (c.hit.kind === 'district' && c.hit.region) add(c.hit.region, c, c.hit.w);
  }
  const out = new Map<string, RuleScore>();
  for (const [label, terms] of byLabel) {
    let w = 0;
    const evidence: Evidence[] = [];
    for (const t of terms.values()) {
      w += t.best + REPEAT * t.best * t.extra;
      evidence.push(...t.ev);
    }
    evidence.sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0));
    out.set(label, { score: 1 - Math.exp(-K * w), evidence: evidence.slice(0, 8) });
  }
  return out;
}

export const round = (x: number) => Math.round(x * 1000) / 1000;
