import { afterAll, expect, it } from 'vitest';
import { loadSettings } from '@radar/config';
import { createLogger, type Logger } from '@radar/log';
import { openRuntime, type Runtime } from '@radar/runtime';
import { createTestDb, testEnv, type TestDb } from '@radar/testkit';
import { buildApi } from './app.js';
import { TEST_VOCABULARY } from './testing/seed.js';

let tdb: TestDb | undefined;
let rt: Runtime | undefined;
afterAll(async () => {
  await rt?.close();
  await tdb?.cleanup();
});

it("keeps the process's 'service' binding: the API's logger adds a component, not a second service key", async () => {
  tdb = await createTestDb();
  const settings = loadSettings({ ...testEnv(tdb.schema), LOG_LEVEL: 'warn' });
  // As `pnpm radar start` makes it: the process's logger names its service.
  rt = await openRuntime(settings, createLogger('warn', { service: 'cli' }));
  const app = await buildApi(rt, { vocabulary: TEST_VOCABULARY });
  try {
    // pino writes a re-bound key twice ("service":"cli","service":"api"); bindings() keeps the last.
    // Fastify types its logger as the base interface; it is the pino child buildApi made.
    expect((app.log as unknown as Logger).bindings()).toMatchObject({ service: 'cli', component: 'api' });
  } finally {
    await app.close();
  }
});
