import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '@radar/testkit';
import { ensureRedis, redisAnswers, RedisUnavailableError } from './redis-server.js';

describe('ensureRedis', () => {
  it('leaves a running Redis alone', async () => {
    expect(await ensureRedis('redis://127.0.0.1:6379', '/nonexistent', true)).toBeNull();
  });

  it('starts a private redis-server with its data under DATA_DIR when none answers, and stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-data-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    try {
      const stop = await ensureRedis(url, dir, true);
      expect(stop).toBeTypeOf('function');
      expect(await redisAnswers(url)).toBe(true);
      await stop!();
      expect(await redisAnswers(url)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what to do when it may not start one', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const err = await ensureRedis(url, '/tmp', false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toMatch(/No Redis answers at REDIS_URL=redis:\/\/127\.0\.0\.1:\d+/);
  });
});
