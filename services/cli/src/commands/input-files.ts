import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function readStdinLines(): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * Command-line inputs as file paths, in the order given: a folder stands for its files (not
 * recursive, sorted by name, those whose name `accept`s), and "-" for paths read from stdin, one
 * per line (pnpm caps a command line at 128 KB, so many files come that way).
 */
export async function inputFiles(args: string[], accept: (name: string) => boolean = () => true): Promise<string[]> {
  const out: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push(...(await readStdinLines()));
      continue;
    }
    const info = await stat(arg).catch(() => null);
    if (info?.isDirectory()) {
      const names = (await readdir(arg, { withFileTypes: true }))
        .filter((d) => d.isFile() && accept(d.name))
        .map((d) => d.name)
        .sort();
      out.push(...names.map((n) => join(arg, n)));
    } else out.push(arg);
  }
  return out;
}
