import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Where the labelled corpus lives: every *.jsonl file there is read. */
export const DEFAULT_CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../corpus');
/**
 * The blind test set: 140 items written independently from other real news. Odd-numbered items
 * (half A) were shown to the classifier's developers as a development signal; even-numbered ones
 * (half B) were sealed until measured, so half B is the honest figure.
 */
export const BLIND_CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../blind');

export const corpusItemSchema = z.object({
  id: z.string().min(1),
  lang: z.enum(['en', 'zh']),
  title: z.string(),
  body: z.string(),
  source_url: z.string(),
  areas: z.array(z.string()),
  districts: z.array(z.string()),
  beijing: z.boolean(),
  /** 'test': the blind set (packages/classifier/blind), never used for training or thresholds. */
  split: z.enum(['train', 'dev', 'test']),
  note: z.string().optional(),
});
export type CorpusItem = z.infer<typeof corpusItemSchema>;

export interface Corpus {
  items: CorpusItem[];
  files: string[];
  /** Lines that did not parse, so a half-written file never stops training. */
  problems: string[];
}

export function readCorpus(dir: string = DEFAULT_CORPUS_DIR): Corpus {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  const items: CorpusItem[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (e) {
        problems.push(`${f}:${i + 1}: ${(e as Error).message}`);
        return;
      }
      const r = corpusItemSchema.safeParse(raw);
      if (!r.success) {
        problems.push(`${f}:${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
        return;
      }
      if (seen.has(r.data.id)) {
        problems.push(`${f}:${i + 1}: duplicate id ${r.data.id}`);
        return;
      }
      seen.add(r.data.id);
      items.push(r.data);
    });
  }
  return { items, files, problems };
}
