import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from './testing/harness.js';

let h: ApiHarness;
beforeAll(async () => {
  h = await createApiHarness({ rateLimit: 100_000 });
});
afterAll(async () => h?.close());

const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, token: string, payload?: object) =>
  h.app.inject({ method, url, headers: h.auth(token), ...(payload ? { payload } : {}) });

const aliceSub = {
  name: 'haidian ai',
  filters: { areas: ['ai'], districts: ['haidian'], keywords: '大模型 OR "large model"' },
  channels: [{ kind: 'webhook', url: 'https://hooks.example.org/radar', secret: 'a-long-secret' }],
};

describe('subscriptions', () => {
  it('lets an analyst create, see, pause and delete only their own', async () => {
    // The body's owner is ignored: the token decides.
    const created = await req('POST', '/v1/subscriptions', h.tokens.alice, { ...aliceSub, owner: 'bob' });
    expect(created.statusCode, created.body).toBe(201);
    const sub = created.json();
    expect(sub.owner).toBe('alice');
    expect(sub.channels[0].config.secret).toBe('(set)');

    expect((await req('POST', '/v1/subscriptions', h.tokens.alice, aliceSub)).statusCode).toBe(409);
    const list = await req('GET', '/v1/subscriptions', h.tokens.alice);
    expect(list.json().data.map((s: { id: number }) => s.id)).toEqual([sub.id]);

    // Another owner's subscription does not exist for bob.
    expect((await req('GET', '/v1/subscriptions', h.tokens.bob)).json().data).toEqual([]);
    expect((await req('GET', `/v1/subscriptions/${sub.id}`, h.tokens.bob)).statusCode).toBe(404);
    expect((await req('PATCH', `/v1/subscriptions/${sub.id}`, h.tokens.bob, { paused: true })).statusCode).toBe(404);
    expect((await req('DELETE', `/v1/subscriptions/${sub.id}`, h.tokens.bob)).statusCode).toBe(404);
    expect((await req('GET', `/v1/subscriptions/${sub.id}`, h.tokens.alice)).json().paused).toBe(false);

    // A reader without the scope is refused; an admin sees everyone's.
    expect((await req('GET', '/v1/subscriptions', h.tokens.reader)).statusCode).toBe(403);
    expect((await req('GET', '/v1/subscriptions', h.tokens.admin)).json().data).toHaveLength(1);

    const paused = await req('PATCH', `/v1/subscriptions/${sub.id}`, h.tokens.alice, { paused: true });
    expect(paused.json().paused).toBe(true);
    expect((await req('DELETE', `/v1/subscriptions/${sub.id}`, h.tokens.alice)).statusCode).toBe(204);
    expect((await req('GET', `/v1/subscriptions/${sub.id}`, h.tokens.alice)).statusCode).toBe(404);
  });

  it("serves an Atom channel's private feed without an API token", async () => {
    const res = await req('POST', '/v1/subscriptions', h.tokens.alice, { name: 'feed', filters: { areas: ['iot'] }, channels: [{ kind: 'atom' }] });
    expect(res.statusCode, res.body).toBe(201);
    const url = new URL(res.json().channels[0].config.url as string);
    expect(url.pathname).toMatch(/^\/feeds\/alerts\/[A-Za-z0-9_-]{20,}\.atom$/);
    const feed = await h.app.inject({ method: 'GET', url: url.pathname });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    expect((await h.app.inject({ method: 'GET', url: `/feeds/alerts/${'x'.repeat(30)}.atom` })).statusCode).toBe(404);
  });

  it('answers 400 naming the field for invalid subscriptions', async () => {
    const cases: [object, string][] = [
      [{ ...aliceSub, name: 'x', channels: [] }, 'channels'],
      [{ ...aliceSub, name: 'x', channels: [{ kind: 'webhook', url: 'ftp://x' }] }, 'channels.0.url'],
      [{ ...aliceSub, name: 'x', filters: { areas: ["ai'; drop table subscriptions; --"] } }, 'filters.areas.0'],
      [{ ...aliceSub, name: 'x', filters: { keywords: '(unclosed' } }, 'filters.keywords'],
      [{ ...aliceSub, name: 'x', mode: 'throttle' }, 'maxPerHour'],
      [{ ...aliceSub, name: 'x', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ ...aliceSub, name: 'x'.repeat(5000) }, 'name'],
    ];
    for (const [payload, field] of cases) {
      const res = await req('POST', '/v1/subscriptions', h.tokens.alice, payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json().field).toBe(field);
    }
    for (const id of ["1'", '0', '99999999999']) {
      const res = await req('GET', `/v1/subscriptions/${encodeURIComponent(id)}`, h.tokens.alice);
      expect(res.statusCode).toBe(400);
      expect(res.json().field).toBe('id');
    }
    expect((await req('PATCH', '/v1/subscriptions/1', h.tokens.alice, { paused: 'yes' })).json().field).toBe('paused');
  });

  it('refuses areas, districts and clusters the taxonomy does not know, on create and on edit', async () => {
    const cases: [object, string, RegExp][] = [
      [{ areas: ['ai', 'quantum'] }, 'filters.areas.1', /unknown area "quantum" \(one of ai, /],
      [{ districts: ['haiden'] }, 'filters.districts.0', /unknown district "haiden"/],
      [{ clusters: ['fintech-security', 'moon-base'] }, 'filters.clusters.1', /unknown cluster "moon-base" \(one of demonstration-zone-core, /],
    ];
    for (const [filters, field, message] of cases) {
      const res = await req('POST', '/v1/subscriptions', h.tokens.bob, { ...aliceSub, name: 'typo', filters });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ error: 'Bad Request', field });
      expect(res.json().message).toMatch(message);
    }
    expect((await req('GET', '/v1/subscriptions', h.tokens.bob)).json().data).toEqual([]);

    const ok = await req('POST', '/v1/subscriptions', h.tokens.bob, { ...aliceSub, name: 'known', filters: { clusters: ['fintech-security'] } });
    expect(ok.statusCode, ok.body).toBe(201);
    const put = await req('PUT', `/v1/subscriptions/${ok.json().id}`, h.tokens.bob, { ...aliceSub, name: 'known', filters: { districts: ['haidian', 'gotham'] } });
    expect(put.statusCode, put.body).toBe(400);
    expect(put.json().field).toBe('filters.districts.1');
    expect((await req('GET', `/v1/subscriptions/${ok.json().id}`, h.tokens.bob)).json().filters.clusters).toEqual(['fintech-security']);
  });
});
