import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '@radar/testkit';

/** `pnpm radar classify` as a real process: stdin in, JSON lines out. */
function radar(args: string[], input: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', ...args], {
    cwd: REPO_ROOT,
    input,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('pnpm radar classify', () => {
  it('answers each JSON line in order, with an error line for a malformed one', () => {
    const input = [
      JSON.stringify({ id: 'a', title: 'Palm-vein payments in Wudaokou', body: 'A Beijing bank uses SM4 encryption.' }),
      '{"id": "b", "title": ',
      JSON.stringify({ id: 'c', title: '辽宁朝阳', body: '辽宁省朝阳市的量化基金和证券公司。' }),
      JSON.stringify({ id: 'd', title: 7 }),
    ].join('\n');
    const { code, out } = radar(['classify'], input);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ id: 'a', areas: [{ id: 'security' }], districts: [{ id: 'haidian' }], beijing: { value: true } });
    expect(Object.keys(lines[0]!)).toEqual(['id', 'areas', 'districts', 'beijing']);
    expect(lines[1]).toMatchObject({ line: 2, error: expect.any(String) });
    expect(lines[2]).toMatchObject({ id: 'c', areas: [], districts: [], beijing: { value: false } });
    expect(lines[3]).toMatchObject({ line: 4 });
    expect(code).toBe(1);
  });

  it('explains one --text, and reads TAXONOMY_FILE for a new region', () => {
    const text = readFileSync(join(REPO_ROOT, 'packages/taxonomy/data/taxonomy.yaml'), 'utf8').replace(
      '\ntraps:\n',
      `  - id: shanghai
    name: {en: Shanghai, zh: 上海}
    terms: [{t: [shanghai, 上海]}]
    districts:
      - id: pudong
        name: {en: Pudong, zh: 浦东新区}
        terms: [{t: [pudong, 浦东新区]}]
        landmarks: [{t: [lujiazui, 陆家嘴], src: test}]

traps:
`,
    );
    const file = join(mkdtempSync(join(tmpdir(), 'radar-tx-')), 'tx.yaml');
    writeFileSync(file, text);
    const { code, out } = radar(['classify', '--text', 'Lujiazui bank pilots quantum key distribution; a supply chain fund in Shanghai.'], '', { TAXONOMY_FILE: file });
    expect(code).toBe(0);
    expect(out).toMatch(/areas: security/);
    expect(out).toMatch(/districts: pudong/);
    expect(out).toMatch(/\[Lujiazui\]/);
    expect(out).toMatch(/beijing: false/);
  });
});
