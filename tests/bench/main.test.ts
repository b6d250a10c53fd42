import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@radar/testkit';

const run = promisify(execFile);

/** `pnpm bench ...` as a user runs it (through tsx); nothing here runs a benchmark. */
async function bench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'tests/bench/main.ts'), ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('pnpm bench', () => {
  it('prints what a bench does for --help, and one usage line for a bad option', async () => {
    const help = await bench('feeds', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toBe('');
    expect(help.stderr).toMatch(/^`pnpm bench feeds \[--rounds N\]`: feed documents per second/);

    const bad = await bench('feeds', '--bogus');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("pnpm bench feeds: Unknown option '--bogus'\nusage: pnpm bench feeds [--rounds N]\n");

    // A value the bench cannot use: the same, before any work starts.
    const value = await bench('stories', '--sizes', '1000,x');
    expect(value.code).toBe(2);
    expect(value.stdout).toBe('');
    expect(value.stderr).toBe(
      'pnpm bench stories: --sizes, --lookups and --rounds need positive integers\nusage: pnpm bench stories [--sizes 1000,5000,20000] [--lookups 400] [--rounds 3]\n',
    );
  });
});
