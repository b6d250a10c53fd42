import { describe, expect, it } from 'vitest';
import { backoffDelay, isDependencyDown, retryAfterMs } from './transient.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDependencyDown', () => {
  it('recognises PostgreSQL and Redis being unreachable', () => {
    const refused = Object.assign(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), { port: 5432 });
    expect(isDependencyDown(refused, [5432, 6379])).toBe(true);
    expect(isDependencyDown(refused)).toBe(true);
    expect(isDependencyDown(withCode('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isDependencyDown(withCode('57P03', 'the database system is shutting down'))).toBe(true);
    expect(isDependencyDown(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDependencyDown(new Error('Connection is closed.'))).toBe(true);
    expect(isDependencyDown(Object.assign(new Error('Reached the max retries per request limit (which is 2).'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
  });

  it('leaves the job’s own errors, and a site that is down, to the ordinary retries', () => {
    expect(isDependencyDown(new Error('invalid input syntax for type integer'))).toBe(false);
    expect(isDependencyDown(withCode('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    const siteDown = Object.assign(new Error('network error fetching http://x/ (ECONNREFUSED)'), { name: 'FetchError', code: 'network', cause: withCode('ECONNREFUSED') });
    expect(isDependencyDown(siteDown)).toBe(false);
    // A webhook receiver refusing: fetch wraps the socket error, and the port is not ours.
    const receiver = Object.assign(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:41234'), { port: 41234 });
    expect(isDependencyDown(new TypeError('fetch failed', { cause: receiver }), [5432, 6379])).toBe(false);
    expect(isDependencyDown(receiver, [5432, 6379])).toBe(false);
    expect(isDependencyDown(undefined)).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base delay and never comes before a Retry-After', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, 1000))).toEqual([1000, 2000, 4000]);
    expect(backoffDelay(1, 1000, { retryAfterS: 30 })).toBe(30_000);
    expect(backoffDelay(3, 1000, { retryAfterS: 1 })).toBe(4000);
    expect(retryAfterMs({ retryAfterS: -1 })).toBeUndefined();
  });
});
