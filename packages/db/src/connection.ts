import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './types.js';

// COUNT(*) and other int8 values come back as strings by default; our ids and counts fit in a
// double, and callers should not have to remember which columns are strings.
pg.types.setTypeParser(20, (v) => Number(v));

export interface DbOptions {
  /** PostgreSQL URL; when absent, an embedded PGlite database under `dataDir`. */
  databaseUrl?: string | undefined;
  /** Schema holding the tables (default 'public'); tests use one each. */
  schema?: string;
  /** Folder for the embedded database (default './data'). */
  dataDir?: string;
  /** Pool size for PostgreSQL (default 10). */
  poolSize?: number;
}

export interface Db {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  schema: string;
  close(): Promise<void>;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDb(opts: DbOptions = {}): Promise<Db> {
  const schema = opts.schema ?? 'public';
  if (!IDENT.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      // Every connection sees only this schema's tables.
      options: `-c search_path=${schema}`,
      connectionTimeoutMillis: 10_000,
    });
    // A connection dropped by a PostgreSQL restart must not crash the process: the next query
    // gets a fresh connection, and the job that failed is retried by BullMQ. The pool listens
    // for errors on idle connections only; a connection checked out between two statements
    // (inside a transaction, say) emits its 'error' on the client, which without a listener
    // throws and ends the process ("terminating connection due to administrator command").
    // Its pending or next query fails instead, and the pool discards it on release.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', schema, close: () => db.destroy() };
  }
  const dir = resolve(opts.dataDir ?? './data', 'pglite');
  mkdirSync(dir, { recursive: true });
  // Loaded lazily: the PGlite WASM bundle is only needed by the embedded default.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('kysely-pglite-dialect');
  const client = await PGlite.create(join(dir));
  if (schema !== 'public') await client.exec(`create schema if not exists ${schema}; set search_path to ${schema}`);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return { db, kind: 'pglite', schema, close: () => db.destroy() };
}

/** Creates the schema if needed (PostgreSQL). */
export async function ensureSchema(handle: Db): Promise<void> {
  if (handle.schema === 'public') return;
  await sql`create schema if not exists ${sql.id(handle.schema)}`.execute(handle.db);
}

/**
 * Advisory lock held while a schema is migrated or dropped. Kysely's Migrator lists the tables of
 * every schema in the database; a schema dropped by someone else in the middle of that listing
 * fails it ("schema ... does not exist"). Tests create and drop schemas side by side, so the two
 * are serialised.
 */
export const SCHEMA_LOCK = 74_200_001;

export async function dropSchema(handle: Db): Promise<void> {
  if (handle.schema === 'public') throw new Error('refusing to drop the public schema');
  await handle.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SCHEMA_LOCK})`.execute(trx);
    await sql`drop schema if exists ${sql.id(handle.schema)} cascade`.execute(trx);
  });
}
