import { describe, expect, it } from 'vitest';
import type { AlertMessage, AlertStory } from '../message.js';
import { renderAtom } from './atom.js';
import { renderEmail } from './email.js';
import { renderSlack } from './slack.js';
import { renderWebhook, verifyWebhook, WEBHOOK_HEADERS } from './webhook.js';

const story = (p: Partial<AlertStory> = {}): AlertStory => ({
  alertId: 7,
  storyId: 3,
  signalId: 11,
  title: 'Blockchain pilot opens on Financial Street <Xicheng>',
  url: 'https://news.example/a?x=1&y=2',
  source: 'news.example',
  lang: 'en',
  publishedAt: '2026-11-26T01:02:03.000Z',
  summary: 'A distributed-ledger pilot for banks.',
  beijing: { value: true, score: 0.93 },
  areas: [{ id: 'cloud-blockchain', score: 0.91, evidence: [{ term: 'Blockchain', field: 'title', start: 0, end: 10 }] }],
  districts: [{ id: 'xicheng', score: 0.8, evidence: [{ term: 'Financial Street', field: 'title' }] }],
  alertedAt: '2026-11-26T02:00:00.000Z',
  ...p,
});
const zh = story({ title: '西城区金融街区块链试点启动', lang: 'zh', summary: '分布式账本试点。' });
const msg = (stories: AlertStory[], kind: AlertMessage['kind'] = 'alert'): AlertMessage => ({
  kind,
  key: kind === 'digest' ? 'radar:digest:5' : 'radar:alert:7',
  subscription: { id: 1, name: 'chain', owner: 'ana' },
  stories,
});

describe('generic webhook', () => {
  it('signs body and timestamp so the receiver can verify them', () => {
    const now = Date.UTC(2026, 10, 26, 2, 0, 0);
    const { body, headers } = renderWebhook(msg([story()]), 's3cret', now);
    const ts = headers[WEBHOOK_HEADERS.timestamp];
    const sig = headers[WEBHOOK_HEADERS.signature];
    expect(headers[WEBHOOK_HEADERS.idempotencyKey]).toBe('radar:alert:7');
    expect(JSON.parse(body)).toMatchObject({ type: 'alert', id: 'radar:alert:7', stories: [{ signalId: 11, areas: [{ id: 'cloud-blockchain' }] }] });
    expect(verifyWebhook('s3cret', body, ts, sig, { nowMs: now + 1000 })).toBe(true);
    expect(verifyWebhook('wrong', body, ts, sig, { nowMs: now })).toBe(false);
    expect(verifyWebhook('s3cret', body.replace('banks', 'bankz'), ts, sig, { nowMs: now })).toBe(false);
    expect(verifyWebhook('s3cret', body, ts, sig, { nowMs: now + 3_600_000 })).toBe(false);
    // The same alert renders the same body on every retry.
    expect(renderWebhook(msg([story()]), 's3cret', now + 60_000).body).toBe(body);
  });
});

describe('Slack-compatible webhook', () => {
  it('links the story and escapes mrkdwn', () => {
    const body = renderSlack(msg([story()]));
    const section = JSON.stringify(body.blocks[1]);
    expect(section).toContain('<https://news.example/a?x=1&y=2|Blockchain pilot opens on Financial Street &lt;Xicheng&gt;>');
    expect(JSON.stringify(body.blocks)).toContain('Cloud and blockchain 0.91');
    expect(body.text).toContain('chain');
  });

  it('writes a digest in one message and caps its length', () => {
    const many = Array.from({ length: 25 }, (_, i) => story({ alertId: i + 1 }));
    const body = renderSlack(msg(many, 'digest'));
    expect(body.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(body.blocks.at(-1))).toContain('and 5 more');
  });
});

describe('e-mail', () => {
  it('is written in the language of the article, with text and HTML parts', () => {
    const en = renderEmail(msg([story()]));
    expect(en.lang).toBe('en');
    expect(en.subject).toBe('[Radar: chain] Blockchain pilot opens on Financial Street <Xicheng>');
    expect(en.text).toContain('Areas: Cloud and blockchain 0.91');
    expect(en.html).toContain('&lt;Xicheng&gt;');
    const cn = renderEmail(msg([zh]));
    expect(cn.lang).toBe('zh');
    expect(cn.subject).toContain('西城区金融街区块链试点启动');
    expect(cn.text).toContain('技术领域：云计算与区块链 0.91');
    expect(cn.html).toContain('lang="zh-CN"');
  });

  it('lists every story of a digest', () => {
    const d = renderEmail(msg([zh, zh, story()], 'digest'));
    expect(d.lang).toBe('zh');
    expect(d.subject).toBe('[Radar：chain] 3 条新报道');
    expect(d.html.match(/<li /g)).toHaveLength(3);
  });
});

describe('Atom feed', () => {
  it('has one entry per alert with a stable id', () => {
    const xml = renderAtom({ subscription: { id: 1, name: 'chain', owner: 'ana' }, stories: [zh, story({ alertId: 6 })], selfUrl: 'http://127.0.0.1/feeds/alerts/tok.atom' });
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(xml).toContain('tag:radar,2026:alert/7');
    expect(xml).toContain('tag:radar,2026:alert/6');
    expect(xml).toContain('西城区金融街区块链试点启动');
    expect(xml).toContain('rel="self"');
  });
});
