import { describe, expect, it } from 'vitest';
import { parseDate } from './dates.js';

const iso = (s: string | null | undefined, o = {}) => parseDate(s, o)?.toISOString() ?? null;

describe('parseDate', () => {
  it('reads RFC 822, RFC 3339 and the forms Chinese sites write', () => {
    expect(iso('Tue, 05 Nov 2024 08:00:00 GMT')).toBe('2024-11-05T08:00:00.000Z');
    expect(iso('Tue, 05 Nov 2024 16:00:00 +0800')).toBe('2024-11-05T08:00:00.000Z');
    expect(iso('5 Nov 2024 03:00 EST')).toBe('2024-11-05T08:00:00.000Z');
    expect(iso('2024-11-05T16:00:00+08:00')).toBe('2024-11-05T08:00:00.000Z');
    expect(iso('2024-11-05T08:00:00.250Z')).toBe('2024-11-05T08:00:00.250Z');
    expect(iso('2024年11月5日 16:00', { defaultOffsetMin: 480 })).toBe('2024-11-05T08:00:00.000Z');
    expect(iso('2024/11/05 16:00:00', { defaultOffsetMin: 480 })).toBe('2024-11-05T08:00:00.000Z');
  });

  it('reads a zone-less date in the feed zone, and CST as China time for Chinese feeds', () => {
    expect(iso('2024-11-05 16:00:00')).toBe('2024-11-05T16:00:00.000Z');
    expect(iso('2024-11-05 16:00:00', { defaultOffsetMin: 480 })).toBe('2024-11-05T08:00:00.000Z');
    expect(iso('Tue, 05 Nov 2024 16:00:00 CST', { chinaCst: true })).toBe('2024-11-05T08:00:00.000Z');
    expect(iso('Tue, 05 Nov 2024 02:00:00 CST')).toBe('2024-11-05T08:00:00.000Z');
  });

  it('returns null for what is not a date', () => {
    for (const s of ['', 'yesterday', '2024-13-45', null, undefined]) expect(iso(s)).toBeNull();
  });
});
