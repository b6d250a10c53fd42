import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { SignalQueryRepository, type SignalFilter } from '@radar/db';
import { createApiHarness, type ApiHarness } from './testing/harness.js';
import { seedSignals } from './testing/seed.js';
import { signalDetailOut, signalOut } from './schemas.js';

// Real PostgreSQL and Redis: one schema and one queue prefix for this file.
let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness();
  await seedSignals(h.tdb.db, 1000, { newest: new Date('2026-11-20T12:00:00Z') });
});
afterAll(async () => h?.close());

type Page = { data: { id: number; areas: { id: string; score: number }[]; districts: { id: string }[]; beijing: { value: boolean }; lang: string; source: string; title: string; occurred_at: string }[]; next_cursor: string | null };

async function get(url: string, token = h.tokens.reader) {
  return h.app.inject({ method: 'GET', url, headers: h.auth(token) });
}

async function all(url: string): Promise<Page['data']> {
  const out: Page['data'] = [];
  let cursor: string | null = null;
  do {
    const res = await get(`${url}${url.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as Page;
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

describe('GET /v1/signals filters', () => {
  it('filters by area, district, cluster, beijing, language, source and score', async () => {
    const ai = await all('/v1/signals?area=ai');
    expect(ai.length).toBeGreaterThan(0);
    // The documented response schema holds for real answers.
    for (const s of ai.slice(0, 20)) signalOut.strict().parse(s);
    expect(ai.every((s) => s.areas.some((a) => a.id === 'ai'))).toBe(true);
    // Row g has area AREAS[g % 5] plus AREAS[(g+2) % 5] when g % 4 = 0: ai when g%5=0, or g%4=0 and g%5=3.
    const expected = Array.from({ length: 1000 }, (_, i) => i + 1).filter((g) => g % 5 === 0 || (g % 4 === 0 && g % 5 === 3));
    expect(ai.length).toBe(expected.length);

    const haidian = await all('/v1/signals?district=haidian');
    expect(haidian.every((s) => s.districts.some((d) => d.id === 'haidian'))).toBe(true);
    const core = await all('/v1/signals?cluster=demonstration-zone-core');
    expect(new Set(core.flatMap((s) => s.districts.map((d) => d.id)))).toEqual(new Set(['xicheng', 'haidian']));
    const both = await all('/v1/signals?area=ai,iot&district=haidian&beijing=true&lang=zh');
    expect(both.every((s) => s.lang === 'zh' && s.beijing.value && s.areas.some((a) => ['ai', 'iot'].includes(a.id)))).toBe(true);
    const repeated = await all('/v1/signals?area=ai&area=iot');
    expect(repeated.length).toBe((await all('/v1/signals?area=ai,iot')).length);

    const notBeijing = await all('/v1/signals?beijing=false');
    expect(notBeijing.every((s) => !s.beijing.value)).toBe(true);
    const src = await all('/v1/signals?source=s3.example');
    expect(src.length).toBe(50);
    const high = await all('/v1/signals?area=security&min_score=0.95');
    expect(high.length).toBeGreaterThan(0);
    expect(high.every((s) => s.areas.some((a) => a.id === 'security' && a.score >= 0.95))).toBe(true);
  });

  it('filters by time range and text, in English and Chinese', async () => {
    const ranged = await all('/v1/signals?from=2026-11-20T11:00:00Z&to=2026-11-20T12:00:00Z');
    // One row every 37 s back from 12:00: rows at 12:00 - k*37 s for k with k*37 <= 3600, 12:00 itself excluded.
    expect(ranged.length).toBe(Math.floor(3600 / 37));
    expect(ranged.every((s) => s.occurred_at >= '2026-11-20T11:00:00.000Z' && s.occurred_at < '2026-11-20T12:00:00.000Z')).toBe(true);

    const en = await all('/v1/signals?q=risk%20MODEL');
    expect(en.length).toBe(500);
    const zh = await all(`/v1/signals?q=${encodeURIComponent('海淀')}`);
    expect(zh.length).toBe(250);
    expect(zh.every((s) => s.title.includes('海淀'))).toBe(true);
    const one = await all(`/v1/signals?q=${encodeURIComponent('第42号')}`);
    expect(one.map((s) => s.title)).toEqual(['北京朝阳区区块链与人工智能试点 第42号']);
    // LIKE wildcards in the text are literal characters.
    expect((await all('/v1/signals?q=%25')).length).toBe(0);
    expect((await all('/v1/signals?q=_')).length).toBe(0);
  });
});

describe('keyset pagination', () => {
  it('pages through 1,000 signals with no gap or repeat while new signals arrive', async () => {
    const before = await sql<{ id: number }>`select id from signals order by id`.execute(h.tdb.db);
    const seen: number[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const res = await get(`/v1/signals?limit=37${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as Page;
      seen.push(...page.data.map((s) => s.id));
      cursor = page.next_cursor;
      // New signals keep arriving between pages.
      if (round++ % 3 === 0) await seedSignals(h.tdb.db, 5);
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const seenSet = new Set(seen);
    expect(before.rows.every((r) => seenSet.has(r.id))).toBe(true);
    // Newest first, strictly.
    expect(seen.every((id, i) => i === 0 || id < seen[i - 1]!)).toBe(true);

    const asc = await get('/v1/signals?order=asc&limit=3');
    const ascPage = asc.json() as Page;
    expect(ascPage.data.map((s) => s.id)).toEqual(before.rows.slice(0, 3).map((r) => r.id));
    const wrongOrder = await get(`/v1/signals?order=desc&cursor=${ascPage.next_cursor}`);
    expect(wrongOrder.statusCode).toBe(400);
    expect(wrongOrder.json().field).toBe('cursor');
  });
});

