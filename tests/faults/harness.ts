import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { loadSettings, type Settings } from '@radar/config';
import { dropSchema, migrateToLatest, openDb } from '@radar/db';
import { createLogger } from '@radar/log';
import { JOB_NAMES, type FailedJob, type Handlers, type RunningWorkers } from '@radar/queue';
import { openRuntime, startHandlers, type Runtime } from '@radar/runtime';
import { REPO_ROOT, TEST_DATABASE_URL, TEST_REDIS_URL, testQueuePrefix, type SiteArticle } from '@radar/testkit';
import { allHandlers } from '../../services/cli/src/commands/start.js';

/**
 * A pipeline for fault tests: real stage processes on PostgreSQL and Redis (the machine's shared
 * ones with a schema and a prefix of their own, or private servers a test may stop), and the
 * checks every fault test ends with: every article stored exactly once, nothing left in the
 * queues, and the failed-job list.
 */
export interface FaultPipeline {
  env: Record<string, string>;
  settings: Settings;
  rt: Runtime;
  /** Runs services/<name>/src/main.ts, or every stage in one process ('all'), as its own process. */
  spawn(name: 'all' | 'crawler' | 'extractor' | 'classifier' | 'alerter', env?: Record<string, string>): ChildProcess;
  /** Runs the given stages' handlers in this process. */
  start(only: (keyof Handlers)[], wrap?: (h: Handlers) => Partial<Handlers>): Promise<RunningWorkers>;
  /** Polls `fn` until it returns something; errors (a server that is down) count as not yet. */
  waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  signals(): Promise<number>;
  /** Waits until `n` signals are stored and the queues are empty; returns the failed jobs. */
  settle(n: number, timeoutMs?: number): Promise<FailedJob[]>;
  /** Every article served stored once, with one signal each; throws saying what differs. */
  expectExactlyOnce(base: string, articles: SiteArticle[]): Promise<{ articles: number; signals: number; distinct: number; missing: number }>;
  close(): Promise<void>;
}

