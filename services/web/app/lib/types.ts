// The shapes of the API's answers the page reads (see /openapi.json for the full documents).
import type { EvidenceItem } from '../../src/shared/evidence.js';

export interface LabelScore {
  id: string;
  score: number;
}

export interface Signal {
  id: number;
  article_id: number;
  story_id: number | null;
  title: string | null;
  url: string;
  source: string;
  lang: string | null;
  published_at: string | null;
  occurred_at: string;
  areas: LabelScore[];
  districts: LabelScore[];
  beijing: { value: boolean; score: number };
  max_score: number;
  created_at: string;
}

export interface StoryArticle {
  id: number;
  title: string | null;
  url: string;
  source: string;
  lang: string | null;
  published_at: string | null;
  signal_id: number | null;
}

export interface SignalDetail extends Omit<Signal, 'areas' | 'districts'> {
  summary: string | null;
  /** The text the classifier read after the title (the article body, else its summary). */
  body?: string | null;
  areas: (LabelScore & { evidence: EvidenceItem[] })[];
  districts: (LabelScore & { evidence: EvidenceItem[] })[];
  story_articles: StoryArticle[];
}

export interface ListPage {
  data: Signal[];
  next_cursor: string | null;
}

export interface StatsSeries {
  start: string;
  total: number;
  areas: Record<string, number>;
  districts: Record<string, number>;
}

export interface StatsResult {
  bucket: string;
  timezone: string;
  from: string;
  to: string;
  series: StatsSeries[];
}

export interface Feed {
  id: number;
  url: string;
  title: string | null;
  active: boolean;
  health: string;
  last_status: number | null;
  last_error: string | null;
  error_count: number;
  item_count: number;
  poll_interval_s: number;
  next_poll_at: string;
  last_polled_at: string | null;
  last_success_at: string | null;
  last_new_item_at: string | null;
}

export interface FailedJob {
  stage: string;
  queue: string;
  id: string;
  attempts: number;
  reason: string;
  failed_at: string | null;
}

export type ChannelKind = 'webhook' | 'slack' | 'email' | 'atom';

/** A channel as the API shows it (a webhook's secret is shown as "(set)"). */
export interface Channel {
  id: number;
  kind: ChannelKind;
  /** webhook/slack: url (and a webhook's secret shown as "(set)"); email: to; atom: token and its feed url. */
  config: { url?: string; secret?: string; to?: string; token?: string };
  paused: boolean;
  consecutive_failures: number;
  last_error: string | null;
  last_error_at: string | null;
}

/** A channel as the page sends it. */
export type ChannelInput =
  | { kind: 'webhook'; url: string; secret?: string }
  | { kind: 'slack'; url: string }
  | { kind: 'email'; to: string }
  | { kind: 'atom'; token?: string };

export interface SubscriptionFilters {
  areas?: string[];
  areasMatch?: 'any' | 'all';
  districts?: string[];
  clusters?: string[];
  beijing?: boolean;
  keywords?: string;
  sources?: string[];
  lang?: string[];
  minScore?: number;
}

export type Mode = 'immediate' | 'digest' | 'throttle';

export interface Subscription {
  id: number;
  owner: string;
  name: string;
  filters: SubscriptionFilters;
  mode: Mode;
  digest_every: 'hour' | 'day';
  digest_at: string;
  timezone: string;
  throttle_per_hour: number | null;
  paused: boolean;
  created_at: string;
  updated_at: string;
  channels: Channel[];
}

export interface SubscriptionInput {
  name: string;
  filters: SubscriptionFilters;
  mode: Mode;
  digestEvery?: 'hour' | 'day';
  digestAt?: string;
  timezone?: string;
  maxPerHour?: number;
  channels: ChannelInput[];
}

/** One delivery of an alert (one story) or a digest (several) on one channel. */
export interface Delivery {
  kind: 'alert' | 'digest';
  id: number;
  channel_id: number;
  channel_kind: ChannelKind;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  signal_id: number | null;
  title: string | null;
  stories: number;
}

export interface DeliveryList {
  data: Delivery[];
}

export interface TestResult {
  results: { channel_id: number; kind: ChannelKind; ok: boolean; error?: string; url?: string }[];
}
