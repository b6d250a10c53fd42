import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  assertSchemaCurrent,
  dropSchema,
  migrateToLatest,
  openDb,
  pendingMigrations,
  repositories,
  SchemaOutdatedError,
  SignalQueryRepository,
  type SignalFilter,
} from './index.js';

const PG = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('migrations', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('serve the embedded PGlite database and PostgreSQL alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-pglite-'));
    dirs.push(dir);
    for (const handle of [
      await openDb({ dataDir: dir }),
      await openDb({ databaseUrl: PG, schema: `t_${randomUUID().replaceAll('-', '').slice(0, 16)}` }),
    ]) {
      try {
        expect(await pendingMigrations(handle)).not.toEqual([]);
        await migrateToLatest(handle);
        await assertSchemaCurrent(handle);
        const repos = repositories(handle.db);
        const { feed, created } = await repos.feeds.add('https://example.org/feed.xml');
        expect(created).toBe(true);
        expect((await repos.feeds.add('https://example.org/feed.xml')).created).toBe(false);
        const a = await repos.articles.upsertFromFeed({
          feed_id: feed.id,
          guid: 'g1',
          url: 'https://example.org/a?utm_source=x',
          canonical_url: 'https://example.org/a',
          source: 'example.org',
          title: '海淀区 AI',
        });
        // The same canonical URL from another GUID is the same article.
        const b = await repos.articles.upsertFromFeed({ feed_id: feed.id, guid: 'g2', url: 'https://example.org/a', canonical_url: 'https://example.org/a', source: 'example.org' });
        expect(b).toEqual({ id: a.id, created: false });
        expect(await repos.articles.knownGuids(feed.id, ['g1', 'g2', 'g3'])).toEqual(new Set(['g1', 'g2']));

        // The page query's facet pairs (function, index, statistics) on both engines.
        const area = (id: string) => ({ id, score: 0.8, evidence: [] });
        const { id } = await repos.signals.upsert({
          article_id: a.id,
          feed_id: feed.id,
          url: 'https://example.org/a',
          source: 'example.org',
          title: 't',
          lang: 'zh',
          areas: ['ai'],
          districts: ['haidian'],
          labels: { areas: [area('ai')], districts: [area('haidian')] },
          beijing: true,
          beijing_score: 0.9,
          max_score: 0.8,
          taxonomy_version: 't1',
          classifier_version: 'c1',
        });
        await sql`analyze signals`.execute(handle.db);
        for (const first of ['statistics', 'indexes'] as const) {
          const q = new SignalQueryRepository(handle.db, 20_000, first);
          const ids = async (f: SignalFilter) => (await q.page(f, { limit: 10 })).map((r) => r.id);
          expect(await ids({ areas: ['ai'], sources: ['example.org'] })).toEqual([id]);
          expect(await ids({ areas: ['ai'], sources: ['example.com'] })).toEqual([]);
          expect(await ids({ districtGroups: [['haidian']], langs: ['zh'], beijing: true })).toEqual([id]);
          expect(await ids({ langs: ['zh'], beijing: true, minScore: 0.8 })).toEqual([id]);
          expect(await ids({ langs: ['zh'], beijing: true, minScore: 0.81 })).toEqual([]);
        }
      } finally {
        if (handle.kind === 'postgres') await dropSchema(handle);
        await handle.close();
      }
    }
  });

  it('makes services refuse an old schema with a message saying what to run', async () => {
    const handle = await openDb({ databaseUrl: PG, schema: `t_${randomUUID().replaceAll('-', '').slice(0, 16)}` });
    try {
      await handle.db.schema.createSchema(handle.schema).ifNotExists().execute();
      const err = await assertSchemaCurrent(handle).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SchemaOutdatedError);
      expect((err as Error).message).toContain('pnpm radar migrate');
    } finally {
      await dropSchema(handle);
      await handle.close();
    }
  });
});
