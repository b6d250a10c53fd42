import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@radar/testkit';
import { readmeWithSettings } from './tools/readme-settings.js';

const readme = readFileSync(resolve(REPO_ROOT, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every setting exactly as the code defines it (run `pnpm docs` after a change)', () => {
    expect(readme).toBe(readmeWithSettings(readme));
  });

  it('has the test line that .ci/run calls', () => {
    const ci = readFileSync(resolve(REPO_ROOT, '.ci/run'), 'utf8');
    const blocks = [...readme.matchAll(/```sh\n(.+)\n```/g)].map((m) => m[1]!);
    const testLine = blocks.find((b) => b.includes('pnpm check'));
    expect(testLine).toBeDefined();
    expect(ci.split('\n')).toContain(testLine);
  });
});
