import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  name: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** An error the user can fix; printed as one line, exit code 2. */
export class UsageError extends Error {
  readonly userError = true;
}

/** node:util parseArgs with errors turned into UsageError and `--help` handled. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  help: string,
): { values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; args: string[] }>>['values']; positionals: string[] } | null {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(help.trim() + '\n');
    return null;
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${help.trim()}`);
  }
}

/** A command with subcommands run without one: its usage on stderr, exit code 2 (nothing was done). */
export function usage(help: string): number {
  process.stderr.write(help.trim() + '\n');
  return 2;
}

/** Writes one JSON line on stdout (stdout carries data only; logs go to stderr). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}
