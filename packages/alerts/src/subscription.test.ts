import { describe, expect, it } from 'vitest';
import { unknownTaxonomyIds } from './filters.js';
import { prepareSubscription } from './subscription.js';

const base = { owner: 'ana', name: 'chain', filters: { areas: ['cloud-blockchain'] }, channels: [{ kind: 'webhook' as const, url: 'http://127.0.0.1:9/hook', secret: 'sekret-123' }] };

describe('subscriptions', () => {
  it('fills in defaults; an immediate subscription has no digest', () => {
    const s = prepareSubscription(base);
    expect(s).toMatchObject({ mode: 'immediate', digest_every: 'day', digest_at: '08:00', timezone: 'Asia/Shanghai', next_digest_at: null, throttle_per_hour: null });
    expect(s.filters).toMatchObject({ areas: ['cloud-blockchain'], areasMatch: 'any', districts: [], minScore: 0 });
    expect(s.channels).toEqual([{ kind: 'webhook', config: { url: 'http://127.0.0.1:9/hook', secret: 'sekret-123' } }]);
  });

  it('schedules the first digest; a throttle gathers its overflow hourly by default', () => {
    const now = new Date('2026-11-26T03:00:00Z');
    const d = prepareSubscription({ ...base, mode: 'digest', digestAt: '09:30', timezone: 'UTC' }, now);
    expect(d.next_digest_at?.toISOString()).toBe('2026-11-26T09:30:00.000Z');
    const t = prepareSubscription({ ...base, mode: 'throttle', maxPerHour: 5, digestAt: '00:00', timezone: 'UTC' }, now);
    expect(t).toMatchObject({ digest_every: 'hour', throttle_per_hour: 5 });
    expect(t.next_digest_at?.toISOString()).toBe('2026-11-26T04:00:00.000Z');
  });

  it('gives an Atom channel a secret token', () => {
    const s = prepareSubscription({ ...base, channels: [{ kind: 'atom' }, { kind: 'atom' }] });
    const tokens = s.channels.map((c) => c.config['token'] as string);
    expect(tokens[0]).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it('refuses what cannot work, naming the field', () => {
    expect(() => prepareSubscription({ ...base, channels: [] })).toThrow(/at least one channel/);
    expect(() => prepareSubscription({ ...base, mode: 'throttle' })).toThrow(/maximum per hour/);
    expect(() => prepareSubscription({ ...base, timezone: 'Mars/Base' })).toThrow(/IANA time zone/);
    expect(() => prepareSubscription({ ...base, channels: [{ kind: 'email', to: 'nobody' }] })).toThrow(/e-mail address/);
    expect(() => prepareSubscription({ ...base, channels: [{ kind: 'webhook', url: 'ftp://x/y' }] })).toThrow(/http/);
    expect(() => prepareSubscription({ ...base, filters: { keywords: '(ai' } })).toThrow(/missing/);
    expect(() => prepareSubscription({ ...base, filters: { colour: 'red' } as never })).toThrow(/colour/);
  });

  it('names each area, district and cluster id the taxonomy does not know, by its field', () => {
    const known = { areas: ['ai', 'iot'], districts: new Set(['haidian']), clusters: ['fintech-security'] };
    expect(unknownTaxonomyIds({ areas: ['ai'], districts: ['haidian'], clusters: ['fintech-security'] }, known)).toEqual([]);
    expect(unknownTaxonomyIds({}, known)).toEqual([]);
    expect(unknownTaxonomyIds({ areas: ['iot', 'quantum'], districts: ['haiden'], clusters: ['x'] }, known)).toEqual([
      { field: 'filters.areas.1', id: 'quantum', message: 'unknown area "quantum" (one of ai, iot)' },
      { field: 'filters.districts.0', id: 'haiden', message: 'unknown district "haiden" (one of haidian)' },
      { field: 'filters.clusters.0', id: 'x', message: 'unknown cluster "x" (one of fintech-security)' },
    ]);
  });
});
