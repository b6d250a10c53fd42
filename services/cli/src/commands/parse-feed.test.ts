import { join } from 'node:path';
import { CORPORA } from '@radar/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseFeed } from './parse-feed.js';

async function runCapture(argv: string[]): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    const code = await parseFeed.run(argv);
    return { code, lines: out.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
  } finally {
    spy.mockRestore();
  }
}

describe('pnpm radar parse-feed', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints one JSON line per file with ISO dates, and exit code 1 when one fails', async () => {
    const dir = join(CORPORA, 'rss-parser', 'input');
    const { code, lines } = await runCapture([join(dir, 'reddit.rss'), join(dir, 'unrecognized.rss')]);
    expect(code).toBe(1);
    expect(lines).toHaveLength(2);
    const [ok, bad] = lines as [Record<string, unknown>, Record<string, unknown>];
    expect(Object.keys(ok)).toEqual(['file', 'ok', 'repaired', 'feed', 'items']);
    expect(ok['ok']).toBe(true);
    const items = ok['items'] as { id: string; title: string; link: string; published: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    expect(Object.keys(items[0]!)).toEqual(['id', 'title', 'link', 'published']);
    expect(items[0]!.published).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/not a feed/) });
  });

  it('expands a folder', async () => {
    const { lines } = await runCapture([join(CORPORA, 'feedparser', 'json')]);
    expect(lines.map((l) => l['ok'])).toEqual([true]);
  });
});
