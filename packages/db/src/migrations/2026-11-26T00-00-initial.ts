import { sql, type Kysely } from 'kysely';

// Frozen in time: this file describes the schema as it was on its date. Never edit it; add a
// new migration instead.

const now = sql`now()`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('feeds')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('url', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text')
    .addColumn('site_url', 'text')
    .addColumn('language', 'text')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('next_poll_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('poll_interval_s', 'integer', (c) => c.notNull().defaultTo(900))
    .addColumn('last_polled_at', 'timestamptz')
    .addColumn('last_success_at', 'timestamptz')
    .addColumn('last_new_item_at', 'timestamptz')
    .addColumn('health', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('error_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fetch_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('repaired', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('feeds_due').on('feeds').columns(['active', 'next_poll_at']).execute();

  await db.schema
    .createTable('stories')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('title', 'text')
    .addColumn('simhash', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('canonical_url', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('feed_id', 'integer', (c) => c.references('feeds.id').onDelete('set null'))
    .addColumn('story_id', 'integer', (c) => c.references('stories.id').onDelete('set null'))
    .addColumn('guid', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('summary', 'text')
    .addColumn('body', 'text')
    .addColumn('author', 'text')
    .addColumn('lang', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('content_hash', 'text')
    .addColumn('simhash', 'text')
    .addColumn('extract_status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('extract_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('articles_content_hash').on('articles').column('content_hash').execute();
  await db.schema.createIndex('articles_created').on('articles').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('articles_story').on('articles').column('story_id').execute();

  await db.schema
    .createTable('feed_items')
    .addColumn('feed_id', 'integer', (c) => c.notNull().references('feeds.id').onDelete('cascade'))
    .addColumn('guid', 'text', (c) => c.notNull())
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('seen_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('feed_items_pk', ['feed_id', 'guid'])
    .execute();

  await db.schema
    .createTable('signals')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('article_id', 'integer', (c) => c.notNull().unique().references('articles.id').onDelete('cascade'))
    .addColumn('story_id', 'integer', (c) => c.references('stories.id').onDelete('set null'))
    .addColumn('feed_id', 'integer', (c) => c.references('feeds.id').onDelete('set null'))
    .addColumn('title', 'text')
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('lang', 'text')
    .addColumn('published_at', 'timestamptz')
    .addColumn('areas', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('districts', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('labels', 'jsonb', (c) => c.notNull())
    .addColumn('beijing', 'boolean', (c) => c.notNull())
    .addColumn('beijing_score', 'real', (c) => c.notNull())
    .addColumn('max_score', 'real', (c) => c.notNull())
    .addColumn('taxonomy_version', 'text', (c) => c.notNull())
    .addColumn('classifier_version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('signals_areas').on('signals').using('gin').column('areas').execute();
  await db.schema.createIndex('signals_districts').on('signals').using('gin').column('districts').execute();
  await db.schema.createIndex('signals_created').on('signals').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('signals_published').on('signals').columns(['published_at', 'id']).execute();
  await db.schema.createIndex('signals_story').on('signals').column('story_id').execute();

  await db.schema
    .createTable('signal_labels')
    .addColumn('signal_id', 'integer', (c) => c.notNull().references('signals.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('score', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('signal_labels_pk', ['signal_id', 'kind', 'label'])
    .execute();
  await db.schema.createIndex('signal_labels_label').on('signal_labels').columns(['kind', 'label', 'score']).execute();

  await db.schema
    .createTable('subscriptions')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filters', 'jsonb', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().defaultTo('immediate'))
    .addColumn('digest_every', 'text', (c) => c.notNull().defaultTo('day'))
    .addColumn('digest_at', 'text', (c) => c.notNull().defaultTo('08:00'))
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('Asia/Shanghai'))
    .addColumn('throttle_per_hour', 'integer')
    .addColumn('paused', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('last_digest_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('subscriptions_owner_name', ['owner', 'name'])
    .execute();

  await db.schema
    .createTable('subscription_channels')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('subscription_id', 'integer', (c) =>
      c.notNull().references('subscriptions.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('config', 'jsonb', (c) => c.notNull())
    .addColumn('paused', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('subscription_id', 'integer', (c) =>
      c.notNull().references('subscriptions.id').onDelete('cascade'),
    )
    .addColumn('story_id', 'integer', (c) => c.notNull())
    .addColumn('signal_id', 'integer', (c) => c.notNull().references('signals.id').onDelete('cascade'))
    .addColumn('disposition', 'text', (c) => c.notNull())
    .addColumn('digested_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('alerts_once_per_story', ['subscription_id', 'story_id'])
    .execute();

  await db.schema
    .createTable('alert_deliveries')
    .addColumn('alert_id', 'integer', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
    .addColumn('channel_id', 'integer', (c) =>
      c.notNull().references('subscription_channels.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('alert_deliveries_pk', ['alert_id', 'channel_id'])
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('scopes', sql`text[]`, (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'api_tokens',
    'alert_deliveries',
    'alerts',
    'subscription_channels',
    'subscriptions',
    'signal_labels',
    'signals',
    'feed_items',
    'articles',
    'stories',
    'feeds',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
