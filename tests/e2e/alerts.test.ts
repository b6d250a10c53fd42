import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { prepareSubscription, type SubscriptionInput } from '../../packages/alerts/src/index.js';
import { alerterHandlers, atomUrl } from '../../services/alerter/src/index.js';
import { signalRow } from '../../services/classifier/src/index.js';
import { seedArticle, type SeedArticle, type SeededClassification } from '../../services/alerter/src/testing/seed.js';
import {
  readFeed,
  startAtomServer,
  startSmtpReceiver,
  startWebhookReceiver,
  type SmtpReceiver,
  type WebhookReceiver,
} from '../../services/alerter/src/testing/receivers.js';
import { startHandlers } from '@radar/runtime';
import { createPipeline, type Pipeline } from './harness.js';

/** What classify-article does once it has the labels: upsert the signal, hand a new one to matching. */
async function storeSignal(p: Pipeline, s: SeededClassification): Promise<void> {
  const article = (await p.rt.repos.articles.get(s.articleId))!;
  const { id, created } = await p.rt.repos.signals.upsert(signalRow(article, s.classification as Parameters<typeof signalRow>[1], s));
  if (created) await p.rt.queues.enqueue('match-alerts', { signalId: id });
}

// The alerter end to end on real PostgreSQL and Redis, with real receivers on loopback: an HTTP
// server that verifies signatures, an SMTP server, and a feed reader for the Atom feed.

