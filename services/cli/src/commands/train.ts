import { loadSettings } from '@radar/config';
import { parse, UsageError, type Command } from './command.js';

const HELP = `
usage: pnpm radar train [--corpus DIR] [--out FILE]
  Trains the statistical half of the classifier (natural's Naive Bayes, one-vs-rest per label)
  on the train split of the labelled corpus (every *.jsonl in packages/classifier/corpus by
  default), picks per-label thresholds on the dev split, and writes the versioned model file
  (default packages/classifier/model/model.json, which is committed). Then run \`pnpm eval\`.`;

export const train: Command = {
  name: 'train',
  summary: 'train the classifier model on the labelled corpus and write the model file',
  async run(argv) {
    const args = parse(argv, { corpus: { type: 'string' }, out: { type: 'string' } }, HELP);
    if (!args) return 0;
    const settings = loadSettings();
    const { train: trainModel } = await import('@radar/classifier/train');
    const r = trainModel({ taxonomyFile: settings.TAXONOMY_FILE, corpusDir: args.values.corpus, out: args.values.out });
    if (r.model.corpus.train === 0) throw new UsageError('the corpus has no train items');
    for (const p of r.problems) process.stderr.write(`skipped corpus line ${p}\n`);
    const lines = [
      `trained on ${r.model.corpus.train} items (dev ${r.model.corpus.dev}) from ${r.model.corpus.files.length} files in ${r.seconds.toFixed(1)} s`,
      `model: ${r.model.labels.length} labels (${r.model.labels.map((l) => `${l.id} ${l.positives}+`).join(', ')})`,
      r.skipped.length ? `rules only (too few positives): ${r.skipped.join(', ')}` : '',
      `thresholds chosen on dev: ${Object.entries(r.model.thresholds).map(([k, v]) => `${k} ${v}`).join(', ') || '(none)'}`,
      `written ${r.file}`,
    ].filter(Boolean);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
