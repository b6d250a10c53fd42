import { loadTaxonomy, type LoadedTaxonomy } from '@radar/taxonomy';
import { compileDictionary, type Dictionary } from './dictionary.js';
import { modelFeatures } from './features.js';
import { resolve as resolveMatches, type FieldText, type MatchResult } from './match.js';
import { loadModel, type Model, type ModelScore } from './model.js';
import { langOf, normalise, originalSpan } from './normalise.js';
import { round, ruleScores, type RuleScore } from './rules.js';
import { tokenise } from './tokens.js';
import type { Classification, Classifier, ClassifyInput, Evidence, Explanation, LabelResult } from './types.js';

/** Bumped when the rules' code changes what they assign; part of classifierVersion. */
export const RULES_VERSION = 'rules-1';
const DEFAULT_THRESHOLD = 0.5;

export interface LoadOptions {
  /** Taxonomy data file; default: the bundled packages/taxonomy/data/taxonomy.yaml (callers pass the TAXONOMY_FILE setting). */
  taxonomyFile?: string | undefined;
  /** Model file; default: the committed packages/classifier/model/model.json; null: rules only. */
  modelFile?: string | null | undefined;
}

/** Everything the classifier works out for one input, before thresholds. */
export interface Analysis {
  fields: FieldText[];
  match: MatchResult;
  rules: Map<string, RuleScore>;
  /** The model's features as strings (computed when first read: classify() does not need them). */
  readonly features: Set<string>;
  lang: string;
}

export class RadarClassifier implements Classifier {
  readonly taxonomyVersion: string;
  readonly classifierVersion: string;
  readonly dict: Dictionary;

  constructor(
    readonly taxonomy: LoadedTaxonomy,
    readonly model: Model | undefined,
  ) {
    this.dict = compileDictionary(taxonomy);
    this.taxonomyVersion = taxonomy.version;
    this.classifierVersion = `${RULES_VERSION}+${model ? `nb-${model.version}` : 'no-model'}`;
  }

  analyse(input: ClassifyInput): Analysis {
    const fields: FieldText[] = [];
    for (const [field, raw] of [
      ['title', input.title ?? ''],
      ['body', input.body ?? ''],
    ] as const) {
      const norm = normalise(raw);
      fields.push({ field, norm, tokens: tokenise(norm.text) });
    }
    const match = resolveMatches(this.dict, fields);
    let features: Set<string> | undefined;
    return {
      fields,
      match,
      rules: ruleScores(match.counted, fields),
      get features() {
        return (features ??= modelFeatures(fields, match.traps));
      },
      lang: input.lang ?? langOf(fields[0]!.norm.cjk + fields[1]!.norm.cjk, fields[0]!.norm.latin + fields[1]!.norm.latin),
    };
  }

  threshold(label: string): number {
    return this.model?.file.thresholds[label] ?? DEFAULT_THRESHOLD;
  }

  /** Combined score per label: rules alone, or (1 - l) rules + l model, l = lambda * min(1, known features / fullSupport). */
  scores(a: Analysis): { id: string; rules: number; model: ModelScore | undefined; score: number }[] {
    const model = this.model?.scoreFields(a.fields, a.match.traps);
    const lambda = this.model?.file.lambda ?? 0;
    const fullSupport = this.model?.file.fullSupport ?? 100;
    return this.dict.labels.map(({ id, kind }) => {
      const rule = a.rules.get(id);
      const r = rule?.score ?? 0;
      const m = model?.get(id);
      // The model's share grows with the features it knows in the text: a headline alone is
      // judged by the taxonomy's rules, a full article by both.
      const l = m ? lambda * Math.min(1, m.support / fullSupport) : 0;
      const blended = m ? (1 - l) * r + l * m.p : r;
      // A district is placed by the gazetteer: the model, which knows only the places of its
      // training texts, may confirm a placement but not veto a landmark it has never seen.
      // Likewise a technology named outright (a full-weight term that survived the traps, "even
      // inside a list" in the taxonomy's words) is tagged whatever else the article is about.
      return { id, rules: r, model: m, score: kind === 'district' || rule?.named ? Math.max(r, blended) : blended };
    });
  }