const SCHEDULED = new Set(['poll-feeds', 'send-digests']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function createFaultPipeline(opts: { databaseUrl?: string; redisUrl?: string; env?: Record<string, string> } = {}): Promise<FaultPipeline> {
  const databaseUrl = opts.databaseUrl ?? TEST_DATABASE_URL;
  const schema = `f_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  const setup = await openDb({ databaseUrl, schema, poolSize: 2 });
  await migrateToLatest(setup);
  await setup.close();
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: opts.redisUrl ?? TEST_REDIS_URL,
    QUEUE_PREFIX: testQueuePrefix(),
    FETCH_ALLOW_HOSTS: '127.0.0.1',
    HOST_LIMITS: '127.0.0.1=16/0',
    FETCH_TIMEOUT_MS: '1500',
    JOB_LOCK_MS: '2000',
    // The scheduler ticks every second and a failing feed is tried again a second later.
    POLL_EVERY_S: '1',
    POLL_MIN_INTERVAL_S: '1',
    LOG_LEVEL: 'error',
    ...opts.env,
  };
  const settings = loadSettings(env);
  const rt = await openRuntime(settings, createLogger(settings.LOG_LEVEL, { test: 'faults' }));
  const children: ChildProcess[] = [];
  const running: RunningWorkers[] = [];
  const waitFor = async <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      try {
        const v = await fn();
        if (v !== undefined && v !== false) return v as T;
      } catch (err) {
        last = ` (last error: ${(err as Error).message})`;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last}`);
      await sleep(100);
    }
  };
  const signals = () => rt.repos.signals.count();
  const p: FaultPipeline = {
    env,
    settings,
    rt,
    waitFor,
    signals,
    spawn(name, extra = {}) {
      const file = name === 'all' ? 'tests/faults/all-stages.ts' : `services/${name}/src/main.ts`;
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, file)], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env, ...extra },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    },
    async start(only, wrap) {
      const all = await allHandlers(rt);
      const picked = Object.fromEntries(only.map((k) => [k, all[k]])) as Partial<Handlers>;
      const w = startHandlers(rt, { ...picked, ...(wrap ? wrap(all) : {}) });
      running.push(w);
      return w;
    },
    async settle(n, timeoutMs = 30_000) {
      await waitFor(`${n} signals`, async () => (await signals()) >= n, timeoutMs).catch(async (err: Error) => {
        // Say where the missing articles are stuck: stored or not, extracted or not, and what the queues hold.
        const rows = await sql<{ id: number; url: string; extract_status: string; story_id: number | null }>`
          select a.id, a.url, a.extract_status, a.story_id from articles a
          where not exists (select 1 from signals s where s.article_id = a.id) order by a.id`
          .execute(rt.dbh.db)
          .then((r) => r.rows)
          .catch(() => []);
        const articles = await sql<{ n: number }>`select count(*)::int as n from articles`.execute(rt.dbh.db).then((r) => r.rows[0]?.n).catch(() => '?');
        const depths = await rt.queues.depths().catch(() => ({}));
        const jobs = await Promise.all(
          rows.slice(0, 5).map(async (r) => {
            const out: Record<string, string> = {};
            for (const name of JOB_NAMES.filter((x) => ['extract-article', 'classify-article'].includes(x))) {
              const q = rt.queues.queue(name);
              const ids = await q.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized', 'waiting-children']).catch(() => []);
              const j = ids.find((x) => {
                const d = (x?.data ?? {}) as { articleId?: number; articleIds?: number[] };
                return d.articleId === r.id || !!d.articleIds?.includes(r.id);
              });
              if (j) out[name] = `${await j.getState()} attemptsMade=${j.attemptsMade} started=${j.attemptsStarted} ${j.failedReason ?? ''} ${JSON.stringify(j.returnvalue ?? null)}`;
            }
            return { article: r, jobs: out };
          }),
        );
        const dead = children.filter((c) => c.exitCode !== null || c.signalCode !== null).map((c) => `pid ${c.pid} exited ${c.exitCode ?? c.signalCode}`);
        throw new Error(
          `${err.message}: ${articles} articles stored, ${rows.length} without a signal: ${JSON.stringify(jobs)}; queues ${JSON.stringify(depths)}` +
            (dead.length ? `; worker processes that exited: ${dead.join(', ')}` : ''),
        );
      });
      let last = '';
      await waitFor(
        'empty queues',
        async () => {
          const depths = await rt.queues.depths();
          last = JSON.stringify(depths);
          // Scheduler ticks are not work items: the next one is always queued.
          return JOB_NAMES.filter((name) => !SCHEDULED.has(name)).every((name) =>
            ['waiting', 'active', 'prioritized', 'delayed'].every((s) => !depths[name][s]),
          );
        },
        timeoutMs,
      ).catch((err: Error) => Promise.reject(new Error(`${err.message}: ${last}`)));
      return rt.queues.failed();
    },
    async expectExactlyOnce(base, served) {
      const n = served.length;
      const urls = served.map((a) => `${base}/articles/${a.slug}.html`);
      const row = (
        await sql<{ articles: number; signals: number; distinct: number; missing: number }>`
          select (select count(*)::int from articles) as articles,
                 (select count(*)::int from signals) as signals,
                 (select count(distinct article_id)::int from signals) as distinct,
                 (select count(*)::int from unnest(${urls}::text[]) u(url)
                   where not exists (select 1 from signals s where s.url = u.url)) as missing`.execute(rt.dbh.db)
      ).rows[0]!;
      if (row.articles !== n || row.signals !== n || row.distinct !== n || row.missing !== 0) {
        throw new Error(`expected ${n} articles stored once each, got ${JSON.stringify(row)}`);
      }
      return row;
    },
    async close() {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      for (const w of running) await w.close(500).catch(() => undefined);
      await rt.queues.obliterate().catch(() => undefined);
      await rt.close().catch(() => undefined);
      const h = await openDb({ databaseUrl, schema, poolSize: 1 }).catch(() => undefined);
      if (h) {
        await dropSchema(h).catch(() => undefined);
        await h.close();
      }
    },
  };
  return p;
}

/** Exits once the child has exited; its exit code (or the signal that ended it). */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal ?? -1)));
}
