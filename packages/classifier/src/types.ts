/**
 * The classifier's contract with the rest of Radar. The pipeline, the API and the alerts only
 * depend on these types.
 */
export interface ClassifyInput {
  id?: string;
  title: string;
  body: string;
  /** ISO 639-1 code when known ('en', 'zh'); detected from the text otherwise. */
  lang?: string | undefined;
}

export interface Evidence {
  /** The matched term as written in the text, or a model feature. */
  term: string;
  /** 'title' | 'body' for a matched term; 'model' for a model feature. */
  field: 'title' | 'body' | 'model';
  /** Character offsets (UTF-16 code units) in that field; absent for model features. */
  start?: number;
  end?: number;
  /** Contribution of this evidence to the score. */
  weight?: number;
}

export interface LabelResult {
  id: string;
  /** In [0, 1]. */
  score: number;
  evidence: Evidence[];
}

export interface Classification {
  /** Only the labels assigned (score above the label's threshold), highest score first. */
  areas: LabelResult[];
  districts: LabelResult[];
  beijing: { value: boolean; score: number; evidence: Evidence[] };
  lang: string;
  /**
   * Every region flag of the taxonomy (the default one has only `beijing`, also given above), for
   * taxonomies that add regions. Optional so older callers and stored results stay valid.
   */
  regions?: { id: string; value: boolean; score: number; evidence: Evidence[] }[];
  /** The plan's clusters that the assigned districts belong to. */
  clusters?: string[];
}

/** Why a candidate match was not counted: shown by `radar classify --text`. */
export interface Suppressed {
  term: string;
  field: 'title' | 'body';
  start: number;
  end: number;
  /** The labels it would have supported. */
  labels: string[];
  reason: string;
}

/** A classification with the working shown: rule and model scores per label, suppressed matches. */
export interface Explanation extends Classification {
  scores: { id: string; rules: number; model: number | null; score: number; threshold: number }[];
  suppressed: Suppressed[];
}

export interface Classifier {
  classify(input: ClassifyInput): Classification;
  /** Content hash of the taxonomy data file. */
  readonly taxonomyVersion: string;
  /** Version of the rules + model (content hash of the model file and code version). */
  readonly classifierVersion: string;
  /** The same as classify(), plus every label's rule and model scores and the suppressed matches. */
  explain?(input: ClassifyInput): Explanation;
}
