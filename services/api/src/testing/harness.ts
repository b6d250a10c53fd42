import type { FastifyInstance } from 'fastify';
import { loadSettings } from '@radar/config';
import { createLogger } from '@radar/log';
import { openRuntime, type Runtime } from '@radar/runtime';
import { createTestDb, testEnv, type TestDb } from '@radar/testkit';
import { buildApi, type ApiOptions } from '../app.js';
import { TEST_VOCABULARY } from './seed.js';

/** An API on its own PostgreSQL schema and Redis prefix, with one token per role. */
export interface ApiHarness {
  tdb: TestDb;
  rt: Runtime;
  app: FastifyInstance;
  tokens: { admin: string; reader: string; alice: string; bob: string };
  /** Authorization header for a token. */
  auth(token: string): { authorization: string };
  close(): Promise<void>;
}

export async function createApiHarness(opts: ApiOptions & { env?: Record<string, string> } = {}): Promise<ApiHarness> {
  const tdb = await createTestDb();
  const settings = loadSettings({
    ...testEnv(tdb.schema),
    LOG_LEVEL: 'warn',
    ...opts.env,
  });
  const rt = await openRuntime(settings, createLogger(settings.LOG_LEVEL, { test: 'api' }));
  const app = await buildApi(rt, { vocabulary: TEST_VOCABULARY, streamPollMs: 100, ...opts });
  const t = rt.repos.tokens;
  const tokens = {
    admin: (await t.create('ops', ['admin'])).token,
    reader: (await t.create('bi-tool', ['signals:read'])).token,
    alice: (await t.create('alice', ['subscriptions:write', 'signals:read'])).token,
    bob: (await t.create('bob', ['subscriptions:write'])).token,
  };
  return {
    tdb,
    rt,
    app,
    tokens,
    auth: (token) => ({ authorization: `Bearer ${token}` }),
    async close() {
      await app.close();
      await rt.queues.obliterate().catch(() => undefined);
      await rt.close();
      await tdb.cleanup();
    },
  };
}