describe('page queries across the ordered window', () => {
  it('return exactly the matching ids, in order, whichever query finds them', async () => {
    // Statistics for the facet pairs, so that 'statistics' can choose either way.
    await sql`analyze signals`.execute(h.tdb.db);
    const filters: [SignalFilter, string][] = [
      [{ areas: ['ai'] }, `areas && '{ai}'`],
      [{ districtGroups: [['haidian', 'xicheng']], beijing: true }, `districts && '{haidian,xicheng}' and beijing`],
      [{ areas: ['security'], districtGroups: [['xicheng']] }, `areas && '{security}' and districts && '{xicheng}'`],
      // Facet pairs: every pair of the named facets is one test (two district groups are not paired).
      [
        { areas: ['ai', 'iot'], districtGroups: [['haidian', 'xicheng', 'chaoyang'], ['haidian', 'chaoyang']], langs: ['zh'] },
        `areas && '{ai,iot}' and districts && '{haidian,xicheng,chaoyang}' and districts && '{haidian,chaoyang}' and lang = 'zh'`,
      ],
      [{ langs: ['zh'], minScore: 0.9 }, `lang = 'zh' and max_score >= 0.9::real`],
      // Empty: s7.example has only iot signals; an even row (zh) never has score 0.99.
      [{ areas: ['ai'], sources: ['s7.example'] }, `areas && '{ai}' and source = 's7.example'`],
      [{ langs: ['zh'], beijing: false, minScore: 0.99 }, `lang = 'zh' and not beijing and max_score >= 0.99::real`],
      // Few: rows 5 + 80k (ai, haidian, s5.example, en); rows 49 + 50k not divisible by 7.
      [
        { areas: ['ai'], districtGroups: [['haidian']], sources: ['s5.example'], langs: ['en'] },
        `areas && '{ai}' and districts && '{haidian}' and source = 's5.example' and lang = 'en'`,
      ],
      [{ langs: ['en'], beijing: false, minScore: 0.99 }, `lang = 'en' and not beijing and max_score >= 0.99::real`],
      [{ sources: ['s3.example', 's4.example'], beijing: true, minScore: 0.57 }, `source in ('s3.example', 's4.example') and beijing and max_score >= 0.57::real`],
      // With an area, min_score is the area label's score (not the best score's bucket).
      [{ areas: ['security'], sources: ['s9.example'], minScore: 0.95 }, `areas && '{security}' and source = 's9.example' and exists (select 1 from signal_labels l where l.signal_id = signals.id and l.kind = 'area' and l.label = 'security' and l.score >= 0.95::real)`],
    ];
    for (const first of ['window', 'indexes', 'statistics'] as const) {
      // A 37-id window makes most pages span both the ordered walk and the index query.
      const repo = new SignalQueryRepository(h.tdb.db, 37, first);
      for (const [filter, where] of filters) {
        for (const order of ['desc', 'asc'] as const) {
          const expected = (await sql<{ id: number }>`select id from signals where ${sql.raw(where)} order by id ${sql.raw(order)}`.execute(h.tdb.db)).rows.map((r) => r.id);
          const got: number[] = [];
          let after: number | undefined;
          for (;;) {
            const rows = await repo.page(filter, { limit: 23, after, order });
            got.push(...rows.map((r) => r.id));
            if (rows.length < 23) break;
            after = rows[rows.length - 1]!.id;
          }
          expect(got, `${first}: ${where} ${order}`).toEqual(expected);
        }
      }
    }
  });

  it('find every signal at or above a minimum score through the score buckets of the facet pairs', async () => {
    // Scores are 0.50..0.99 in hundredths, stored as real: the bucket of a threshold must agree
    // with the bucket of every stored score at or above it.
    const repo = new SignalQueryRepository(h.tdb.db, 37, 'indexes');
    for (const m of [0, 0.29, 0.5, 0.55, 0.555, 0.57, 0.58, 0.7, 0.81, 0.9, 0.95, 0.99, 0.991, 1]) {
      const expected = (await sql<{ id: number }>`select id from signals where lang = 'en' and max_score >= ${m}::real order by id desc`.execute(h.tdb.db)).rows.map((r) => r.id);
      const got = (await repo.page({ langs: ['en'], minScore: m }, { limit: 2000 })).map((r) => r.id);
      expect(got, `min_score ${m}`).toEqual(expected);
    }
  });
});

