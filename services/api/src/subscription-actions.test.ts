import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook, WEBHOOK_HEADERS } from '@radar/alerts';
import { seedSignals } from './testing/seed.js';
import { createApiHarness, type ApiHarness } from './testing/harness.js';

// Edit, test and recent deliveries of a subscription (what the web page's Subscriptions view
// calls), on real PostgreSQL and Redis, with a webhook receiver on loopback.
let h: ApiHarness;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(req.url === '/down' ? 503 : 204).end();
  });
});
let hook = '';

beforeAll(async () => {
  h = await createApiHarness({ rateLimit: 100_000, env: { FETCH_ALLOW_HOSTS: '127.0.0.1' } });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  receiver.close();
  await h?.close();
});

const req = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: object) =>
  h.app.inject({ method, url, headers: h.auth(token), ...(payload ? { payload } : {}) });

describe('subscription actions', () => {
  it('edits in place: unchanged channels keep their id and secret, an Atom feed keeps its URL', async () => {
    const sub = (
      await req('POST', '/v1/subscriptions', h.tokens.alice, {
        name: 'chain',
        filters: { areas: ['cloud-blockchain'] },
        channels: [{ kind: 'webhook', url: `${hook}/ok`, secret: 'first-secret' }, { kind: 'atom' }],
      })
    ).json();
    const edited = await req('PUT', `/v1/subscriptions/${sub.id}`, h.tokens.alice, {
      name: 'chain in xicheng',
      filters: { areas: ['cloud-blockchain'], districts: ['xicheng'] },
      mode: 'digest',
      channels: [{ kind: 'webhook', url: `${hook}/ok` }, { kind: 'atom' }, { kind: 'slack', url: `${hook}/slack` }],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const e = edited.json();
    expect([e.name, e.owner, e.mode, e.filters.districts]).toEqual(['chain in xicheng', 'alice', 'digest', ['xicheng']]);
    expect(e.channels.map((c: { id: number }) => c.id).slice(0, 2)).toEqual(sub.channels.map((c: { id: number }) => c.id));
    expect(e.channels[1].config.url).toBe(sub.channels[1].config.url);
    expect(e.channels[2].kind).toBe('slack');

    // The kept secret still signs: a test through the edited subscription verifies with it.
    received.length = 0;
    const test = await req('POST', `/v1/subscriptions/${sub.id}/test?lang=zh`, h.tokens.alice);
    expect(test.statusCode, test.body).toBe(200);
    const results = test.json().results as { kind: string; ok: boolean; url?: string }[];
    expect(results.map((r) => [r.kind, r.ok])).toEqual([['webhook', true], ['atom', true], ['slack', true]]);
    expect(results[1]!.url).toBe(sub.channels[1].config.url);
    const signed = received.find((r) => r.headers[WEBHOOK_HEADERS.signature]);
    expect(signed).toBeDefined();
    const ts = signed!.headers[WEBHOOK_HEADERS.timestamp] as string;
    expect(verifyWebhook('first-secret', signed!.body, ts, signed!.headers[WEBHOOK_HEADERS.signature] as string)).toBe(true);
    expect(JSON.parse(signed!.body).type).toBe('test');

    // A name another of one's subscriptions has is a 409; another owner's subscription a 404.
    await req('POST', '/v1/subscriptions', h.tokens.alice, { name: 'other', filters: {}, channels: [{ kind: 'atom' }] });
    expect((await req('PUT', `/v1/subscriptions/${sub.id}`, h.tokens.alice, { name: 'other', filters: {}, channels: [{ kind: 'atom' }] })).statusCode).toBe(409);
    expect((await req('PUT', `/v1/subscriptions/${sub.id}`, h.tokens.bob, { name: 'x', filters: {}, channels: [{ kind: 'atom' }] })).statusCode).toBe(404);
    expect((await req('POST', `/v1/subscriptions/${sub.id}/test`, h.tokens.bob)).statusCode).toBe(404);
    expect((await req('GET', `/v1/subscriptions/${sub.id}/deliveries`, h.tokens.bob)).statusCode).toBe(404);
  });

  it('says why a test did not get through, and lists recent deliveries with their errors', async () => {
    const sub = (
      await req('POST', '/v1/subscriptions', h.tokens.alice, { name: 'down', filters: {}, channels: [{ kind: 'webhook', url: `${hook}/down` }] })
    ).json();
    const test = (await req('POST', `/v1/subscriptions/${sub.id}/test`, h.tokens.alice)).json();
    expect(test.results[0].ok).toBe(false);
    expect(test.results[0].error).toContain('503');

    // Two alerts as the alerter records them: one delivered, one failed for good.
    await seedSignals(h.rt.dbh.db, 2);
    const signals = await h.rt.repos.signals.latest(2);
    const channelId = sub.channels[0].id as number;
    for (const [i, s] of signals.entries()) {
      const [a] = await h.rt.repos.alerts.fanOut(s.id, s.id, [{ subscriptionId: sub.id, mode: 'immediate', throttlePerHour: null }], () => 'immediate');
      await h.rt.repos.alerts.recordAttempt('alert', a!.alertId, channelId, i === 0 ? { ok: true } : { ok: false, error: 'hooks answered 503', final: true });
    }
    const list = await req('GET', `/v1/subscriptions/${sub.id}/deliveries?limit=5`, h.tokens.alice);
    expect(list.statusCode, list.body).toBe(200);
    const data = list.json().data as { kind: string; status: string; last_error: string | null; title: string | null; channel_kind: string }[];
    expect(data.map((d) => [d.kind, d.channel_kind, d.status]).sort()).toEqual([
      ['alert', 'webhook', 'failed'],
      ['alert', 'webhook', 'sent'],
    ]);
    expect(data.find((d) => d.status === 'failed')?.last_error).toBe('hooks answered 503');
    expect(data.every((d) => d.title)).toBe(true);
  });
});
