import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { subscriptions } from '../../services/cli/src/commands/subscriptions.js';
import { startSmtpReceiver, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from '../../services/alerter/src/testing/receivers.js';
import { createPipeline, type Pipeline } from './harness.js';

// `pnpm radar subscriptions ...`, run in this process (the command reads the settings from the
// environment, pointed here at this test's schema and queues) against real receivers.

describe('pnpm radar subscriptions', () => {
  let p: Pipeline;
  let hook: WebhookReceiver;
  let smtp: SmtpReceiver;
  const SECRET = 'cli-secret-42';

  /** Runs the command; returns its exit code and what it printed on stdout. */
  async function radar(...argv: string[]): Promise<{ code: number; out: string }> {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      return { code: await subscriptions.run(argv), out };
    } finally {
      spy.mockRestore();
    }
  }

  beforeAll(async () => {
    hook = await startWebhookReceiver(SECRET);
    smtp = await startSmtpReceiver();
    p = await createPipeline({ SMTP_URL: smtp.url, PUBLIC_BASE_URL: 'https://radar.example/', LOG_LEVEL: 'error' });
    Object.assign(process.env, p.env);
  });
  afterAll(async () => {
    await p?.close();
    await hook?.close();
    await smtp?.close();
  });

  it('adds, lists, tests, pauses, resumes and removes a subscription', async () => {
    const add = await radar(
      'add', '--name', 'chain', '--owner', 'ana', '--areas', 'cloud-blockchain', '--districts', 'xicheng,haidian',
      '--keywords', '区块链 OR blockchain', '--webhook', hook.url, '--secret', SECRET, '--email', 'ana@example.org', '--atom',
    );
    expect(add.code).toBe(0);
    const created = JSON.parse(add.out) as { id: number; filters: Record<string, unknown>; channels: { kind: string; config: Record<string, string> }[] };
    expect(created.filters).toMatchObject({ areas: ['cloud-blockchain'], districts: ['xicheng', 'haidian'], keywords: '区块链 OR blockchain' });
    expect(created.channels.find((c) => c.kind === 'webhook')!.config['secret']).toBe('(set)');
    expect(created.channels.find((c) => c.kind === 'atom')!.config['url']).toMatch(/^https:\/\/radar\.example\/feeds\/alerts\/[\w-]{32}\.atom$/);

    await expect(radar('add', '--name', 'chain', '--owner', 'ana', '--atom')).rejects.toThrow(/already has a subscription named "chain"/);
    await expect(radar('add', '--name', 'x', '--clusters', 'nowhere', '--atom')).rejects.toThrow(/unknown cluster "nowhere"/);
    await expect(radar('add', '--name', 'x', '--mode', 'throttle', '--atom')).rejects.toThrow(/maxPerHour: throttle mode needs a maximum per hour/);
    const digest = await radar('add', '--name', 'daily', '--owner', 'bo', '--clusters', 'fintech-security', '--digest', 'daily', '--at', '07:30', '--tz', 'Europe/Berlin', '--slack', hook.url);
    expect(JSON.parse(digest.out)).toMatchObject({ mode: 'digest', digest_every: 'day', digest_at: '07:30', timezone: 'Europe/Berlin' });

    // `test` sends a sample alert through each channel: the receiver verifies its signature.
    const test = await radar('test', String(created.id), '--lang', 'zh');
    expect(test.code).toBe(0);
    expect(test.out).toMatch(/webhook: sent[\s\S]*email: sent[\s\S]*atom: https:\/\/radar\.example/);
    expect(hook.delivered()).toHaveLength(1);
    expect(hook.delivered()[0]).toMatchObject({ verified: true, json: { type: 'test', stories: [{ lang: 'zh' }] } });
    await vi.waitFor(() => expect(smtp.mails).toHaveLength(1));
    expect(smtp.mails[0]!.subject).toBe('[Radar：chain] 测试提醒');

    // A channel the alerter paused shows as such, with why.
    const webhookId = (await p.rt.repos.subscriptions.withChannels(created.id))!.channels.find((c) => c.kind === 'webhook')!.id;
    await p.rt.repos.subscriptions.recordChannelFailure(webhookId, 'hook.example answered 410: gone', true, 1);
    const list = await radar('list', '--owner', 'ana');
    expect(list.out).toMatch(new RegExp(`#${created.id}  chain  owner=ana  immediate  alerts=0`));
    expect(list.out).toMatch(/channel #\d+ {2}webhook {2}PAUSED since [\d-]+T[\d:]+Z {2}sent=0 unsent=0 {2}http:\/\/127\.0\.0\.1:\d+\/hook {2}last error \(.*\): hook\.example answered 410: gone/);
    expect(list.out).not.toContain('daily');
    const json = (await radar('list', '--json')).out.trim().split('\n').map((l) => JSON.parse(l) as { name: string });
    expect(json.map((s) => s.name)).toEqual(['chain', 'daily']);

    expect((await radar('resume', String(created.id))).code).toBe(0);
    expect((await p.rt.repos.subscriptions.channel(webhookId))!.paused).toBe(false);
    expect((await radar('pause', String(created.id))).code).toBe(0);
    expect((await p.rt.repos.subscriptions.get(created.id))!.paused).toBe(true);

    await expect(radar('remove', String(created.id), '--owner', 'bo')).rejects.toThrow(/no subscription/);
    expect((await radar('remove', String(created.id))).code).toBe(0);
    expect(await p.rt.repos.subscriptions.list()).toHaveLength(1);
  });
});
