import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `pnpm bench <name> [args]` runs tests/bench/<name>.ts, a module exporting
 * `run(args: string[]): Promise<void>`. Figures go to stdout; progress and logs to stderr.
 * `pnpm bench <name> --help` prints what the bench's file says of itself (its `HELP` text or
 * the doc comment that starts with `pnpm bench <name>`), without running it.
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

/** The bench's usage line and help text, read from its source (the benches document themselves there). */
function helpOf(bench: string): { usage: string; help: string } {
  const src = readFileSync(join(here, `${bench}.ts`), 'utf8');
  const usage = `usage: ${new RegExp(`pnpm bench ${bench}(?: \\[[^\\]\\n]*\\])*`).exec(src)?.[0] ?? `pnpm bench ${bench} [options]`}`;
  const constant = /const HELP = `([^`]*)`/.exec(src)?.[1];
  const doc = [...src.matchAll(/\/\*\*([\s\S]*?)\*\//g)]
    .map((m) => m[1]!)
    .find((b) => b.includes(`pnpm bench ${bench}`))
    ?.split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .trim();
  return { usage, help: constant?.trim() ?? doc ?? usage };
}

if (args.includes('--help') || args.includes('-h')) {
  process.stderr.write(`${helpOf(name).help}\n`);
  process.exit(0);
}
const mod = (await import(`./${name}.ts`)) as { run(args: string[]): Promise<void> };
try {
  await mod.run(args);
} catch (err) {
  // An unknown or malformed option (node:util parseArgs): one line and the usage, not a stack.
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw err;
  process.stderr.write(`pnpm bench ${name}: ${(err as Error).message}\n${helpOf(name).usage}\n`);
  process.exit(2);
}
