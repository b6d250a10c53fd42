import { sql, type Kysely } from 'kysely';

// Frozen in time: this file describes the schema as it was on its date. Never edit it; add a
// new migration instead.

const now = sql`now()`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The database, not a timer per subscription, decides which digests are due.
  await db.schema.alterTable('subscriptions').addColumn('next_digest_at', 'timestamptz').execute();
  await db.schema
    .createIndex('subscriptions_digest_due')
    .on('subscriptions')
    .column('next_digest_at')
    .where(sql.ref('next_digest_at'), 'is not', null)
    .execute();

  // When a channel was paused for failing; last_error says why.
  await db.schema.alterTable('subscription_channels').addColumn('paused_at', 'timestamptz').execute();
  await db.schema.createIndex('subscription_channels_subscription').on('subscription_channels').column('subscription_id').execute();
  // The private Atom feed is found by the secret token in its URL.
  await sql`create unique index subscription_channels_atom_token on subscription_channels ((config->>'token')) where kind = 'atom'`.execute(db);

  // One digest: the alerts it lists are marked with its id, so a retried delivery sends the same list.
  await db.schema
    .createTable('alert_digests')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('subscription_id', 'integer', (c) => c.notNull().references('subscriptions.id').onDelete('cascade'))
    .addColumn('alert_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .alterTable('alerts')
    .addColumn('digest_id', 'integer', (c) => c.references('alert_digests.id').onDelete('set null'))
    .execute();
  await db.schema
    .createTable('digest_deliveries')
    .addColumn('digest_id', 'integer', (c) => c.notNull().references('alert_digests.id').onDelete('cascade'))
    .addColumn('channel_id', 'integer', (c) => c.notNull().references('subscription_channels.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('digest_deliveries_pk', ['digest_id', 'channel_id'])
    .execute();

  // Throttle counts and the Atom feed read a subscription's recent alerts.
  await db.schema.createIndex('alerts_subscription_created').on('alerts').columns(['subscription_id', 'created_at']).execute();
  await db.schema.createIndex('alerts_signal').on('alerts').column('signal_id').execute();
  await sql`create index alerts_digest_pending on alerts (subscription_id) where disposition = 'digest' and digest_id is null`.execute(db);
  // Resuming a paused channel re-sends what it has not delivered.
  await db.schema.createIndex('alert_deliveries_channel').on('alert_deliveries').columns(['channel_id', 'status']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('alert_deliveries_channel').ifExists().execute();
  await db.schema.dropIndex('alerts_digest_pending').ifExists().execute();
  await db.schema.dropIndex('alerts_signal').ifExists().execute();
  await db.schema.dropIndex('alerts_subscription_created').ifExists().execute();
  await db.schema.dropTable('digest_deliveries').ifExists().execute();
  await db.schema.alterTable('alerts').dropColumn('digest_id').execute();
  await db.schema.dropTable('alert_digests').ifExists().execute();
  await db.schema.dropIndex('subscription_channels_atom_token').ifExists().execute();
  await db.schema.dropIndex('subscription_channels_subscription').ifExists().execute();
  await db.schema.alterTable('subscription_channels').dropColumn('paused_at').execute();
  await db.schema.dropIndex('subscriptions_digest_due').ifExists().execute();
  await db.schema.alterTable('subscriptions').dropColumn('next_digest_at').execute();
}
