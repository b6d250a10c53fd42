import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'csv-parse/sync';
import { createApiHarness, type ApiHarness } from './testing/harness.js';
import { seedSignals } from './testing/seed.js';

// A forced collection before each sample, so the figures are what is still held (live), not
// garbage that V8 has not collected yet.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const N = 100_000;
let h: ApiHarness;
let base: string;
beforeAll(async () => {
  h = await createApiHarness();
  await seedSignals(h.tdb.db, N, { offset: 0, chunk: 50_000 });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => h?.close());

interface Measured {
  bytes: number;
  lines: number;
  /**
   * Peak growth of live memory (JS heap + Buffers, after a forced GC) and of RSS while streaming
   * (server and client share this process). RSS is reported, not asserted: it also counts
   * allocator and socket buffers that the OS has not taken back.
   */
  heapGrowth: number;
  rssGrowth: number;
  head: string;
  tail: string;
}

/** Reads the export as a stream, slowly enough for backpressure to matter, keeping only counts. */
async function download(url: string, keepEvery = 0, kept: string[] = []): Promise<Measured> {
  gc();
  const live = (m: NodeJS.MemoryUsage) => m.heapUsed + m.external;
  const heap0 = live(process.memoryUsage());
  const rss0 = process.memoryUsage().rss;
  let heapPeak = heap0;
  let rssPeak = rss0;
  const res = await fetch(url, { headers: h.auth(h.tokens.reader) });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let lines = 0;
  let head = '';
  let tail = '';
  let chunks = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    const text = decoder.decode(value, { stream: true });
    if (head.length < 2000) head += text.slice(0, 2000);
    tail = (tail + text).slice(-2000);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    if (keepEvery && chunks % keepEvery === 0) kept.push(text);
    if (++chunks % 100 === 0) {
      gc();
      const m = process.memoryUsage();
      heapPeak = Math.max(heapPeak, live(m));
      rssPeak = Math.max(rssPeak, m.rss);
      // A slow consumer: the server must wait for it rather than buffer the rest.
      await new Promise((r) => setImmediate(r));
    }
  }
  return { bytes, lines, heapGrowth: heapPeak - heap0, rssGrowth: rssPeak - rss0, head, tail };
}

const MB = 1024 * 1024;

describe('GET /v1/signals/export', () => {
  it(`streams ${N.toLocaleString('en')} signals as NDJSON in bounded memory`, async () => {
    const m = await download(`${base}/v1/signals/export?format=ndjson`);
    expect(m.lines).toBe(N);
    const first = JSON.parse(m.head.slice(0, m.head.indexOf('\n'))) as { id: number };
    const lastLine = m.tail.trimEnd().split('\n').pop()!;
    expect(first.id).toBe(1);
    expect((JSON.parse(lastLine) as { id: number }).id).toBe(N);
    // The body is far larger than what the process grew by: it was never held whole (that
    // would take at least its 50+ MB; a few batches in flight take a few MB).
    expect(m.bytes).toBeGreaterThan(50 * MB);
    expect(m.heapGrowth).toBeLessThan(16 * MB);
    console.error(`ndjson export: ${(m.bytes / MB).toFixed(1)} MB, live heap+buffers +${(m.heapGrowth / MB).toFixed(1)} MB, rss +${(m.rssGrowth / MB).toFixed(1)} MB`);
  }, 120_000);

  it(`streams ${N.toLocaleString('en')} signals as CSV in bounded memory, with filters`, async () => {
    const m = await download(`${base}/v1/signals/export?format=csv`);
    expect(m.lines).toBe(N + 1);
    const header = m.head.slice(0, m.head.indexOf('\n'));
    expect(header).toBe('id,occurred_at,published_at,title,url,source,lang,areas,districts,beijing,beijing_score,max_score,story_id,feed_id,created_at');
    const rows = parse(m.head.slice(0, m.head.lastIndexOf('\n')), { columns: true }) as Record<string, string>[];
    expect(rows[0]).toMatchObject({ id: '1', lang: 'en', title: 'Bank pilots AI risk model, report 1' });
    expect(m.heapGrowth).toBeLessThan(16 * MB);
    console.error(`csv export: ${(m.bytes / MB).toFixed(1)} MB, live heap+buffers +${(m.heapGrowth / MB).toFixed(1)} MB, rss +${(m.rssGrowth / MB).toFixed(1)} MB`);

    const filtered = await download(`${base}/v1/signals/export?format=csv&district=haidian&lang=zh`);
    // haidian: g % 16 = 5 and g % 5 < 3; zh: g even. g % 16 = 5 makes g odd, so none.
    expect(filtered.lines).toBe(1);
    const haidian = await download(`${base}/v1/signals/export?format=ndjson&district=haidian`);
    const expected = Array.from({ length: N }, (_, i) => i + 1).filter((g) => g % 16 === 5 && g % 5 < 3).length;
    expect(haidian.lines).toBe(expected);
  }, 120_000);

  it('neutralises spreadsheet formulas in CSV cells', async () => {
    await h.tdb.db.updateTable('signals').set({ title: '=HYPERLINK("http://evil")' }).where('id', '=', 1).execute();
    const res = await h.app.inject({ method: 'GET', url: '/v1/signals/export?format=csv&source=s1.example', headers: h.auth(h.tokens.reader) });
    expect(res.statusCode).toBe(200);
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(rows[0]!.title).toBe('\'=HYPERLINK("http://evil")');
  });
});
