import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings } from './settings.js';

describe('loadSettings', () => {
  it('fills defaults and coerces types', () => {
    const s = loadSettings({});
    expect(s.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(s.PORT).toBe(8080);
    expect(s.DATABASE_URL).toBeUndefined();
    expect(s.FETCH_ALLOW_HOSTS).toEqual([]);
    expect(loadSettings({ PORT: '9000', REDIS_AUTOSTART: 'no', FETCH_ALLOW_HOSTS: '127.0.0.1, ::1' })).toMatchObject({
      PORT: 9000,
      REDIS_AUTOSTART: false,
      FETCH_ALLOW_HOSTS: ['127.0.0.1', '::1'],
    });
  });

  it('names every bad variable and what it expected', () => {
    let err: unknown;
    try {
      loadSettings({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', HOST: '' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('PORT="eighty" is invalid: expected an integer between 0 and 65535');
    expect(msg).toContain('DATABASE_URL="mysql://x" is invalid: expected a URL starting with postgres:// or postgresql://');
    expect(msg).toContain('LOG_LEVEL="loud" is invalid: expected one of fatal, error, warn, info, debug, trace, silent');
    expect(msg).toContain('HOST="" is invalid: expected a non-empty value');
    // Every message is ours, not zod's default ("expected Invalid option: ...", "expected Too small: ...").
    expect(msg).not.toMatch(/expected (Invalid|Too)/);
  });
});