describe('alerts, end to end', () => {
  let p: Pipeline;
  let smtp: SmtpReceiver;
  let hook: WebhookReceiver;
  const SECRET = 'hook-secret-1';

  const subscribe = async (input: Omit<SubscriptionInput, 'owner'> & { owner?: string }) =>
    p.rt.repos.subscriptions.create(prepareSubscription({ owner: 'ana', ...input }));
  const store = async (a: SeedArticle) => {
    const seeded = await seedArticle(p.rt, a);
    await storeSignal(p, seeded.store);
    return seeded;
  };
  const rows = async (q: string) => (await sql.raw<Record<string, unknown>>(q).execute(p.rt.dbh.db)).rows;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    hook = await startWebhookReceiver(SECRET);
    p = await createPipeline({ SMTP_URL: smtp.url, ALERT_RETRY_DELAY_MS: '200', ALERT_INDEX_REFRESH_MS: '0', ALERT_PAUSE_AFTER: '2', LOG_LEVEL: 'error' });
    p.workers.push(startHandlers(p.rt, await alerterHandlers(p.rt)));
  });
  afterAll(async () => {
    await p?.close();
    await hook?.close();
    await smtp?.close();
  });

  it('delivers one alert on every channel: signed webhook, Slack, e-mail in Chinese, Atom', async () => {
    const slack = await startWebhookReceiver();
    const sub = await subscribe({
      name: 'chain',
      filters: { areas: ['cloud-blockchain'], districts: ['xicheng', 'haidian'] },
      channels: [
        { kind: 'webhook', url: hook.url, secret: SECRET },
        { kind: 'slack', url: slack.url },
        { kind: 'email', to: 'ana@example.org' },
        { kind: 'atom' },
      ],
    });
    // Not this one: right area, wrong district.
    await store({ slug: 'c1-other', title: '朝阳区区块链论坛', body: '朝阳区举办区块链论坛。', lang: 'zh', areas: [['cloud-blockchain', 0.9]], districts: [['chaoyang', 0.8]] });
    const { storyId } = await store({
      slug: 'c1',
      title: '西城区金融街启动区块链跨境支付试点',
      body: '北京市西城区金融街近日启动区块链跨境支付试点，多家银行参与。',
      lang: 'zh',
      areas: [['cloud-blockchain', 0.92]],
      districts: [['xicheng', 0.85]],
    });
    await p.waitFor('webhook, slack and mail', async () => hook.delivered().length >= 1 && slack.delivered().length >= 1 && smtp.mails.length >= 1);

    const body = hook.delivered()[0]!;
    expect(body.verified).toBe(true);
    expect(body.json).toMatchObject({
      type: 'alert',
      subscription: { id: sub.id, name: 'chain', owner: 'ana' },
      stories: [{ storyId, title: '西城区金融街启动区块链跨境支付试点', areas: [{ id: 'cloud-blockchain', evidence: [{ term: 'cloud-blockchain' }] }] }],
    });
    expect(body.key).toMatch(/^radar:alert:\d+$/);
    expect(JSON.stringify(slack.delivered()[0]!.json)).toContain('西城区金融街启动区块链跨境支付试点');

    const mail = smtp.mails[0]!;
    expect(mail.subject).toBe('[Radar：chain] 西城区金融街启动区块链跨境支付试点');
    expect(mail.text).toContain('技术领域：云计算与区块链（分布式技术） 0.92');
    expect(mail.html).toContain('lang="zh-CN"');
    expect(mail.messageId).toMatch(/^<radar\.alert\.\d+@localhost>$/);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('ana@example.org');

    const token = sub.channels.find((c) => c.kind === 'atom')!.config['token'] as string;
    const server = await startAtomServer({ repos: p.rt.repos, publicBaseUrl: 'http://radar.example' });
    try {
      const feed = await readFeed(`${server.base}/feeds/alerts/${token}.atom`);
      expect(feed.title).toBe('Radar: chain');
      expect(feed.items.map((i) => i.title)).toEqual(['西城区金融街启动区块链跨境支付试点']);
      expect(feed.items[0]!.link).toBe('http://news.example/c1.html');
      const res = await fetch(`${server.base}/feeds/alerts/${token}.atom`);
      expect(res.headers.get('content-type')).toContain('application/atom+xml');
      expect((await res.text()).includes(atomUrl('http://radar.example', token))).toBe(true);
      const again = await fetch(`${server.base}/feeds/alerts/${token}.atom`, { headers: { 'if-none-match': res.headers.get('etag')! } });
      expect(again.status).toBe(304);
      expect((await fetch(`${server.base}/feeds/alerts/${'x'.repeat(32)}.atom`)).status).toBe(404);
    } finally {
      await server.app.close();
      await slack.close();
    }
    expect(await rows(`select status, count(*)::int as n from alert_deliveries group by status`)).toEqual([{ status: 'sent', n: 4 }]);
  });

  it('one story through three feeds and two retries: one delivery per subscription and channel', async () => {
    const second = await startWebhookReceiver(SECRET);
    const quantum = await subscribe({ name: 'quantum', filters: { keywords: 'quantum OR 量子' }, channels: [{ kind: 'webhook', url: hook.url, secret: SECRET }] });
    const haidian = await subscribe({
      name: 'haidian-security',
      filters: { areas: ['security'], clusters: ['underlying-technology-innovation'] },
      channels: [
        { kind: 'webhook', url: hook.url, secret: SECRET },
        { kind: 'webhook', url: second.url, secret: SECRET },
      ],
    });
    // Two retries: the quantum alert and the second receiver fail twice before they get
    // through; the haidian alert's first channel works at once and must not be sent again.
    const subName = (r: { json: unknown }) => (r.json as { subscription: { name: string } }).subscription.name;
    hook.respond = (r, seen) => (subName(r) === 'quantum' && seen <= 2 ? 503 : 200);
    second.respond = (_r, seen) => (seen <= 2 ? 503 : 200);
    const before = hook.requests.length;
    const first = await store({
      slug: 'q-feed-a',
      title: 'Quantum key distribution network reaches Haidian banks',
      body: 'A quantum key distribution network now links banks in Haidian, Beijing.',
      lang: 'en',
      source: 'a.example',
      areas: [['security', 0.9]],
      districts: [['haidian', 0.8]],
    });
    // The same story syndicated by two more feeds, a little later.
    for (const src of ['b.example', 'c.example']) {
      await store({
        slug: `q-feed-${src}`,
        title: 'Quantum key distribution network reaches Haidian banks',
        body: 'A quantum key distribution network now links banks in Haidian, Beijing.',
        lang: 'en',
        source: src,
        storyId: first.storyId,
        areas: [['security', 0.9]],
        districts: [['haidian', 0.8]],
      });
    }
    await p.waitFor('three signals', async () => (await rows(`select count(*)::int as n from signals where story_id = ${first.storyId}`))[0]!['n'] === 3);
    await p.waitFor('three deliveries', async () => hook.requests.slice(before).filter((r) => r.status === 200).length >= 2 && second.delivered().length >= 1);

    // Jobs that run twice: match every signal of the story again, deliver every alert again.
    const handlers = await alerterHandlers(p.rt);
    const ctx = { job: { attemptsMade: 0, attemptsStarted: 1, opts: { attempts: 1 } }, rerun: false, log: p.rt.log, signal: new AbortController().signal, queues: p.rt.queues } as never;
    for (const s of await rows(`select id from signals where story_id = ${first.storyId}`)) {
      expect(await handlers['match-alerts']({ signalId: s['id'] as number }, ctx)).toBe('already-alerted');
    }
    expect(await p.rt.queues.failed()).toEqual([]);
    for (const d of await rows(`select alert_id, channel_id from alert_deliveries where channel_id in
        (select id from subscription_channels where subscription_id in (${quantum.id}, ${haidian.id}))`)) {
      expect(await handlers['deliver-alert']({ alertId: d['alert_id'] as number, channelId: d['channel_id'] as number }, ctx)).toBe('already-sent');
    }
    await new Promise((r) => setTimeout(r, 500));

    const alerts = await rows(`select subscription_id, story_id from alerts where subscription_id in (${quantum.id}, ${haidian.id}) order by 1`);
    expect(alerts).toEqual([
      { subscription_id: quantum.id, story_id: first.storyId },
      { subscription_id: haidian.id, story_id: first.storyId },
    ]);
    const here = hook.requests.slice(before);
    const okHere = here.filter((r) => r.status === 200);
    expect(okHere).toHaveLength(2);
    expect(second.delivered()).toHaveLength(1);
    expect(new Set(okHere.map((r) => r.key)).size).toBe(2);
    expect([...okHere, ...second.delivered()].every((r) => r.verified)).toBe(true);
    // Requests per subscription: the quantum alert three times (two failures), the haidian
    // alert once on the channel that worked, three times on the one that failed twice.
    expect(here.filter((r) => subName(r) === 'quantum')).toHaveLength(3);
    expect(here.filter((r) => subName(r) === 'haidian-security')).toHaveLength(1);
    expect(second.requests).toHaveLength(3);
    const deliveries = await rows(`select a.subscription_id, d.channel_id, d.status, d.attempts from alert_deliveries d
        join alerts a on a.id = d.alert_id where a.subscription_id in (${quantum.id}, ${haidian.id}) order by 1, 2`);
    expect(deliveries.map((d) => [d['subscription_id'], d['status'], d['attempts']])).toEqual([
      [quantum.id, 'sent', 3],
      [haidian.id, 'sent', 1],
      [haidian.id, 'sent', 3],
    ]);
    hook.respond = () => 200;
    await second.close();
  });

  it('a receiver that is down for a while gets every alert once when it comes back', async () => {
    const flaky = await startWebhookReceiver(SECRET);
    const sub = await subscribe({ name: 'ai', filters: { areas: ['ai'] }, channels: [{ kind: 'webhook', url: flaky.url, secret: SECRET }] });
    await flaky.down();
    for (let i = 0; i < 5; i++) {
      await store({ slug: `ai-${i}`, title: `AI model ${i} for risk control`, body: `Banks deploy AI model ${i}.`, lang: 'en', areas: [['ai', 0.9]] });
    }
    await p.waitFor('five alerts', async () => (await rows(`select count(*)::int as n from alerts where subscription_id = ${sub.id}`))[0]!['n'] === 5);
    // Let every delivery fail at least once against the closed port.
    await p.waitFor('failed attempts', async () =>
      (await rows(`select count(*)::int as n from alert_deliveries d join alerts a on a.id = d.alert_id
        where a.subscription_id = ${sub.id} and d.attempts >= 1 and d.status = 'pending'`))[0]!['n'] === 5,
    );
    const [ch] = await rows(`select last_error, paused from subscription_channels where subscription_id = ${sub.id}`);
    expect(ch).toMatchObject({ paused: false, last_error: expect.stringContaining('ECONNREFUSED') });
    await new Promise((r) => setTimeout(r, 800));
    await flaky.up();
    await p.waitFor('five deliveries', async () => flaky.delivered().length >= 5, 20_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(flaky.requests).toHaveLength(5);
    expect(new Set(flaky.delivered().map((r) => r.key)).size).toBe(5);
    expect(flaky.delivered().every((r) => r.verified)).toBe(true);
    await flaky.close();
  });

  it('pauses a channel that keeps failing, says why, and sends what it missed once resumed', async () => {
    const gone = await startWebhookReceiver(SECRET);
    gone.respond = () => 410;
    const sub = await subscribe({ name: 'iot', filters: { areas: ['iot'] }, channels: [{ kind: 'webhook', url: gone.url, secret: SECRET }] });
    for (let i = 0; i < 2; i++) {
      await store({ slug: `iot-${i}`, title: `5G payments ${i}`, body: `Mobile payment over 5G ${i}.`, lang: 'en', areas: [['iot', 0.8]] });
    }
    const chId = sub.channels[0]!.id;
    await p.waitFor('paused channel', async () => (await p.rt.repos.subscriptions.channel(chId))?.paused);
    const ch = (await p.rt.repos.subscriptions.channel(chId))!;
    expect(ch.last_error).toContain('answered 410');
    expect(ch.paused_at).toBeInstanceOf(Date);
    expect(gone.requests).toHaveLength(2);
    // While paused, a new alert is recorded but not sent.
    await store({ slug: 'iot-2', title: '5G payments 2', body: 'Mobile payment over 5G 2.', lang: 'en', areas: [['iot', 0.8]] });
    await p.waitFor('third alert', async () => (await rows(`select count(*)::int as n from alerts where subscription_id = ${sub.id}`))[0]!['n'] === 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(gone.requests).toHaveLength(2);

    gone.respond = () => 200;
    const { requeueDeliveries } = await import('../../services/alerter/src/index.js');
    expect(await p.rt.repos.subscriptions.resumeChannels(sub.id)).toEqual([chId]);
    const undelivered = await p.rt.repos.alerts.undelivered(chId);
    expect(undelivered.alerts).toHaveLength(3);
    await requeueDeliveries(p.rt.queues, undelivered.alerts.map((alertId) => ({ kind: 'alert', alertId, channelId: chId })), 100);
    await p.waitFor('three deliveries after resume', async () => gone.delivered().length >= 3);
    expect(new Set(gone.delivered().map((r) => r.key)).size).toBe(3);
    await gone.close();
  });
  it('digests: a throttle sends N an hour and folds the rest into one digest; a daily digest lists every story', async () => {
    const box = await startWebhookReceiver(SECRET);
    const throttled = await subscribe({
      name: 'data-throttled',
      filters: { areas: ['big-data'] },
      mode: 'throttle',
      maxPerHour: 2,
      channels: [
        { kind: 'webhook', url: box.url, secret: SECRET },
        { kind: 'email', to: 'ops@example.org' },
      ],
    });
    const daily = await subscribe({ name: 'data-daily', filters: { areas: ['big-data'] }, mode: 'digest', digestAt: '09:00', timezone: 'Asia/Shanghai', channels: [{ kind: 'webhook', url: box.url, secret: SECRET }] });
    expect(daily.next_digest_at!.getTime()).toBeGreaterThan(Date.now());
    const mailsBefore = smtp.mails.length;
    for (let i = 0; i < 4; i++) {
      await store({ slug: `data-${i}`, title: `Data exchange ${i} opens`, body: `A big data exchange ${i}.`, lang: 'en', areas: [['big-data', 0.9]] });
    }
    await p.waitFor('eight alerts', async () =>
      (await rows(`select count(*)::int as n from alerts where subscription_id in (${throttled.id}, ${daily.id})`))[0]!['n'] === 8,
    );
    await p.waitFor('two immediate alerts', async () => box.delivered().length >= 2 && smtp.mails.length >= mailsBefore + 2);
    const dispositions = await rows(`select subscription_id, disposition, count(*)::int as n from alerts
      where subscription_id in (${throttled.id}, ${daily.id}) group by 1, 2 order by 1, 2`);
    expect(dispositions).toEqual([
      { subscription_id: throttled.id, disposition: 'digest', n: 2 },
      { subscription_id: throttled.id, disposition: 'immediate', n: 2 },
      { subscription_id: daily.id, disposition: 'digest', n: 4 },
    ]);

    // Both digests fall due; the scheduler tick sends each once.
    await rows(`update subscriptions set next_digest_at = now() - interval '1 second' where id in (${throttled.id}, ${daily.id})`);
    await p.rt.queues.enqueue('send-digests', { at: 'due' });
    await p.waitFor('two digests', async () => box.delivered().filter((r) => (r.json as { type: string }).type === 'digest').length >= 2);
    await p.waitFor('the digest e-mail', async () => smtp.mails.length >= mailsBefore + 3);
    await p.rt.queues.enqueue('send-digests', { at: 'again' });
    await new Promise((r) => setTimeout(r, 500));

    const digests = box.delivered().filter((r) => (r.json as { type: string }).type === 'digest');
    expect(digests).toHaveLength(2);
    const sizes = digests.map((d) => (d.json as { subscription: { id: number }; stories: unknown[] })).map((d) => [d.subscription.id, d.stories.length]);
    expect(sizes.sort()).toEqual([[throttled.id, 2], [daily.id, 4]].sort());
    expect(digests.every((d) => d.verified && d.key?.startsWith('radar:digest:'))).toBe(true);
    expect(smtp.mails.at(-1)!.subject).toBe('[Radar: data-throttled] 2 new stories');
    expect(smtp.mails).toHaveLength(mailsBefore + 3);
    const next = await rows(`select next_digest_at > now() as later from subscriptions where id in (${throttled.id}, ${daily.id})`);
    expect(next).toEqual([{ later: true }, { later: true }]);
    await box.close();
  });
});

