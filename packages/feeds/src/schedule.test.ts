import { describe, expect, it } from 'vitest';
import { freshnessS, nextPollTime, parseRetryAfter, publishingIntervalS } from './schedule.js';

const now = new Date('2026-01-01T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000);
const fixed = { now, minS: 300, maxS: 86400, random: () => 0.5 }; // random 0.5 = no jitter

describe('nextPollTime', () => {
  it('follows the publishing rate: an hourly feed is polled every 30 minutes', () => {
    const t = nextPollTime({ ...fixed, kind: 'ok', previousIntervalS: 900, itemDates: [0, 1, 2, 3, 4].map(hoursAgo) });
    expect(t.intervalS).toBe(1800);
    expect(t.nextPollAt.getTime() - now.getTime()).toBe(1800_000);
  });

  it('keeps to the floor and the ceiling', () => {
    const busy = nextPollTime({ ...fixed, kind: 'ok', previousIntervalS: 900, itemDates: [0, 0.01, 0.02].map(hoursAgo) });
    expect(busy.intervalS).toBe(300);
    const quiet = nextPollTime({ ...fixed, kind: 'ok', previousIntervalS: 900, itemDates: [200, 400].map(hoursAgo) });
    expect(quiet.intervalS).toBe(86400);
  });

  it('honours <ttl>, Cache-Control max-age and Expires', () => {
    const items = [0, 1, 2].map(hoursAgo);
    expect(nextPollTime({ ...fixed, kind: 'ok', previousIntervalS: 900, itemDates: items, ttlS: 7200 }).intervalS).toBe(7200);
    expect(nextPollTime({ ...fixed, kind: 'ok', previousIntervalS: 900, itemDates: items, headers: { 'cache-control': 'public, max-age=10800' } }).intervalS).toBe(10800);
    const expires = { expires: new Date(now.getTime() + 4 * 3600_000).toUTCString(), date: now.toUTCString() };
    expect(nextPollTime({ ...fixed, kind: 'ok', previousIntervalS: 900, itemDates: items, headers: expires }).intervalS).toBe(14400);
  });

  it('grows the interval on 304s and backs off exponentially on failures, capped at 24 h', () => {
    expect(nextPollTime({ ...fixed, kind: 'not-modified', previousIntervalS: 1000 }).intervalS).toBe(1200);
    const delays = [1, 2, 3, 4, 10, 40].map((n) => nextPollTime({ ...fixed, kind: 'failed', previousIntervalS: 1800, errorCount: n }).delayS);
    expect(delays).toEqual([300, 600, 1200, 2400, 86400, 86400]);
    expect(nextPollTime({ ...fixed, kind: 'failed', previousIntervalS: 1800, errorCount: 3 }).intervalS).toBe(1800);
  });

  it('waits at least what Retry-After asks', () => {
    const t = nextPollTime({ ...fixed, kind: 'failed', previousIntervalS: 900, errorCount: 1, headers: { 'retry-after': '3600' } });
    expect(t.nextPollAt.getTime() - now.getTime()).toBeGreaterThanOrEqual(3600_000);
  });

  it('jitters by at most 10 %', () => {
    const at = (r: number) => nextPollTime({ ...fixed, random: () => r, kind: 'ok', previousIntervalS: 900, itemDates: [0, 2, 4].map(hoursAgo) }).nextPollAt.getTime() - now.getTime();
    expect(at(0)).toBe(3600_000 * 0.9);
    expect(at(0.999999)).toBeCloseTo(3600_000 * 1.1, -3);
  });
});

describe('header helpers', () => {
  it('parses Retry-After and freshness', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(new Date(now.getTime() + 60_000).toUTCString(), now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(freshnessS({ 'cache-control': 'no-cache, max-age=600' }, now)).toBeNull();
    expect(publishingIntervalS([hoursAgo(1)], now)).toBeNull();
  });
});
