import type { AlertMessage, AlertStory } from '@radar/alerts';
import type { AlertStoryRow, Subscription } from '@radar/db';

/** A stored alert as channels render it. */
export function toStory(r: AlertStoryRow): AlertStory {
  return {
    alertId: r.alert_id,
    storyId: r.story_id,
    signalId: r.signal_id,
    title: r.title,
    url: r.url,
    source: r.source,
    lang: r.lang,
    publishedAt: r.published_at ? r.published_at.toISOString() : null,
    summary: r.summary,
    beijing: { value: r.beijing, score: r.beijing_score },
    areas: r.labels.areas,
    districts: r.labels.districts,
    alertedAt: r.created_at.toISOString(),
  };
}

export function message(kind: AlertMessage['kind'], key: string, sub: Subscription, rows: AlertStoryRow[]): AlertMessage {
  return { kind, key, subscription: { id: sub.id, name: sub.name, owner: sub.owner }, stories: rows.map(toStory) };
}

/** The sample story `pnpm radar subscriptions test` sends. */
export function sampleStory(lang: 'en' | 'zh'): AlertStory {
  const zh = lang === 'zh';
  return {
    alertId: 0,
    storyId: 0,
    signalId: 0,
    title: zh ? '【测试】西城区金融街启动区块链跨境支付试点' : '[Test] Blockchain cross-border payment pilot opens on Financial Street, Xicheng',
    url: 'https://example.org/radar-test-alert',
    source: 'example.org',
    lang,
    publishedAt: new Date().toISOString(),
    summary: zh ? '这是一条测试提醒，用来检查通知渠道是否畅通。' : 'This is a test alert, sent to check that the channel works.',
    beijing: { value: true, score: 0.95 },
    areas: [{ id: 'cloud-blockchain', score: 0.9, evidence: [{ term: zh ? '区块链' : 'blockchain', field: 'title' }] }],
    districts: [{ id: 'xicheng', score: 0.85, evidence: [{ term: zh ? '金融街' : 'Financial Street', field: 'title' }] }],
    alertedAt: new Date().toISOString(),
  };
}
