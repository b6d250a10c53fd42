import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Database } from './types.js';
import type { Db } from './connection.js';
import { ensureSchema, SCHEMA_LOCK } from './connection.js';
import * as m0001 from './migrations/2026-11-26T00-00-initial.js';
import * as alerts from './migrations/2026-11-26T02-00-alerts.js';
import * as signalsV1 from './migrations/2026-11-26T03-00-signals-v1.js';
import * as storiesRecent from './migrations/2026-11-26T04-30-stories-recent.js';
import * as labelPairs from './migrations/2026-11-26T06-00-signal-label-pairs.js';
import * as facetPairs from './migrations/2026-11-26T20-00-signal-facet-pairs.js';
import * as assignStory from './migrations/2026-11-26T22-30-assign-story.js';
import * as assignStories from './migrations/2026-11-27T01-00-assign-stories.js';
import * as storyBands from './migrations/2026-11-27T04-00-story-bands.js';

/**
 * Migrations are listed here, not discovered on disk, so they work the same under tsx, in a
 * bundle and in tests. Names start with a timestamp and are never renamed.
 */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-26T00-00-initial': m0001,
  '2026-11-26T02-00-alerts': alerts,
  '2026-11-26T03-00-signals-v1': signalsV1,
  '2026-11-26T04-30-stories-recent': storiesRecent,
  '2026-11-26T06-00-signal-label-pairs': labelPairs,
  '2026-11-26T20-00-signal-facet-pairs': facetPairs,
  '2026-11-26T22-30-assign-story': assignStory,
  '2026-11-27T01-00-assign-stories': assignStories,
  '2026-11-27T04-00-story-bands': storyBands,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

function migrator(handle: Db, db: Kysely<Database> = handle.db): Migrator {
  return new Migrator({ db, provider, migrationTableSchema: handle.schema });
}

export async function migrateToLatest(handle: Db): Promise<string[]> {
  await ensureSchema(handle);
  // One connection holds the schema lock (see SCHEMA_LOCK) for the whole migration.
  const { error, results }: MigrationResultSet = await handle.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${SCHEMA_LOCK})`.execute(conn);
    try {
      return await migrator(handle, conn).migrateToLatest();
    } finally {
      await sql`select pg_advisory_unlock(${SCHEMA_LOCK})`.execute(conn);
    }
  });
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export class SchemaOutdatedError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database schema is behind the code (${pending.length} migration(s) not applied: ${pending.join(', ')}). ` +
        'Run `pnpm radar migrate` first.',
    );
    this.name = 'SchemaOutdatedError';
  }
}

/** Pending migration names; empty when the schema is current. */
export async function pendingMigrations(handle: Db): Promise<string[]> {
  const all = await migrator(handle).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

/** Services call this at start: they refuse to run against an old schema. */
export async function assertSchemaCurrent(handle: Db): Promise<void> {
  const pending = await pendingMigrations(handle);
  if (pending.length) throw new SchemaOutdatedError(pending);
}
