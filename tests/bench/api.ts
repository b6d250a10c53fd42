import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openDb, dropSchema, TokenRepository } from '@radar/db';
import { REPO_ROOT, TEST_DATABASE_URL, TEST_REDIS_URL } from '@radar/testkit';
import { seedSignals } from '../../services/api/src/testing/seed.js';
import { load } from '../../services/api/src/testing/load.js';

/**
 * `pnpm bench api [--rows N] [--fresh] [--duration S] [--connections C]`
 *
 * Requests per second and latency of filtered GET /v1/signals on a database of N signals
 * (default 1,000,000, generated in SQL into the schema bench_api of TEST_DATABASE_URL and kept
 * for the next run; --fresh rebuilds it). The API runs as its own process (`services/api/src/main.ts`),
 * autocannon in this one, on loopback. Not run in CI.
 */
/** CPU seconds (user + system) used so far by a process, from /proc (Linux; clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

export async function run(args: string[]): Promise<void> {
  const opt = (name: string, dflt: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : dflt;
  };
  const rows = opt('rows', 1_000_000);
  const durationS = opt('duration', 10);
  const connections = opt('connections', 10);
  const schema = 'bench_api';
  const dbh = await openDb({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 2 });
  try {
    if (args.includes('--fresh')) await dropSchema(dbh);
    await migrateToLatest(dbh);
    const have = (await sql<{ n: number }>`select count(*)::int as n from signals`.execute(dbh.db)).rows[0]!.n;
    if (have !== rows) {
      process.stderr.write(`bench api: generating ${rows.toLocaleString('en')} signals in SQL...\n`);
      await sql`truncate signals, signal_labels, articles cascade`.execute(dbh.db);
      const t0 = performance.now();
      await seedSignals(dbh.db, rows, { offset: 0, chunk: 100_000, newest: new Date('2026-11-20T12:00:00Z') });
      await sql`analyze`.execute(dbh.db);
      process.stderr.write(`bench api: generated in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    }
    const { token } = await new TokenRepository(dbh.db).create('bench', ['signals:read'], 'pnpm bench api');

    const port = await new Promise<number>((r) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => r(p));
      });
    });
    const appName = `bench-api-${process.pid}`;
    // CPU of the API's PostgreSQL backends (same machine; /proc/<pid>/stat is readable by all).
    // Per backend, so that one the pool closed meanwhile (idle) is left out rather than making
    // the sum NaN; its CPU in the interval is then not counted (an undercount, not an overcount).
    const pgCpu = async () => {
      const pids = await sql<{ pid: number }>`select pid from pg_stat_activity where application_name = ${appName}`.execute(dbh.db);
      return new Map(pids.rows.map((r) => [r.pid, cpuSeconds(r.pid)] as const));
    };
    const pgDelta = (a: Map<number, number>, b: Map<number, number>) =>
      [...b].reduce((t, [pid, s]) => t + (Number.isNaN(s) ? 0 : s - (a.get(pid) ?? 0)), 0);
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'services/api/src/main.ts')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        // Named, so that the bench can find the API's PostgreSQL backends and count their CPU.
        DATABASE_URL: `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}application_name=${appName}`,
        DATABASE_SCHEMA: schema,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: `bench-api-${process.pid}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        API_RATE_LIMIT: '1000000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      for (let i = 0; ; i++) {
        if ((await fetch(`${base}/readyz`).then((r) => r.status).catch(() => 0)) === 200) break;
        if (i > 150) throw new Error('the API did not become ready');
        await new Promise((r) => setTimeout(r, 200));
      }
      const headers = { authorization: `Bearer ${token}` };
      // A deep page: the cursor of the 10,000th newest signal.
      const deep = (await (await fetch(`${base}/v1/signals?limit=500`, { headers })).json()) as { next_cursor: string };
      const urls = [
        '/v1/signals?area=ai&beijing=true&limit=50',
        '/v1/signals?district=haidian&lang=en&min_score=0.6&limit=50',
        '/v1/signals?cluster=demonstration-zone-core&area=security&limit=50',
        // Also empty: s7.example only has iot articles.
        '/v1/signals?area=ai&source=s7.example&limit=50',
        '/v1/signals?area=iot&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&limit=50',
        `/v1/signals?q=${encodeURIComponent('海淀')}&area=big-data&limit=50`,
        '/v1/signals?q=risk%20model&source=s7.example&limit=50',
        // Empty (no even row, zh, has the score 0.99), and of these filters only the language, true of
        // half the rows, has an index of its own.
        '/v1/signals?lang=zh&beijing=false&min_score=0.99&limit=50',
        `/v1/signals?area=ai&beijing=true&limit=50&cursor=${deep.next_cursor}`,
      ];
      // Warm up (plans, connections, JIT).
      for (const u of urls) await load(`${base}${u}`, headers, connections, 2);
      const loadNow = () => loadavg().map((l) => l.toFixed(1)).join(' ');
      process.stdout.write(
        `GET /v1/signals on ${rows.toLocaleString('en')} signals, ${connections} connections, ${durationS} s each, loopback; ` +
          `${cpus().length} cores, load average ${loadNow()} before\n`,
      );
      process.stdout.write(
        '| request | req/s | p50 ms | p95 ms | p99 ms | API CPU ms/req | PG CPU ms/req | non-2xx |\n|---|---:|---:|---:|---:|---:|---:|---:|\n',
      );
      for (const u of urls) {
        const cpu0 = cpuSeconds(child.pid!);
        const pg0 = await pgCpu();
        const r = await load(`${base}${u}`, headers, connections, durationS);
        const cpuMs = ((cpuSeconds(child.pid!) - cpu0) * 1000) / r.requests;
        const pgMs = (pgDelta(pg0, await pgCpu()) * 1000) / r.requests;
        const shown = u.replace(/cursor=[^&]+/, 'cursor=<page 2 of 500>');
        const ms = (v: number) => v.toFixed(1);
        process.stdout.write(`| \`${decodeURIComponent(shown)}\` | ${r.rps.toFixed(0)} | ${ms(r.p50)} | ${ms(r.p95)} | ${ms(r.p99)} | ${cpuMs.toFixed(2)} | ${pgMs.toFixed(2)} | ${r.non2xx + r.errors} |\n`);
      }
      process.stdout.write(`load average ${loadNow()} after\n`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  } finally {
    await dbh.close();
  }
}
