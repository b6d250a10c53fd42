import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropSchema, migrateToLatest, openDb, type Db } from '@radar/db';

// Test-only settings: where the real services of this machine answer. Tests never mock them.
// (The only process.env read outside packages/config, and only in tests.)
export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const REPO_ROOT = resolve(here, '../../..');
/** Third-party corpora, read in place (never copied into the repo). */
export const CORPORA = resolve(REPO_ROOT, '../shared/corpora');

export interface TestDb extends Db {
  /** Drops the schema and closes the pool. */
  cleanup(): Promise<void>;
}

/** A fresh, migrated PostgreSQL schema of its own for one test file or test. */
export async function createTestDb(): Promise<TestDb> {
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const handle = await openDb({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 5 });
  await migrateToLatest(handle);
  return {
    ...handle,
    cleanup: async () => {
      await dropSchema(handle);
      await handle.close();
    },
  };
}

/** A BullMQ key prefix of its own, so tests never share queues. */
export function testQueuePrefix(): string {
  return `test-${randomUUID()}`;
}

/**
 * The settings that put a test (or a bench) on the machine's PostgreSQL and Redis with a schema
 * and a queue prefix of its own; callers add what their run needs.
 */
export function testEnv(schema: string): { DATABASE_URL: string; DATABASE_SCHEMA: string; REDIS_URL: string; QUEUE_PREFIX: string } {
  return { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: testQueuePrefix() };
}
