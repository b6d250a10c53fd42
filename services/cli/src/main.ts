import { isStartupError } from '@radar/runtime';
import { COMMANDS } from './commands/index.js';

/**
 * `pnpm radar <command>`. Each command is a module with a name, a one-line summary and
 * `run(argv) => exit code`. Errors a user can fix print one clear line on stderr.
 */
function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: pnpm radar <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `pnpm radar <command> --help` for a command\'s options.',
  ].join('\n');
}

/** A file or folder the user named that is missing or unreadable: their mistake, not a bug. */
function isPathError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR'].includes(code);
}

const [name, ...argv] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  process.stderr.write(usage() + '\n');
  process.exit(name ? 0 : 2);
}
const command = COMMANDS.find((c) => c.name === name);
if (!command) {
  process.stderr.write(`radar: unknown command "${name}"\n\n${usage()}\n`);
  process.exit(2);
}
try {
  const code = await command.run(argv);
  // Done: do not wait for idle keep-alive sockets or timers of libraries to let go.
  process.exit(code);
} catch (err) {
  if (isStartupError(err) || (err as { userError?: boolean }).userError || isPathError(err)) {
    process.stderr.write(`radar ${name}: ${(err as Error).message}\n`);
    process.exit(2);
  } else {
    process.stderr.write(`radar ${name}: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
}
