export * from './types.js';
export { openDb, dropSchema, ensureSchema, type Db, type DbOptions } from './connection.js';
export { migrateToLatest, pendingMigrations, assertSchemaCurrent, SchemaOutdatedError } from './migrate.js';
export { FeedRepository, type FeedHealthCount } from './repositories/feeds.js';
export { ArticleRepository, type UpsertArticleResult } from './repositories/articles.js';
export { SignalRepository } from './repositories/signals.js';
export { SubscriptionRepository, type NewSubscriptionInput, type SubscriptionWithChannels, type ChannelWithSubscription } from './repositories/subscriptions.js';
export { AlertRepository, type AlertStoryRow, type MatchSignalRow, type FanOutTarget, type FannedOutAlert, type RecentDelivery } from './repositories/alerts.js';
export { TokenRepository, TOKEN_SCOPES, hashToken, looksLikeToken, type TokenScope, type TokenInfo } from './repositories/tokens.js';
export {
  SignalQueryRepository,
  STREAM_HOLD_S,
  likePattern,
  type SignalFilter,
  type SignalRow,
  type StreamRow,
  type SignalDetail,
  type StoryArticle,
  type StatsBucket,
  type StatsRow,
} from './repositories/signal-queries.js';
export { OpsRepository } from './repositories/ops.js';
export { StoryRepository, type ExtractionColumns, type StoryAssignment, type StoryCandidate, type StoryMatchOptions } from './repositories/stories.js';

import type { Kysely } from 'kysely';
import type { Database } from './types.js';
import { FeedRepository } from './repositories/feeds.js';
import { ArticleRepository } from './repositories/articles.js';
import { SignalRepository } from './repositories/signals.js';
import { SubscriptionRepository } from './repositories/subscriptions.js';
import { AlertRepository } from './repositories/alerts.js';
import { TokenRepository } from './repositories/tokens.js';
import { SignalQueryRepository } from './repositories/signal-queries.js';
import { OpsRepository } from './repositories/ops.js';
import { StoryRepository } from './repositories/stories.js';

/** The repositories a service needs, over one connection. */
export function repositories(db: Kysely<Database>) {
  return {
    feeds: new FeedRepository(db),
    articles: new ArticleRepository(db),
    signals: new SignalRepository(db),
    subscriptions: new SubscriptionRepository(db),
    alerts: new AlertRepository(db),
    tokens: new TokenRepository(db),
    signalQueries: new SignalQueryRepository(db),
    ops: new OpsRepository(db),
    stories: new StoryRepository(db),
  };
}
export type Repositories = ReturnType<typeof repositories>;
