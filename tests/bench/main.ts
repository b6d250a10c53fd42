import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `pnpm bench <name> [args]` runs tests/bench/<name>.ts, a module exporting
 * `run(args: string[]): Promise<void>`. Figures go to stdout; progress and logs to stderr.
 */
const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'main.ts' && !f.endsWith('.test.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: pnpm bench <name> [options]\n  benchmarks: ${available.join(', ')}\n`);
  process.exit(name ? 2 : 0);
}
const mod = (await import(`./${name}.ts`)) as { run(args: string[]): Promise<void> };
await mod.run(args);
