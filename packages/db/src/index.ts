export * from './types.js';
export { openDb, dropSchema, ensureSchema, type Db, type DbOptions } from './connection.js';
export { migrateToLatest, pendingMigrations, assertSchemaCurrent, SchemaOutdatedError } from './migrate.js';
export { FeedRepository, type FeedHealthCount } from './repositories/feeds.js';
export { ArticleRepository, type UpsertArticleResult } from './repositories/articles.js';
export { SignalRepository } from './repositories/signals.js';

import type { Kysely } from 'kysely';
import type { Database } from './types.js';
import { FeedRepository } from './repositories/feeds.js';
import { ArticleRepository } from './repositories/articles.js';
import { SignalRepository } from './repositories/signals.js';

/** The repositories a service needs, over one connection. */
export function repositories(db: Kysely<Database>) {
  return {
    feeds: new FeedRepository(db),
    articles: new ArticleRepository(db),
    signals: new SignalRepository(db),
  };
}
export type Repositories = ReturnType<typeof repositories>;
