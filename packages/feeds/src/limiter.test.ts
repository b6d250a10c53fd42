import { spawn } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, TEST_REDIS_URL } from '@radar/testkit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createHostLimiter, parseHostLimits } from './limiter.js';
import { rss, startServer } from './testing/server.js';

describe('parseHostLimits', () => {
  it('reads host=concurrency/gapMs overrides and applies them to subdomains', () => {
    const overrides = parseHostLimits('news.cn=4/250, example.org=1/5000');
    expect(overrides.get('news.cn')).toEqual({ maxConcurrent: 4, minGapMs: 250 });
    const l = createHostLimiter({ maxConcurrent: 2, minGapMs: 1000, overrides });
    expect(l.limitsFor('www.news.cn')).toEqual({ maxConcurrent: 4, minGapMs: 250, key: 'news.cn' });
    expect(l.limitsFor('other.org')).toEqual({ maxConcurrent: 2, minGapMs: 1000, key: 'other.org' });
    void l.close();
    expect(() => parseHostLimits('news.cn=fast')).toThrow(/host=concurrency\/gapMs/);
  });
});

// Two worker PROCESSES, two feeds on one host, one Redis: the host never sees more than the
// limit in flight, nor two request starts closer than the minimum gap.
describe('per-host limit across processes', () => {
  const prefix = `test-${randomUUID()}`;
  afterAll(async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:host:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('frees the slot of a process that died holding it once its lease expires', async () => {
    const limits = { redis: TEST_REDIS_URL, prefix, maxConcurrent: 1, minGapMs: 0 };
    const dead = createHostLimiter(limits);
    const alive = createHostLimiter(limits);
    try {
      // Never settles and is never given back: as if its process had been killed mid-request.
      void dead.schedule('dead.example', () => new Promise(() => {}), { expirationMs: 300 });
      await new Promise((r) => setTimeout(r, 50));
      const t0 = performance.now();
      expect(await alive.schedule('dead.example', async () => 'ran')).toBe('ran');
      expect(performance.now() - t0).toBeGreaterThanOrEqual(150);
    } finally {
      await alive.close();
      await dead.close();
    }
  });

  it('holds maxConcurrent=2 and minGap=100ms for two processes', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const starts: number[] = [];
    const body = rss([{ title: 'x', link: 'https://example.org/x', guid: 'x' }]);
    const slow = (_q: unknown, r: ServerResponse) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      starts.push(performance.now());
      setTimeout(() => {
        inFlight--;
        r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(body);
      }, 250);
    };
    const srv = await startServer({ '/a.xml': slow, '/b.xml': slow });
    const child = fileURLToPath(new URL('./testing/limiter-child.ts', import.meta.url));
    const run = () =>
      new Promise<string[]>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', child, TEST_REDIS_URL, prefix, srv.url, '3', '/a.xml', '/b.xml'], {
          cwd: REPO_ROOT,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('error', reject);
        p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`child exited ${code}`))));
      });
    try {
      const [a, b] = await Promise.all([run(), run()]);
      expect([...a!, ...b!]).toEqual(Array(12).fill('ok'));
      expect(starts).toHaveLength(12);
      expect(maxInFlight).toBeLessThanOrEqual(2);
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      // The limiter reserves start times 100 ms apart in Redis (Redis's clock); each process then
      // starts its request on its own event loop, which on a busy 2-core machine (other test
      // files running) may start a job some tens of ms late. So the server sees gaps of about
      // 100 ms, some shortened by that lateness, and never a burst; the total span shows the
      // spacing held across both processes.
      const sorted = [...gaps].sort((x, y) => x - y);
      expect(sorted[Math.floor(sorted.length / 2)]!).toBeGreaterThanOrEqual(100 - 5);
      expect(sorted[0]!).toBeGreaterThanOrEqual(25);
      expect(starts[starts.length - 1]! - starts[0]!).toBeGreaterThanOrEqual(11 * 100 - 50);
    } finally {
      await srv.close();
    }
  });
});
