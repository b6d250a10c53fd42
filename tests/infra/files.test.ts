import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@radar/testkit';
import { infraFiles, read, yamlDocs } from './load.js';

/** Every file under infra/ parses, and the image is built the way the README says. */

describe('infra/ files', () => {
  it.each(infraFiles('.yaml', '.yml'))('%s is valid YAML (no duplicate keys)', (file) => {
    expect(yamlDocs(file).length).toBeGreaterThan(0);
  });

  it.each(infraFiles('.json'))('%s is valid JSON', (file) => {
    expect(() => JSON.parse(read(file))).not.toThrow();
  });

  it('builds the image with Node 20 and the pinned pnpm, from the frozen lockfile, running tsx', () => {
    const dockerfile = read('infra/Dockerfile');
    const pkg = JSON.parse(read('package.json')) as { packageManager: string };
    const lines = dockerfile.split('\n').filter((l) => !l.trimStart().startsWith('#'));
    expect(lines.find((l) => l.startsWith('FROM '))).toMatch(/^FROM node:20[-.\w]*$/);
    expect(lines.join('\n')).toContain(`npm install -g ${pkg.packageManager}`);
    expect(lines.join('\n')).toMatch(/pnpm install --frozen-lockfile\b/);
    expect(lines.find((l) => l.startsWith('ENTRYPOINT '))).toBe('ENTRYPOINT ["node", "--import", "tsx"]');
    expect(lines.some((l) => /^USER node$/.test(l))).toBe(true);
    const cmd = JSON.parse(lines.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
    expect(existsSync(resolve(REPO_ROOT, cmd[0]!))).toBe(true);
    // BuildKit reads <Dockerfile>.dockerignore next to it: keep node_modules out of the context.
    expect(read('infra/Dockerfile.dockerignore')).toMatch(/^\*\*\/node_modules$/m);
  });
});
