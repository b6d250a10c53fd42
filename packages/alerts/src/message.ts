/** What every channel renders: one alert, or a digest of several, for one subscription. */

export interface AlertEvidence {
  term: string;
  field: string;
  start?: number;
  end?: number;
  weight?: number;
}

export interface AlertLabel {
  id: string;
  score: number;
  evidence: AlertEvidence[];
}

/** One story as an alert shows it: the signal that first brought it, its tags and evidence. */
export interface AlertStory {
  alertId: number;
  storyId: number;
  signalId: number;
  title: string | null;
  url: string;
  source: string;
  lang: string | null;
  publishedAt: string | null;
  summary: string | null;
  beijing: { value: boolean; score: number };
  areas: AlertLabel[];
  districts: AlertLabel[];
  /** When the alert was raised (ISO 8601). */
  alertedAt: string;
}

export interface AlertSubscriptionRef {
  id: number;
  name: string;
  owner: string;
}

export interface AlertMessage {
  /** 'test' is the sample sent by `pnpm radar subscriptions test`. */
  kind: 'alert' | 'digest' | 'test';
  /** Stable per alert or digest: the idempotency key receivers deduplicate on. */
  key: string;
  subscription: AlertSubscriptionRef;
  stories: AlertStory[];
}

export type Lang = 'en' | 'zh';

/** The language a message is written in: the article's, or the most common among a digest's. */
export function messageLang(msg: AlertMessage): Lang {
  let zh = 0;
  for (const s of msg.stories) if ((s.lang ?? '').toLowerCase().startsWith('zh')) zh++;
  return zh * 2 > msg.stories.length ? 'zh' : 'en';
}
