import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSettings } from '@radar/config';
import { parse, UsageError, type Command } from './command.js';

const HELP = `
usage: pnpm eval [--split dev|train|all] [--errors] [--no-write]
  Per-label precision, recall and F1, with macro and micro figures, for the areas, the districts
  and the beijing flag, on the dev split of the labelled corpus (by default), for the classifier
  as shipped (rules + model) and, for comparison, the rules alone. Writes the report to EVAL.md
  at the repository root unless --no-write. --errors lists the items with a wrong label.`;

export const evalCommand: Command = {
  name: 'eval',
  summary: 'precision / recall / F1 of the classifier on the dev split (writes EVAL.md)',
  async run(argv) {
    const args = parse(argv, { split: { type: 'string', default: 'dev' }, errors: { type: 'boolean' }, 'no-write': { type: 'boolean' } }, HELP);
    if (!args) return 0;
    const split = args.values.split;
    if (!['dev', 'train', 'all'].includes(split)) throw new UsageError(`--split must be dev, train or all\n${HELP.trim()}`);
    const settings = loadSettings();
    const { loadClassifierSync } = await import('@radar/classifier');
    const { readCorpus, evaluate, compareLabels, formatEvaluation, BLIND_CORPUS_DIR } = await import('@radar/classifier/train');
    const corpus = readCorpus();
    const items = corpus.items.filter((i) => split === 'all' || i.split === split);
    if (items.length === 0) throw new UsageError(`the corpus has no ${split} items`);
    const shipped = loadClassifierSync({ taxonomyFile: settings.TAXONOMY_FILE });
    const rules = loadClassifierSync({ taxonomyFile: settings.TAXONOMY_FILE, modelFile: null });
    const main = evaluate(shipped, items);
    const summary = (name: string, c: typeof shipped, sel: typeof items) => {
      const e = evaluate(c, sel);
      return `| ${name} | ${sel.length} | ${e.areas.macro.f1.toFixed(3)} | ${e.districts.micro.f1.toFixed(3)} | ${e.beijing.f1.toFixed(3)} |`;
    };
    // Items added to the corpus after the model (and the rules' last tuning) were made: the
    // nearest thing to unseen news in the repository.
    const seen = new Set(shipped.model?.file.corpus.ids ?? []);
    const unseen = seen.size ? corpus.items.filter((i) => !seen.has(i.id)) : [];
    const blindAll = readCorpus(BLIND_CORPUS_DIR).items;
    const blind = blindAll.filter((i) => i.id.startsWith('blind-'));
    // Later sets are named by a letter: ids blindC-*, blindD-*, ...
    const lettered = new Map<string, typeof blindAll>();
    for (const i of blindAll) {
      const letter = /^blind([A-Z])-/.exec(i.id)?.[1];
      if (letter) lettered.set(letter, [...(lettered.get(letter) ?? []), i]);
    }
    const half = (h: 0 | 1) => blind.filter((i) => Number(i.id.split('-').pop()) % 2 === h);
    // A set labelled twice, independently (blind/second-labels/<set>.jsonl: id, areas, districts,
    // beijing): the classifier against the second labeller too, on the items both label alike,
    // and the two labellers against each other, the noise under every figure above.
    const secondLabeller = (letter: string, set: typeof blindAll): string[] => {
      const second = readSecondLabels(resolve(BLIND_CORPUS_DIR, 'second-labels', `blind${letter}.jsonl`));
      if (!second || !set.every((i) => second.has(i.id))) return [];
      const relabelled = set.map((i) => ({ ...i, ...second.get(i.id)! }));
      const same = (a: string[], b: string[]) => [...a].sort().join() === [...b].sort().join();
      const agreed = set.filter((i) => {
        const o = second.get(i.id)!;
        return same(i.areas, o.areas) && same(i.districts, o.districts) && i.beijing === o.beijing;
      });
      const agreement = compareLabels(shipped, set, (i) => second.get(i.id)!);
      return [
        summary(`set ${letter}, second labeller's labels`, shipped, relabelled),
        summary(`set ${letter}, items both labellers label alike`, shipped, agreed),
        `| set ${letter}: second labeller against the first (not the classifier) | ${set.length} | ${agreement.areas.macro.f1.toFixed(3)} | ${agreement.districts.micro.f1.toFixed(3)} | ${agreement.beijing.f1.toFixed(3)} |`,
      ];
    };
    const zh = items.filter((i) => i.lang === 'zh');
    const en = items.filter((i) => i.lang === 'en');
    const text = [
      '# Classifier evaluation',
      '',
      `Written by \`pnpm eval${split === 'dev' ? '' : ` --split ${split}`}\` on ${new Date().toISOString().slice(0, 10)}: split **${split}** of the labelled corpus`,
      `(\`packages/classifier/corpus/*.jsonl\`: ${corpus.items.length} items, ${corpus.items.filter((i) => i.split === 'train').length} train / ${corpus.items.filter((i) => i.split === 'dev').length} dev, ${corpus.items.filter((i) => i.lang === 'zh').length} Chinese).`,
      `Taxonomy ${shipped.taxonomyVersion}, classifier ${shipped.classifierVersion}${shipped.model ? ` (model trained ${shipped.model.file.createdAt.slice(0, 10)} on ${shipped.model.file.corpus.train} train items)` : ''}.`,
      'Labels count when assigned (score at or above the label threshold); a label absent from both gold and prediction is a true negative.',
      '',
      '## Summary',
      '',
      '| classifier | items | areas macro-F1 | districts micro-F1 | beijing F1 |',
      '|---|---:|---:|---:|---:|',
      summary('rules + model (shipped)', shipped, items),
      summary('rules + model, English', shipped, en),
      summary('rules + model, Chinese', shipped, zh),
      summary('rules only', rules, items),
      ...(unseen.length ? [summary('rules + model, items added after training (any split)', shipped, unseen)] : []),
      '',
      '## Blind test sets (unseen news)',
      '',
      `\`packages/classifier/blind/*.jsonl\`: ${blindAll.length} items (${blindAll.filter((i) => i.lang === 'zh').length} Chinese) paraphrased from real`,
      "articles in neither the corpus nor each other, labelled independently of the classifier's developers.",
      'Each set is an honest measure only while sealed: it is measured once, then opened for tuning.',
      'The sealed measurements, from packages/classifier/blind/README.md:',
      '',
      ...sealedLog(BLIND_CORPUS_DIR),
      '',
      'The current classifier on every set (a set used for tuning flatters it):',
      '',
      '| classifier | items | areas macro-F1 | districts micro-F1 | beijing F1 |',
      '|---|---:|---:|---:|---:|',
      summary('half B (sealed in round 1, seen in round 2), rules + model', shipped, half(0)),
      summary('half B, English', shipped, half(0).filter((i) => i.lang === 'en')),
      summary('half B, Chinese', shipped, half(0).filter((i) => i.lang === 'zh')),
      summary('half A (seen as a development signal)', shipped, half(1)),
      ...[...lettered].flatMap(([letter, set]) => [
        summary(`set ${letter}, rules + model`, shipped, set),
        summary(`set ${letter}, English`, shipped, set.filter((i) => i.lang === 'en')),
        summary(`set ${letter}, Chinese`, shipped, set.filter((i) => i.lang === 'zh')),
        ...secondLabeller(letter, set),
      ]),
      '',
      'How to read this: the thresholds are chosen on the dev split, and the taxonomy (terms, traps,',
      'weights) was refined while reading misclassified items of the whole corpus, dev included, so',
      'dev figures flatter the classifier on unseen news. Items added to the corpus after the model was',
      'trained, when there are any, are the honest measure.',
      '',
      '## Detail (rules + model)',
      '',
      formatEvaluation(`split ${split}`, main),
      ...(args.values.errors ? ['## Items with a wrong label', '', ...main.errors.map((e) => `- ${e.id}: ${e.wrong.join(' ')}`), ''] : []),
    ].join('\n');
    process.stdout.write(text + '\n');
    if (!args.values['no-write']) {
      const { REPO_ROOT } = await import('@radar/classifier/train');
      writeFileSync(resolve(REPO_ROOT, 'EVAL.md'), text + '\n');
      process.stderr.write('written EVAL.md\n');
    }
    for (const p of corpus.problems) process.stderr.write(`skipped corpus line ${p}\n`);
    return 0;
  },
};

/** The log table of sealed measurements kept in the blind sets' README (one source of truth). */
function sealedLog(dir: string): string[] {
  try {
    const lines = readFileSync(resolve(dir, 'README.md'), 'utf8').split('\n');
    const table = lines.filter((l) => l.startsWith('|'));
    return table.length ? table : ['(no log found)'];
  } catch {
    return ['(no log found)'];
  }
}

/** A second labeller's labels by item id, or undefined when the set has none. */
function readSecondLabels(file: string): Map<string, { areas: string[]; districts: string[]; beijing: boolean }> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const out = new Map<string, { areas: string[]; districts: string[]; beijing: boolean }>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const o = JSON.parse(line) as { id: string; areas: string[]; districts: string[]; beijing: boolean };
    out.set(o.id, { areas: o.areas, districts: o.districts, beijing: o.beijing });
  }
  return out;
}
