import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { settingsTable } from '@radar/config';

/** The README with its configuration table regenerated from the settings schema. */
export function readmeWithSettings(readme: string): string {
  return readme.replace(
    /(<!-- settings:begin -->\n)[\s\S]*?(<!-- settings:end -->)/,
    (_m, a: string, b: string) => `${a}${settingsTable()}\n${b}`,
  );
}

// `pnpm docs` rewrites the table in place.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const path = resolve(import.meta.dirname, '../../README.md');
  writeFileSync(path, readmeWithSettings(readFileSync(path, 'utf8')));
  process.stderr.write('README.md configuration table updated\n');
}
