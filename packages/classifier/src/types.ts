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
}

export interface Classifier {
  classify(input: ClassifyInput): Classification;
  /** Content hash of the taxonomy data file. */
  readonly taxonomyVersion: string;
  /** Version of the rules + model (content hash of the model file and code version). */
  readonly classifierVersion: string;
}
