import { beforeAll } from 'vitest';
import { loadClassifier, type RadarClassifier } from '../classifier.js';

/**
 * The classifier's rules alone (no model), loaded once before a test file's tests, and what they
 * make of a text: the whole classification, or the ids of its areas or districts.
 */
export function rulesOnly() {
  let c: RadarClassifier;
  beforeAll(async () => {
    c = await loadClassifier({ modelFile: null });
  });
  const classify = (body: string, title = '') => c.classify({ title, body });
  return {
    classify,
    areasOf: (body: string, title = '') => classify(body, title).areas.map((a) => a.id),
    districtsOf: (body: string, title = '') => classify(body, title).districts.map((d) => d.id),
  };
}
