import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@radar/log';
import { JobQueues, startWorkers, type RunningWorkers } from '@radar/queue';
import { freePort, REPO_ROOT, TEST_REDIS_URL, testQueuePrefix } from '@radar/testkit';

/**
 * infra/docker/healthcheck.mjs against a real Redis and real BullMQ workers: the compose health
 * checks and the Kubernetes liveness probes of the stages run it. Also checks the one fact the
 * KEDA triggers rely on: BullMQ keeps a queue's waiting jobs in the Redis list
 * `<prefix>:<queue>:wait`.
 */

const run = promisify(execFile);
const SCRIPT = resolve(REPO_ROOT, 'infra/docker/healthcheck.mjs');

async function check(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const { stderr } = await run(process.execPath, [SCRIPT, ...args], { env: { ...process.env, ...env }, timeout: 10_000 });
    return { code: 0, out: stderr };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: e.code ?? -1, out: e.stderr ?? '' };
  }
}

/** The worker's connection name is set once it connects: poll briefly for the expected code. */
async function eventually(args: string[], env: Record<string, string>, code: number): Promise<{ code: number; out: string }> {
  let last = await check(args, env);
  for (let i = 0; i < 20 && last.code !== code; i++) {
    await new Promise((r) => setTimeout(r, 250));
    last = await check(args, env);
  }
  return last;
}

describe('infra/docker/healthcheck.mjs', () => {
  const prefix = testQueuePrefix();
  const env = { REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix };
  let queues: JobQueues;
  let running: RunningWorkers | undefined;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    queues = new JobQueues({ redisUrl: TEST_REDIS_URL, prefix });
    server = createServer((req, res) => res.writeHead(req.url === '/readyz' ? 503 : 200).end(req.url === '/readyz' ? 'redis down' : 'ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await running?.close(1000);
    await queues.obliterate();
    await queues.close();
    await new Promise((r) => server.close(r));
  });

  it('passes when a worker of every given queue is connected from this host, and fails otherwise', async () => {
    expect((await check(['worker', 'extract'], env)).code).toBe(1);
    running = startWorkers(
      { 'extract-article': async () => 'done', 'classify-article': async () => 'done' },
      { redisUrl: TEST_REDIS_URL, prefix, log: createLogger('silent'), queues, concurrency: {} },
    );
    await Promise.all(running.workers.map((w) => w.waitUntilReady()));
    const ok = await eventually(['worker', 'extract', 'classify'], env, 0);
    expect(ok.code, ok.out).toBe(0);
    const missing = await check(['worker', 'extract', 'alerts'], env);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('alerts');
    // Another installation's prefix on the same Redis is not this one.
    expect((await check(['worker', 'extract'], { ...env, QUEUE_PREFIX: testQueuePrefix() })).code).toBe(1);
    await running.close(1000);
    running = undefined;
    expect((await eventually(['worker', 'extract'], env, 1)).code).toBe(1);
  });

  it('passes, saying so, when Redis itself does not answer (a restart would not help)', async () => {
    const res = await check(['worker', 'extract'], { ...env, REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(res.code).toBe(0);
    expect(res.out).toContain('does not answer');
  });

  it('checks an HTTP endpoint: 2xx passes, anything else fails', async () => {
    expect((await check(['http', `${base}/healthz`], {})).code).toBe(0);
    const down = await check(['http', `${base}/readyz`], {});
    expect(down.code).toBe(1);
    expect(down.out).toContain('503');
    expect((await check(['nonsense'], {})).code).toBe(2);
  });

  it('finds waiting jobs in the list KEDA reads: <prefix>:<queue>:wait', async () => {
    await queues.enqueue('match-alerts', { signalId: 1 });
    expect(await queues.connection.type(`${prefix}:alerts:wait`)).toBe('list');
    expect(await queues.connection.llen(`${prefix}:alerts:wait`)).toBe(1);
  });
});
