import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

/** True when a Redis answers PING at this URL within the timeout. */
export async function redisAnswers(url: string, timeoutMs = 1500): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

export class RedisUnavailableError extends Error {}

/**
 * Makes sure a Redis answers at `url`. When none does and `redis-server` is on the PATH, starts
 * a private one with its data under `dataDir/redis` (append-only file on, so queued jobs survive
 * a restart) and returns a function that stops it. Otherwise throws with what to install or set.
 */
export async function ensureRedis(url: string, dataDir: string, autostart: boolean): Promise<(() => Promise<void>) | null> {
  if (await redisAnswers(url)) return null;
  const u = new URL(url);
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(u.hostname);
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!autostart || !local || !found) {
    throw new RedisUnavailableError(
      `No Redis answers at REDIS_URL=${url}. ` +
        (found
          ? 'Start one, or point REDIS_URL at one (REDIS_AUTOSTART only starts a private Redis on this machine).'
          : 'Install Redis (e.g. `apt-get install redis-server`) so Radar can start a private one, or set REDIS_URL to a running Redis.'),
    );
  }
  const dir = resolve(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const port = u.port || '6379';
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(url, 500)) {
      return async () => {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      };
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`Started redis-server on port ${port}, but it did not answer; see ${dir}.`);
}
