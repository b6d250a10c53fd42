import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDb } from './connection.js';

const PG = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a PostgreSQL connection the server ends', () => {
  // What a PostgreSQL restart does to a connection checked out between two statements (inside a
  // transaction, say): the server's goodbye arrives while no query is running. Without a listener
  // on the client, pg throws it as an unhandled 'error' event and the whole worker process exits
  // (seen in the PostgreSQL-outage fault test); vitest reports such an error as a failed run.
  it('fails the next statement on it instead of crashing the process, and the pool goes on', async () => {
    const a = await openDb({ databaseUrl: PG, poolSize: 2 });
    const b = await openDb({ databaseUrl: PG, poolSize: 1 });
    try {
      const failure = await a.db
        .connection()
        .execute(async (conn) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
          await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(b.db);
          await sleep(300); // the termination reaches the idle, checked-out client
          await sql`select 1`.execute(conn);
        })
        .then(
          () => undefined,
          (err: Error) => err,
        );
      expect(failure).toBeInstanceOf(Error);
      // The broken connection is not handed out again.
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(a.db);
      expect(rows[0]!.one).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
