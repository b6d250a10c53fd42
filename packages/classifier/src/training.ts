// The classifier's offline side (`@radar/classifier/train`): corpus, training and evaluation.
// Kept apart from the main entry so services that only classify never load it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export { train, gold, type TrainOptions, type TrainResult } from './train.js';
export { readCorpus, corpusItemSchema, DEFAULT_CORPUS_DIR, BLIND_CORPUS_DIR, type Corpus, type CorpusItem } from './corpus.js';
export { evaluate, compareLabels, formatEvaluation, type Evaluation, type Labels } from './evaluate.js';
export { prf, report, countLabels, bestThreshold, type Prf, type Report } from './metrics.js';

/** The repository root (EVAL.md lives there). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
