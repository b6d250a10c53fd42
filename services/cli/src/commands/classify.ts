import { createInterface } from 'node:readline';
import type { RadarClassifier } from '@radar/classifier';
import { loadSettings } from '@radar/config';
import { parse, printJson, type Command } from './command.js';

const HELP = `
usage: pnpm radar classify [--text TEXT [--title TITLE]]
  Without --text: reads JSON lines {"id","title","body","lang"?} on stdin and writes one JSON line
  per input, in order: {"id","areas":[{"id","score","evidence"}],"districts":[...],
  "beijing":{"value","score"}} listing only the labels assigned. A malformed line gets
  {"line":N,"error":"..."} and the rest go on.
  With --text: prints a readable explanation of one text: labels, scores, the matched terms in
  context, and the matches that traps or context suppressed.
  The taxonomy comes from TAXONOMY_FILE (default: the bundled one).`;

type Loaded = RadarClassifier;

function context(text: string, start: number, end: number): string {
  const a = Math.max(0, start - 24);
  const b = Math.min(text.length, end + 24);
  const clean = (s: string) => s.replace(/\s+/g, ' ');
  return `${a > 0 ? '…' : ''}${clean(text.slice(a, start))}[${text.slice(start, end)}]${clean(text.slice(end, b))}${b < text.length ? '…' : ''}`;
}

function explainText(c: Loaded, title: string, body: string): string {
  const e = c.explain({ title, body });
  const field = (f: string) => (f === 'title' ? title : body);
  const lines: string[] = [];
  lines.push(`taxonomy ${c.taxonomyVersion}, classifier ${c.classifierVersion}, language ${e.lang}`);
  lines.push('');
  const section = (name: string, labels: typeof e.areas) => {
    lines.push(`${name}: ${labels.length ? labels.map((l) => `${l.id} ${l.score.toFixed(2)}`).join(', ') : '(none)'}`);
    for (const l of labels) {
      const s = e.scores.find((x) => x.id === l.id)!;
      lines.push(`  ${l.id}: score ${s.score.toFixed(3)} = rules ${s.rules.toFixed(3)}${s.model === null ? '' : ` + model ${s.model.toFixed(3)}`} (threshold ${s.threshold})`);
      for (const ev of l.evidence) {
        if (ev.field === 'model') lines.push(`    model feature ${ev.term} (${ev.weight})`);
        else lines.push(`    ${ev.field} ${ev.start}-${ev.end} w=${ev.weight}: ${context(field(ev.field), ev.start!, ev.end!)}`);
      }
    }
  };
  section('areas', e.areas);
  section('districts', e.districts);
  lines.push(`beijing: ${e.beijing.value} (score ${e.beijing.score.toFixed(3)})`);
  for (const ev of e.beijing.evidence.slice(0, 5)) {
    if (ev.field !== 'model') lines.push(`    ${ev.field} ${ev.start}-${ev.end}: ${context(field(ev.field), ev.start!, ev.end!)}`);
  }
  if (e.clusters?.length) lines.push(`clusters: ${e.clusters.join(', ')}`);
  const near = e.scores.filter((s) => !e.areas.some((a) => a.id === s.id) && !e.districts.some((d) => d.id === s.id) && s.id !== 'beijing' && s.score > 0.2);
  if (near.length) lines.push(`below threshold: ${near.map((s) => `${s.id} ${s.score.toFixed(2)}<${s.threshold}`).join(', ')}`);
  if (e.suppressed.length) {
    lines.push('suppressed:');
    for (const s of e.suppressed) lines.push(`  ${s.labels.join(',')}: ${context(field(s.field), s.start, s.end)} (${s.reason})`);
  }
  return lines.join('\n') + '\n';
}

export const classify: Command = {
  name: 'classify',
  summary: 'tag JSON lines from stdin with areas, districts and the beijing flag (or explain one --text)',
  async run(argv) {
    const args = parse(argv, { text: { type: 'string' }, title: { type: 'string' } }, HELP);
    if (!args) return 0;
    const settings = loadSettings();
    const { loadClassifier } = await import('@radar/classifier');
    const c = await loadClassifier({ taxonomyFile: settings.TAXONOMY_FILE });
    if (args.values.text !== undefined) {
      process.stdout.write(explainText(c, args.values.title ?? '', args.values.text));
      return 0;
    }
    let n = 0;
    let bad = 0;
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      n++;
      if (!line.trim()) continue;
      let input: { id?: unknown; title?: unknown; body?: unknown; lang?: unknown };
      try {
        input = JSON.parse(line) as typeof input;
        if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('not a JSON object');
        if (typeof input.title !== 'string' && typeof input.body !== 'string') throw new Error('needs a "title" or "body" string');
        if (input.lang !== undefined && typeof input.lang !== 'string') throw new Error('"lang" must be a string');
      } catch (err) {
        bad++;
        printJson({ line: n, error: (err as Error).message });
        continue;
      }
      const r = c.classify({
        title: typeof input.title === 'string' ? input.title : '',
        body: typeof input.body === 'string' ? input.body : '',
        lang: input.lang as string | undefined,
      });
      printJson({
        id: input.id ?? null,
        areas: r.areas,
        districts: r.districts,
        beijing: { value: r.beijing.value, score: r.beijing.score },
      });
    }
    return bad > 0 ? 1 : 0;
  },
};
