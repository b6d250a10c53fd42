import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { loadSettings, type Settings } from '@radar/config';
import { createLogger } from '@radar/log';
import { openRuntime, startHandlers, type Runtime } from '@radar/runtime';
import { createTestDb, testEnv, REPO_ROOT, type TestDb } from '@radar/testkit';
import type { Handlers, RunningWorkers } from '@radar/queue';
import { allHandlers } from '../../services/cli/src/commands/start.js';

/** A pipeline on real PostgreSQL (own schema) and real Redis (own prefix), cleaned up after. */
export interface Pipeline {
  env: Record<string, string>;
  settings: Settings;
  tdb: TestDb;
  rt: Runtime;
  workers: RunningWorkers[];
  start(only?: (keyof Handlers)[]): Promise<RunningWorkers>;
  /** Runs a stand-alone service process (services/<name>/src/main.ts) on the same database and queues. */
  spawnService(name: string): ChildProcess;
  waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

export async function createPipeline(extraEnv: Record<string, string> = {}): Promise<Pipeline> {
  const tdb = await createTestDb();
  const env: Record<string, string> = {
    ...testEnv(tdb.schema),
    FETCH_ALLOW_HOSTS: '127.0.0.1',
    HOST_LIMITS: '127.0.0.1=16/0',
    JOB_LOCK_MS: '2000',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const settings = loadSettings(env);
  const rt = await openRuntime(settings, createLogger(settings.LOG_LEVEL, { test: true }));
  const children: ChildProcess[] = [];
  const p: Pipeline = {
    env,
    settings,
    tdb,
    rt,
    workers: [],
    async start(only) {
      const all = await allHandlers(rt);
      const picked = only ? Object.fromEntries(only.map((k) => [k, all[k]])) : all;
      const w = startHandlers(rt, picked);
      p.workers.push(w);
      return w;
    },
    spawnService(name) {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, `services/${name}/src/main.ts`)], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    },
    async waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (v !== undefined && v !== false) return v as T;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async close() {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      for (const w of p.workers) await w.close(1000);
      await rt.queues.obliterate().catch(() => undefined);
      await rt.close();
      await tdb.cleanup();
    },
  };
  return p;
}
