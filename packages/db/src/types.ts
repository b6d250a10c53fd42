import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely';

/** Timestamps are written as Date or ISO strings and read back as Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;

export type FeedHealth = 'new' | 'ok' | 'slow' | 'failing' | 'gone';

export interface FeedTable {
  id: Generated<number>;
  url: string;
  title: string | null;
  site_url: string | null;
  language: string | null;
  active: Generated<boolean>;
  /** Conditional GET validators of the last 200 answer. */
  etag: string | null;
  last_modified: string | null;
  /** The database, not a timer per feed, decides which feeds are due. */
  next_poll_at: Generated<Date>;
  poll_interval_s: Generated<number>;
  last_polled_at: Timestamp | null;
  last_success_at: Timestamp | null;
  last_new_item_at: Timestamp | null;
  health: Generated<FeedHealth>;
  last_status: number | null;
  last_error: string | null;
  /** Consecutive failures; reset by a success. */
  error_count: Generated<number>;
  fetch_count: Generated<number>;
  item_count: Generated<number>;
  repaired: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Per-feed GUIDs, so a feed that repeats an item does not make a new article. */
export interface FeedItemTable {
  feed_id: number;
  guid: string;
  article_id: number;
  seen_at: Generated<Date>;
}

export interface StoryTable {
  id: Generated<number>;
  title: string | null;
  /** SimHash of the first article's text (16 hex digits). */
  simhash: string | null;
  /** The SimHash as a signed 64-bit integer (a stored generated column; pg returns int8 as text). */
  simhash_bits: GeneratedAlways<string | null>;
  created_at: Generated<Date>;
}

export type ExtractStatus = 'pending' | 'feed' | 'page' | 'failed';

export interface ArticleTable {
  id: Generated<number>;
  canonical_url: string;
  url: string;
  feed_id: number | null;
  story_id: number | null;
  guid: string | null;
  source: string;
  title: string | null;
  summary: string | null;
  body: string | null;
  author: string | null;
  lang: string | null;
  published_at: Timestamp | null;
  content_hash: string | null;
  simhash: string | null;
  extract_status: Generated<ExtractStatus>;
  extract_error: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LabelEvidence {
  /** The matched term as it appears in the text, or a model feature. */
  term: string;
  /** Where it was found ('title' | 'body'), or 'model' for a model feature. */
  field: string;
  /** Character offsets in that field (absent for model features). */
  start?: number;
  end?: number;
  weight?: number;
}

export interface Label {
  id: string;
  score: number;
  evidence: LabelEvidence[];
}

export interface SignalTable {
  id: Generated<number>;
  article_id: number;
  story_id: number | null;
  feed_id: number | null;
  title: string | null;
  url: string;
  source: string;
  lang: string | null;
  published_at: Timestamp | null;
  areas: string[];
  districts: string[];
  labels: Json<{ areas: Label[]; districts: Label[] }>;
  beijing: boolean;
  beijing_score: number;
  max_score: number;
  taxonomy_version: string;
  classifier_version: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** One row per (signal, label), for filters on a label's score and for trends. */
export interface SignalLabelTable {
  signal_id: number;
  kind: 'area' | 'district';
  label: string;
  score: number;
}

export type SubscriptionMode = 'immediate' | 'digest' | 'throttle';

export interface SubscriptionTable {
  id: Generated<number>;
  owner: string;
  name: string;
  filters: Json<Record<string, unknown>>;
  mode: Generated<SubscriptionMode>;
  digest_every: Generated<'hour' | 'day'>;
  digest_at: Generated<string>;
  timezone: Generated<string>;
  throttle_per_hour: number | null;
  paused: Generated<boolean>;
  last_digest_at: Timestamp | null;
  /** When the next digest is due (null: no digest scheduled). */
  next_digest_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type ChannelKind = 'webhook' | 'slack' | 'email' | 'atom';

export interface SubscriptionChannelTable {
  id: Generated<number>;
  subscription_id: number;
  kind: ChannelKind;
  config: Json<Record<string, unknown>>;
  paused: Generated<boolean>;
  consecutive_failures: Generated<number>;
  last_error: string | null;
  last_error_at: Timestamp | null;
  /** When it was paused for failing (last_error says why); null while active. */
  paused_at: Timestamp | null;
  created_at: Generated<Date>;
}

/** At most one alert per (subscription, story): the unique key is the guarantee. */
export interface AlertTable {
  id: Generated<number>;
  subscription_id: number;
  story_id: number;
  signal_id: number;
  /** 'immediate' alerts are sent at once; 'digest' ones wait for the next digest. */
  disposition: 'immediate' | 'digest';
  digested_at: Timestamp | null;
  /** The digest that listed it. */
  digest_id: number | null;
  created_at: Generated<Date>;
}

/** One digest message: the alerts it lists carry its id. */
export interface AlertDigestTable {
  id: Generated<number>;
  subscription_id: number;
  alert_count: number;
  created_at: Generated<Date>;
}

export interface DigestDeliveryTable {
  digest_id: number;
  channel_id: number;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface AlertDeliveryTable {
  alert_id: number;
  channel_id: number;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: Generated<Date>;
}

export interface ApiTokenTable {
  id: Generated<number>;
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  prefix: string;
  owner: string;
  scopes: string[];
  name: string | null;
  created_at: Generated<Date>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface Database {
  feeds: FeedTable;
  feed_items: FeedItemTable;
  stories: StoryTable;
  articles: ArticleTable;
  signals: SignalTable;
  signal_labels: SignalLabelTable;
  subscriptions: SubscriptionTable;
  subscription_channels: SubscriptionChannelTable;
  alerts: AlertTable;
  alert_deliveries: AlertDeliveryTable;
  alert_digests: AlertDigestTable;
  digest_deliveries: DigestDeliveryTable;
  api_tokens: ApiTokenTable;
}

export type Feed = Selectable<FeedTable>;
export type NewFeed = Insertable<FeedTable>;
export type FeedUpdate = Updateable<FeedTable>;
export type Article = Selectable<ArticleTable>;
export type NewArticle = Insertable<ArticleTable>;
export type Signal = Selectable<SignalTable>;
export type NewSignal = Insertable<SignalTable>;
export type Subscription = Selectable<SubscriptionTable>;
export type SubscriptionChannel = Selectable<SubscriptionChannelTable>;
export type Alert = Selectable<AlertTable>;
export type ApiToken = Selectable<ApiTokenTable>;
