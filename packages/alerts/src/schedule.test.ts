import { describe, expect, it } from 'vitest';
import { dispositionFor, nextDigestAt } from './schedule.js';

describe('digest schedule', () => {
  it('runs a daily digest at the local time of the subscription', () => {
    // 08:00 in Shanghai is 00:00 UTC.
    const at = nextDigestAt({ every: 'day', at: '08:00', timezone: 'Asia/Shanghai' }, new Date('2026-11-26T03:00:00Z'));
    expect(at.toISOString()).toBe('2026-11-27T00:00:00.000Z');
    const before = nextDigestAt({ every: 'day', at: '08:00', timezone: 'Asia/Shanghai' }, new Date('2026-11-25T23:59:00Z'));
    expect(before.toISOString()).toBe('2026-11-26T00:00:00.000Z');
  });

  it('is strictly after the given time', () => {
    const at = nextDigestAt({ every: 'day', at: '08:00', timezone: 'UTC' }, new Date('2026-11-26T08:00:00Z'));
    expect(at.toISOString()).toBe('2026-11-27T08:00:00.000Z');
  });

  it('keeps local time across a daylight-saving change', () => {
    // New York leaves DST on 2026-11-01: 09:00 local is 13:00 UTC before and 14:00 UTC after.
    const s = { every: 'day' as const, at: '09:00', timezone: 'America/New_York' };
    expect(nextDigestAt(s, new Date('2026-10-31T14:00:00Z')).toISOString()).toBe('2026-11-01T14:00:00.000Z');
  });

  it('runs an hourly digest at the minute given', () => {
    const at = nextDigestAt({ every: 'hour', at: '00:15', timezone: 'Asia/Kolkata' }, new Date('2026-11-26T10:50:00Z'));
    // Kolkata is UTC+05:30: local minute 15 is UTC minute 45.
    expect(at.toISOString()).toBe('2026-11-26T11:45:00.000Z');
  });

  it('rejects bad times and zones', () => {
    expect(() => nextDigestAt({ every: 'day', at: '8am', timezone: 'UTC' }, new Date())).toThrow(/HH:MM/);
    expect(() => nextDigestAt({ every: 'day', at: '08:00', timezone: 'Mars/Base' }, new Date())).toThrow(/time zone/);
  });

  it('throttles: at most N immediate alerts an hour, the rest to the digest', () => {
    expect(dispositionFor('throttle', 2, 3)).toBe('immediate');
    expect(dispositionFor('throttle', 3, 3)).toBe('digest');
    expect(dispositionFor('immediate', 100, 3)).toBe('immediate');
    expect(dispositionFor('digest', 0, null)).toBe('digest');
  });
});
