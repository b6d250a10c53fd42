export type {
  Classifier,
  Classification,
  ClassifyInput,
  Evidence,
  Explanation,
  LabelResult,
  Suppressed,
} from './types.js';
export { loadClassifier, loadClassifierSync, RadarClassifier, RULES_VERSION, type LoadOptions, type Analysis } from './classifier.js';
export { normalise, detectLang, type Normalised } from './normalise.js';
export { DEFAULT_MODEL_FILE, loadModel, parseModel, Model, type ModelFile } from './model.js';
