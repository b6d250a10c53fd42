import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { taxonomySchema, type Taxonomy } from './schema.js';

export * from './schema.js';

/** The bundled default taxonomy (Beijing fintech plan). */
export const DEFAULT_TAXONOMY_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../data/taxonomy.yaml');

export interface LoadedTaxonomy extends Taxonomy {
  /** `sha256:` + the first 16 hex digits of the file's content hash: recorded with every signal. */
  version: string;
  /** The file it was read from. */
  file: string;
}

export class TaxonomyError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`taxonomy ${file} is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'TaxonomyError';
  }
}

/** Content hash of the taxonomy text: any change to a term, landmark or trap changes the version. */
export function taxonomyVersion(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
}

/** Parses and validates taxonomy YAML text; throws TaxonomyError naming every problem. */
export function parseTaxonomy(text: string, file = '<text>'): LoadedTaxonomy {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new TaxonomyError(file, [`not valid YAML: ${(e as Error).message}`]);
  }
  const result = taxonomySchema.safeParse(raw);
  if (!result.success) {
    throw new TaxonomyError(
      file,
      result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  return { ...result.data, version: taxonomyVersion(text), file };
}

/**
 * Loads the taxonomy from `file` (default: the bundled one). Callers pass the `TAXONOMY_FILE`
 * setting here; nothing in this package reads the environment.
 */
export function loadTaxonomy(file: string = DEFAULT_TAXONOMY_FILE): LoadedTaxonomy {
  return parseTaxonomy(readFileSync(file, 'utf8'), file);
}