  classify(input: ClassifyInput): Classification {
    return this.build(this.analyse(input)).result;
  }

  explain(input: ClassifyInput): Explanation {
    const a = this.analyse(input);
    const { result, scores } = this.build(a);
    const suppressed = a.match.counted
      .filter((c) => c.suppressed)
      .map((c) => {
        const f = a.fields.find((x) => x.field === c.found.field)!;
        const [start, end] = originalSpan(f.norm, c.found.start, c.found.end);
        return { term: c.found.p.text, field: c.found.field, start, end, labels: [c.hit.label], reason: c.suppressed! };
      });
    return {
      ...result,
      scores: scores.map((s) => ({
        id: s.id,
        rules: round(s.rules),
        model: s.model ? round(s.model.p) : null,
        score: round(s.score),
        threshold: this.threshold(s.id),
      })),
      suppressed,
    };
  }

  private build(a: Analysis) {
    const scores = this.scores(a);
    const assigned = new Map<string, LabelResult>();
    for (const s of scores) {
      if (s.score < this.threshold(s.id)) continue;
      const evidence: Evidence[] = [...(a.rules.get(s.id)?.evidence ?? [])];
      if (s.model && s.model.p >= 0.5) {
        for (const [term, weight] of s.model.top) evidence.push({ term, field: 'model', weight: round(weight) });
      }
      assigned.set(s.id, { id: s.id, score: round(s.score), evidence });
    }
    const byKind = (kind: string) =>
      this.dict.labels
        .filter((l) => l.kind === kind && assigned.has(l.id))
        .map((l) => assigned.get(l.id)!)
        .sort((x, y) => y.score - x.score);
    const regions = this.dict.labels
      .filter((l) => l.kind === 'region')
      .map((l) => {
        const s = scores.find((x) => x.id === l.id)!;
        // A district of the region placed in the text makes the region flag true.
        const districtHere = this.dict.labels.some((d) => d.kind === 'district' && d.region === l.id && assigned.has(d.id));
        const value = assigned.has(l.id) || districtHere;
        return { id: l.id, value, score: round(value ? Math.max(s.score, this.threshold(l.id)) : s.score), evidence: assigned.get(l.id)?.evidence ?? a.rules.get(l.id)?.evidence ?? [] };
      });
    // Districts only of regions the story is about.
    const districts = byKind('district').filter((d) => {
      const region = this.dict.labels.find((l) => l.id === d.id)?.region;
      return regions.find((r) => r.id === region)?.value ?? false;
    });
    const ids = new Set(districts.map((d) => d.id));
    const bj = regions.find((r) => r.id === 'beijing') ?? { value: false, score: 0, evidence: [] };
    const result: Classification = {
      areas: byKind('area'),
      districts,
      beijing: { value: bj.value, score: bj.score, evidence: bj.evidence },
      lang: a.lang,
      regions,
      clusters: this.dict.clusters.filter((c) => c.districts.some((d) => ids.has(d))).map((c) => c.id),
    };
    return { result, scores };
  }
}

/**
 * The classifier over the bundled (or given) taxonomy and the committed model. Loading reads and
 * validates the files and compiles the dictionaries once; classify() is then synchronous.
 */
export async function loadClassifier(opts: LoadOptions = {}): Promise<RadarClassifier> {
  return loadClassifierSync(opts);
}

export function loadClassifierSync(opts: LoadOptions = {}): RadarClassifier {
  const taxonomy = loadTaxonomy(opts.taxonomyFile);
  const model = opts.modelFile === null ? undefined : loadModel(opts.modelFile);
  return new RadarClassifier(taxonomy, model);
}
