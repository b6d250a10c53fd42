import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { createApiHarness, type ApiHarness } from './testing/harness.js';
import { seedSignals } from './testing/seed.js';
import { openSse } from './testing/sse-client.js';
import { sql } from 'kysely';
import { STREAM_HOLD_S } from '@radar/db';

let h: ApiHarness;
let base: string;
beforeAll(async () => {
  h = await createApiHarness();
  await seedSignals(h.tdb.db, 20, { offset: 0 });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => h?.close());

const ids = (events: { data: string }[]) => events.map((e) => (JSON.parse(e.data) as { id: number }).id);

describe('GET /v1/signals/stream', () => {
  it('sends only new signals, and a reconnect with Last-Event-ID misses nothing', async () => {
    const first = await openSse(`${base}/v1/signals/stream`, h.auth(h.tokens.reader));
    expect(first.status).toBe(200);
    await seedSignals(h.tdb.db, 10, { offset: 1000 });
    const got = await first.waitFor(10);
    expect(got.every((e) => e.event === 'signal' && e.id === String(JSON.parse(e.data).id))).toBe(true);
    first.close();

    // Signals stored while the client is away.
    const lastId = got[got.length - 1]!.id!;
    await seedSignals(h.tdb.db, 15, { offset: 2000 });
    const resumed = await openSse(`${base}/v1/signals/stream`, { ...h.auth(h.tokens.reader), 'last-event-id': lastId });
    const missed = await resumed.waitFor(15);
    await seedSignals(h.tdb.db, 5, { offset: 3000 });
    const all = await resumed.waitFor(20);
    resumed.close();
    const seen = [...ids(got), ...ids(all)];
    expect(new Set(seen).size).toBe(30);
    expect(ids(missed)).toEqual([...ids(missed)].sort((a, b) => a - b));
    // since_id does the same for clients that cannot set the header.
    const viaQuery = await openSse(`${base}/v1/signals/stream?since_id=${lastId}`, h.auth(h.tokens.reader));
    expect(ids(await viaQuery.waitFor(20))).toEqual(ids(all));
    viaQuery.close();
  });

  it('applies the filters', async () => {
    const s = await openSse(`${base}/v1/signals/stream?area=ai&lang=en`, h.auth(h.tokens.reader));
    // Rows 4001..4100: ai when g % 5 = 0 or (g % 4 = 0 and g % 5 = 3); en when g is odd.
    await seedSignals(h.tdb.db, 100, { offset: 4000 });
    const expected = Array.from({ length: 100 }, (_, i) => 4001 + i).filter((g) => g % 2 === 1 && (g % 5 === 0 || (g % 4 === 0 && g % 5 === 3)));
    const events = await s.waitFor(expected.length);
    await new Promise((r) => setTimeout(r, 400));
    expect(s.events.length).toBe(expected.length);
    expect(events.every((e) => {
      const d = JSON.parse(e.data) as { lang: string; areas: { id: string }[] };
      return d.lang === 'en' && d.areas.some((a) => a.id === 'ai');
    })).toBe(true);
    s.close();
  });

  it('does not skip a signal whose transaction commits after a later one', async () => {
    const s = await openSse(`${base}/v1/signals/stream`, h.auth(h.tokens.reader));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const inserted = new Promise<void>((r) => (started = r));
    // A slow writer takes the lower id and commits last.
    const slow = h.tdb.db.transaction().execute(async (trx) => {
      await seedSignals(trx, 1, { offset: 5000 });
      started();
      await gate;
    });
    await inserted;
    await seedSignals(h.tdb.db, 1, { offset: 5001 });
    // The later signal is committed but must wait: an earlier transaction is still open.
    await new Promise((r) => setTimeout(r, 500));
    expect(s.events.length).toBe(0);
    release();
    await slow;
    const events = await s.waitFor(2);
    const titles = events.map((e) => (JSON.parse(e.data) as { url: string }).url);
    expect(titles.map((u) => u.replace(/.*\//, ''))).toEqual(['5001', '5002']);
    s.close();
  });

  it('is not held back for long by an unrelated long transaction (a backup, another job)', async () => {
    const s = await openSse(`${base}/v1/signals/stream`, h.auth(h.tokens.reader));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // A transaction with an id, open the whole time, that never writes a signal (as pg_dump's).
    const unrelated = h.tdb.db.transaction().execute(async (trx) => {
      await sql`select pg_current_xact_id()`.execute(trx);
      await gate;
    });
    await new Promise((r) => setTimeout(r, 200));
    await seedSignals(h.tdb.db, 1, { offset: 6000 });
    const t0 = Date.now();
    const events = await s.waitFor(1, (STREAM_HOLD_S + 5) * 1000);
    expect(Date.now() - t0).toBeLessThan((STREAM_HOLD_S + 5) * 1000);
    expect((JSON.parse(events[0]!.data) as { url: string }).url).toMatch(/\/6001$/);
    release();
    await unrelated;
    s.close();
  });

  it('answers 400 for a malformed Last-Event-ID and 401 without a token', async () => {
    const bad = await fetch(`${base}/v1/signals/stream`, { headers: { ...h.auth(h.tokens.reader), 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('Last-Event-ID');
    const anon = await fetch(`${base}/v1/signals/stream`);
    expect(anon.status).toBe(401);
  });
});
