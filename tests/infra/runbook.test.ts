import { describe, expect, it, vi } from 'vitest';
import { JOB_NAMES } from '@radar/queue';
import type { Command } from '../../services/cli/src/commands/command.js';
import { read } from './load.js';

/**
 * RUNBOOK.md's CLI commands are true to the code: every `radar <command>` (and every
 * `services/cli/src/main.ts <command>` run in a container) names a command the CLI has, its
 * sub-command and options appear in that command's own --help, and every stage name is one of
 * the job catalog.
 */

const runbook = read('RUNBOOK.md');

/** What `pnpm radar <command> --help` prints (on stderr), run in this process. */
async function help(command: Command): Promise<string> {
  let text = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  try {
    await command.run(['--help']);
  } finally {
    spy.mockRestore();
  }
  return text;
}

/** Each CLI invocation in the runbook, as its words: command first. */
function invocations(): string[][] {
  const out: string[][] = [];
  const markers = [/(?:^|`|pnpm )radar ([^`\n#]*)/gm, /services\/cli\/src\/main\.ts"?,? ?((?:"[^"]*",?|[^`\n#'"])*)/g];
  for (const re of markers) {
    for (const m of runbook.matchAll(re)) {
      const words = m[1]!
        .split(/[\s",\]}]+/)
        .map((w) => w.trim())
        .filter(Boolean);
      if (words[0] && /^[a-z][a-z-]*$/.test(words[0])) out.push(words);
    }
  }
  return out;
}

describe('RUNBOOK.md', () => {
  const calls = invocations();

  it('finds the CLI commands it documents', () => {
    const names = new Set(calls.map((c) => c[0]));
    for (const c of ['failed', 'reclassify', 'migrate', 'feeds', 'tokens']) expect(names).toContain(c);
  });

  it('names only commands, sub-commands and options the CLI has', async () => {
    const { COMMANDS } = await import('../../services/cli/src/commands/index.js');
    const byCommand = new Map<string, string[][]>();
    for (const c of calls) byCommand.set(c[0]!, [...(byCommand.get(c[0]!) ?? []), c]);
    for (const [name, uses] of byCommand) {
      const command = COMMANDS.find((c) => c.name === name);
      expect(command, `radar ${name}: not a command`).toBeDefined();
      const text = await help(command!);
      for (const words of uses) {
        const sub = words[1];
        // A sub-command (feeds import, tokens create) appears in the command's usage.
        if (sub && /^[a-z]+$/.test(sub)) expect(text, `radar ${words.join(' ')}`).toMatch(new RegExp(`\\b${name} ${sub}\\b`));
        for (const flag of words.filter((w) => w.startsWith('--'))) expect(text, `radar ${words.join(' ')}`).toContain(flag);
      }
    }
  });

  it('names only stages of the job catalog', () => {
    for (const m of runbook.matchAll(/--stage ([a-z-]+)/g)) expect(JOB_NAMES, m[0]).toContain(m[1]);
    const listed = /Stage names: ([^.]+)\./.exec(runbook)?.[1] ?? '';
    expect([...listed.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]).sort()).toEqual([...JOB_NAMES].sort());
  });
});
