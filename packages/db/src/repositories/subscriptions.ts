import { sql, type Kysely } from 'kysely';
import type { ChannelKind, Database, Subscription, SubscriptionChannel, SubscriptionMode } from '../types.js';

export interface NewSubscriptionInput {
  owner: string;
  name: string;
  filters: Record<string, unknown>;
  mode: SubscriptionMode;
  digest_every: 'hour' | 'day';
  digest_at: string;
  timezone: string;
  throttle_per_hour: number | null;
  /** First digest time; null for immediate subscriptions. */
  next_digest_at: Date | null;
  channels: { kind: ChannelKind; config: Record<string, unknown> }[];
}

export interface SubscriptionWithChannels extends Subscription {
  channels: SubscriptionChannel[];
}

/** A channel with what a delivery needs of its subscription. */
export interface ChannelWithSubscription extends SubscriptionChannel {
  subscription: Subscription;
}

/** All SQL about subscriptions and their channels. */
export class SubscriptionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates a subscription and its channels in one transaction; (owner, name) is unique. */
  async create(input: NewSubscriptionInput): Promise<SubscriptionWithChannels> {
    const { channels, filters, ...row } = input;
    return this.db.transaction().execute(async (trx) => {
      const sub = await trx
        .insertInto('subscriptions')
        .values({ ...row, filters: JSON.stringify(filters) })
        .returningAll()
        .executeTakeFirstOrThrow();
      const chans = channels.length
        ? await trx
            .insertInto('subscription_channels')
            .values(channels.map((c) => ({ subscription_id: sub.id, kind: c.kind, config: JSON.stringify(c.config) })))
            .returningAll()
            .execute()
        : [];
      return { ...sub, channels: chans };
    });
  }

  get(id: number): Promise<Subscription | undefined> {
    return this.db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byName(owner: string, name: string): Promise<Subscription | undefined> {
    return this.db.selectFrom('subscriptions').selectAll().where('owner', '=', owner).where('name', '=', name).executeTakeFirst();
  }

  async withChannels(id: number): Promise<SubscriptionWithChannels | undefined> {
    const sub = await this.get(id);
    if (!sub) return undefined;
    return { ...sub, channels: await this.channelsOf([id]) };
  }

  /** Subscriptions (of one owner, or all) with their channels, oldest first. */
  async list(owner?: string): Promise<SubscriptionWithChannels[]> {
    let q = this.db.selectFrom('subscriptions').selectAll();
    if (owner) q = q.where('owner', '=', owner);
    const subs = await q.orderBy('id').execute();
    const chans = await this.channelsOf(subs.map((s) => s.id));
    return subs.map((s) => ({ ...s, channels: chans.filter((c) => c.subscription_id === s.id) }));
  }

  /** Deletes a subscription (its channels, alerts and deliveries go with it). */
  async remove(id: number, owner?: string): Promise<boolean> {
    let q = this.db.deleteFrom('subscriptions').where('id', '=', id);
    if (owner) q = q.where('owner', '=', owner);
    const res = await q.executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async setPaused(id: number, paused: boolean): Promise<boolean> {
    const res = await this.db.updateTable('subscriptions').set({ paused, updated_at: sql`now()` }).where('id', '=', id).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /**
   * Replaces what a subscription asks for and where it is delivered (its owner stays). A channel
   * given again with the same kind and config keeps its id, failure streak and deliveries; one
   * no longer given is removed with its deliveries; a new one is added. The changed updated_at
   * makes the alerter rebuild its index (see `version`).
   */
  async update(id: number, input: Omit<NewSubscriptionInput, 'owner'>): Promise<SubscriptionWithChannels | undefined> {
    const { channels, filters, ...row } = input;
    return this.db.transaction().execute(async (trx) => {
      const sub = await trx
        .updateTable('subscriptions')
        .set({ ...row, filters: JSON.stringify(filters), updated_at: sql`now()` })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (!sub) return undefined;
      const existing = await trx.selectFrom('subscription_channels').selectAll().where('subscription_id', '=', id).orderBy('id').execute();
      const key = (kind: string, config: unknown) => `${kind} ${canonicalJson(config)}`;
      const kept = new Set<number>();
      const added: typeof channels = [];
      for (const c of channels) {
        const same = existing.find((e) => !kept.has(e.id) && key(e.kind, e.config) === key(c.kind, c.config));
        if (same) kept.add(same.id);
        else added.push(c);
      }
      const gone = existing.filter((e) => !kept.has(e.id)).map((e) => e.id);
      if (gone.length) await trx.deleteFrom('subscription_channels').where('id', 'in', gone).execute();
      if (added.length) {
        await trx
          .insertInto('subscription_channels')
          .values(added.map((c) => ({ subscription_id: id, kind: c.kind, config: JSON.stringify(c.config) })))
          .execute();
      }
      const chans = await trx.selectFrom('subscription_channels').selectAll().where('subscription_id', '=', id).orderBy('id').execute();
      return { ...sub, channels: chans };
    });
  }

  /** What the matching index is built from: active subscriptions and their filters. */
  active(): Promise<Pick<Subscription, 'id' | 'filters'>[]> {
    return this.db.selectFrom('subscriptions').select(['id', 'filters']).where('paused', '=', false).orderBy('id').execute();
  }

  /**
   * Changes whenever a subscription is added, removed, paused or edited: the alerter rebuilds
   * its index when this differs from the one it was built at.
   */
  async version(): Promise<string> {
    const r = await sql<{ v: string }>`select count(*)::text || ':' || coalesce(sum(id), 0)::text || ':' ||
      coalesce(extract(epoch from max(updated_at))::text, '') as v from subscriptions`.execute(this.db);
    return r.rows[0]?.v ?? '';
  }

  /** Subscriptions by id (for the fan-out of a match). */
  many(ids: number[]): Promise<Subscription[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('subscriptions').selectAll().where('id', 'in', ids).orderBy('id').execute();
  }

  channelsOf(subscriptionIds: number[]): Promise<SubscriptionChannel[]> {
    if (!subscriptionIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('subscription_channels')
      .selectAll()
      .where('subscription_id', 'in', subscriptionIds)
      .orderBy('id')
      .execute();
  }

  async channel(id: number): Promise<ChannelWithSubscription | undefined> {
    const ch = await this.db.selectFrom('subscription_channels').selectAll().where('id', '=', id).executeTakeFirst();
    if (!ch) return undefined;
    const subscription = await this.get(ch.subscription_id);
    return subscription && { ...ch, subscription };
  }

  /** The Atom channel whose secret token is in the feed URL. */
  async byAtomToken(token: string): Promise<ChannelWithSubscription | undefined> {
    const ch = await this.db
      .selectFrom('subscription_channels')
      .selectAll()
      .where('kind', '=', 'atom')
      .where(sql<string>`config->>'token'`, '=', token)
      .executeTakeFirst();
    if (!ch) return undefined;
    const subscription = await this.get(ch.subscription_id);
    return subscription && { ...ch, subscription };
  }

  /**
   * Records a failed delivery attempt on the channel (its error stays visible to the owner).
   * A delivery that failed for good (`final`) extends the channel's failure streak, and the
   * channel is paused once the streak reaches `pauseAfter`. Returns whether it is now paused.
   */
  async recordChannelFailure(id: number, error: string, final: boolean, pauseAfter: number): Promise<boolean> {
    const streak = final ? sql<number>`consecutive_failures + 1` : sql<number>`consecutive_failures`;
    const row = await this.db
      .updateTable('subscription_channels')
      .set({
        consecutive_failures: streak,
        last_error: error.slice(0, 1000),
        last_error_at: sql`now()`,
        paused: sql`paused or ${streak} >= ${pauseAfter}`,
        paused_at: sql`case when not paused and ${streak} >= ${pauseAfter} then now() else paused_at end`,
      })
      .where('id', '=', id)
      .returning('paused')
      .executeTakeFirst();
    return row?.paused ?? false;
  }

  /** A delivery got through: the channel's failure streak ends (its last error stays visible). */
  async recordChannelSuccess(id: number): Promise<void> {
    await this.db
      .updateTable('subscription_channels')
      .set({ consecutive_failures: 0 })
      .where('id', '=', id)
      .where('consecutive_failures', '>', 0)
      .execute();
  }

  /** Un-pauses channels (one, or all of a subscription); returns the ids resumed. */
  async resumeChannels(subscriptionId: number, channelId?: number): Promise<number[]> {
    let q = this.db
      .updateTable('subscription_channels')
      .set({ paused: false, paused_at: null, consecutive_failures: 0 })
      .where('subscription_id', '=', subscriptionId)
      .where('paused', '=', true);
    if (channelId) q = q.where('id', '=', channelId);
    const rows = await q.returning('id').execute();
    return rows.map((r) => r.id);
  }

  /** Subscriptions whose digest is due, for the digest scheduler. */
  dueDigests(now: Date, limit: number): Promise<Subscription[]> {
    return this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('next_digest_at', '<=', now)
      .where('paused', '=', false)
      .orderBy('next_digest_at')
      .limit(limit)
      .execute();
  }
}

/** JSON with object keys sorted, so two configs compare equal whatever order their keys came in. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}