describe('alerts to a webhook that never answers', () => {
  let p: Pipeline;
  afterAll(async () => p?.close());

  it('use up their attempts (connection refused is the receiver failing, not Radar), then pause the channel', async () => {
    p = await createPipeline({ ALERT_RETRY_DELAY_MS: '10', ALERT_INDEX_REFRESH_MS: '0', ALERT_PAUSE_AFTER: '1', LOG_LEVEL: 'fatal' });
    p.workers.push(startHandlers(p.rt, await alerterHandlers(p.rt)));
    const dead = await startWebhookReceiver();
    const url = dead.url;
    await dead.close();
    const sub = await p.rt.repos.subscriptions.create(prepareSubscription({ owner: 'ana', name: 'dead', filters: { areas: ['ai'] }, channels: [{ kind: 'webhook', url }] }));
    const seeded = await seedArticle(p.rt, { slug: 'dead-1', title: 'AI lab', body: 'An AI lab opens.', lang: 'en', areas: [['ai', 0.9]] });
    await storeSignal(p, seeded.store);
    const chId = sub.channels[0]!.id;
    await p.waitFor('the channel paused', async () => (await p.rt.repos.subscriptions.channel(chId))?.paused, 30_000);
    const [d] = (await sql<{ status: string; attempts: number }>`select status, attempts from alert_deliveries where channel_id = ${chId}`.execute(p.rt.dbh.db)).rows;
    expect(d).toEqual({ status: 'failed', attempts: 8 });
    expect((await p.rt.repos.subscriptions.channel(chId))!.last_error).toContain('ECONNREFUSED');
  });
});
