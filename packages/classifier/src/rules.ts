import type { Evidence } from './types.js';
import type { Counted, FieldText } from './match.js';
import { originalSpan } from './normalise.js';

export interface RuleScore {
  /** In [0, 1]: 1 - exp(-1.4 W), where W adds up the weights of the distinct terms found. */
  score: number;
  evidence: Evidence[];
  /** A term of full weight (the technology or place itself, w >= 1) survived the traps. */
  named: boolean;
}

/** Weight sum that scores 0.5: a single term of weight 0.5 or more is enough on its own. */
const K = 1.4;
const TITLE_BOOST = 1.25;
const REPEAT = 0.15;

/**
 * Turns counted matches into one rule score per label. Each distinct term counts once at its
 * strongest (a title mention weighs 1.25x), and each further mention adds 15% of its weight, up
 * to three, so a long article repeating one weak word does not outweigh a specific term.
 * Terms weaker than 0.5 add up to at most 0.45: they never assign a label on their own.
 * District evidence also supports its region flag; a region named less often than other places
 * (a passing "Beijing" in a Hefei story) has its score scaled by the ratio of the two.
 */
export function ruleScores(counted: Counted[], fields: FieldText[]): Map<string, RuleScore> {
  const byLabel = new Map<string, Map<string, { best: number; extra: number; ev: Evidence[] }>>();
  const named = new Set<string>();
  const add = (label: string, c: Counted, w: number) => {
    if (w >= NAMED) named.add(label);
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
      if (t.ev.length < 2) t.ev.push(ev);
    }
  };
  // Mentions of the region (and its districts) against mentions of other places; title counts double.
  const mentions = new Map<string, { here: number; elsewhere: number; inTitle: boolean }>();
  const mention = (region: string, key: 'here' | 'elsewhere', c: Counted) => {
    const m = mentions.get(region) ?? { here: 0, elsewhere: 0, inTitle: false };
    m[key] += c.found.field === 'title' ? 2 : 1;
    if (key === 'here' && c.found.field === 'title') m.inTitle = true;
    mentions.set(region, m);
  };
  for (const c of counted) {
    if (c.suppressed) continue;
    if (c.hit.kind === 'elsewhere') {
      mention(c.hit.label, 'elsewhere', c);
      continue;
    }
    add(c.hit.label, c, c.hit.w);
    if (c.hit.kind === 'district' && c.hit.region) add(c.hit.region, c, c.hit.w);
    if (c.hit.kind !== 'area' && c.hit.region && c.hit.w >= 0.5) mention(c.hit.region, 'here', c);
  }
  const out = new Map<string, RuleScore>();
  for (const [label, terms] of byLabel) {
    let strong = 0;
    let weak = 0;
    const evidence: Evidence[] = [];
    for (const t of terms.values()) {
      const w = t.best + REPEAT * t.best * t.extra;
      if (t.best >= STRONG) strong += w;
      else weak += w;
      evidence.push(...t.ev);
    }
    evidence.sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0));
    // Weak terms support, never decide: together they stay just below a single sufficient term.
    let score = 1 - Math.exp(-K * (strong + Math.min(weak, WEAK_CAP)));
    const m = mentions.get(label);
    // A region in the headline is the story's subject, however many other cities the body lists.
    if (m && m.elsewhere > m.here && !m.inTitle) score *= m.here / m.elsewhere;
    out.set(label, { score, evidence: evidence.slice(0, 8), named: named.has(label) });
  }
  return out;
}

/** Weight from which one term assigns a label alone (at the default threshold 0.5). */
const STRONG = 0.5;
const WEAK_CAP = 0.45;
/** Raw weight of a term that names the technology itself (the taxonomy's cue words). */
const NAMED = 1;

export const round = (x: number) => Math.round(x * 1000) / 1000;