describe('GET /v1/signals/{id}', () => {
  it('returns the evidence and the story\'s other articles', async () => {
    const story = await sql<{ id: number }>`insert into stories (title) values ('a story') returning id`.execute(h.tdb.db);
    const storyId = story.rows[0]!.id;
    const ids = await sql<{ id: number; article_id: number }>`select id, article_id from signals order by id limit 3`.execute(h.tdb.db);
    const articleIds = ids.rows.map((r) => r.article_id);
    await sql`update articles set story_id = ${storyId} where id = any(${articleIds}::int[])`.execute(h.tdb.db);
    await sql`update signals set story_id = ${storyId} where article_id = any(${articleIds}::int[])`.execute(h.tdb.db);
    const res = await get(`/v1/signals/${ids.rows[0]!.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    signalDetailOut.strict().parse(body);
    expect(body.areas[0].evidence[0]).toMatchObject({ field: 'title' });
    expect(body.story_articles.map((a: { id: number }) => a.id)).toEqual(articleIds.slice(1));
    expect(body.story_articles[0].signal_id).toBe(ids.rows[1]!.id);
    expect((await get('/v1/signals/999999999')).statusCode).toBe(404);
  });
});

describe('GET /v1/stats', () => {
  it('counts by area and district per day', async () => {
    const res = await get('/v1/stats?bucket=day&from=2026-11-19T00:00:00Z&to=2026-11-21T00:00:00Z&tz=Asia/Shanghai');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { series: { start: string; total: number; areas: Record<string, number>; districts: Record<string, number> }[] };
    expect(body.series.length).toBeGreaterThan(0);
    const total = body.series.reduce((n, s) => n + s.total, 0);
    const list = await all('/v1/signals?from=2026-11-19T00:00:00Z&to=2026-11-21T00:00:00Z');
    expect(total).toBe(list.length);
    // Buckets start at midnight in the asked time zone (UTC+8: 16:00Z).
    expect(body.series.every((s) => s.start.endsWith('T16:00:00.000Z'))).toBe(true);
    const aiTotal = body.series.reduce((n, s) => n + (s.areas['ai'] ?? 0), 0);
    expect(aiTotal).toBe(list.filter((s) => s.areas.some((a) => a.id === 'ai')).length);
    expect((await get('/v1/stats?bucket=hour&from=2000-01-01&to=2026-01-01')).statusCode).toBe(400);
    expect((await get('/v1/stats?tz=Mars/Olympus')).json().field).toBe('tz');
  });
});
