import { sql, type Kysely, type Transaction } from 'kysely';
import type { ChannelKind, Database, Label, SubscriptionMode } from '../types.js';

/** A signal with the article text keyword matching reads. */
export interface MatchSignalRow {
  id: number;
  article_id: number;
  story_id: number | null;
  title: string | null;
  url: string;
  source: string;
  lang: string | null;
  labels: { areas: Label[]; districts: Label[] };
  beijing: boolean;
  max_score: number;
  summary: string | null;
  body: string | null;
}

/** One story of an alert, as channels render it. */
export interface AlertStoryRow {
  alert_id: number;
  story_id: number;
  signal_id: number;
  title: string | null;
  url: string;
  source: string;
  lang: string | null;
  published_at: Date | null;
  summary: string | null;
  beijing: boolean;
  beijing_score: number;
  labels: { areas: Label[]; districts: Label[] };
  created_at: Date;
}

export interface FanOutTarget {
  subscriptionId: number;
  mode: SubscriptionMode;
  throttlePerHour: number | null;
}

export interface FannedOutAlert {
  alertId: number;
  subscriptionId: number;
  disposition: 'immediate' | 'digest';
  /** False when an earlier run of the same job had already recorded it. */
  created: boolean;
  /** Channels to push this alert to now (not paused, not Atom, not yet delivered). */
  push: { channelId: number; kind: ChannelKind }[];
}

type Decide = (mode: SubscriptionMode, sentInLastHour: number, perHour: number | null) => 'immediate' | 'digest';
type DeliveryTable = 'alert_deliveries' | 'digest_deliveries';

/** All SQL about alerts, digests and their deliveries. */
export class AlertRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The signal and its article's text, in one query. */
  async signalForMatching(signalId: number): Promise<MatchSignalRow | undefined> {
    return (await this.signalsForMatching([signalId]))[0];
  }

  /** The signals of `signalIds` that exist, with their article's text, in one query. */
  signalsForMatching(signalIds: number[]): Promise<MatchSignalRow[]> {
    if (!signalIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('signals as s')
      .innerJoin('articles as a', 'a.id', 's.article_id')
      .select(['s.id', 's.article_id', 's.story_id', 's.title', 's.url', 's.source', 's.lang', 's.labels', 's.beijing', 's.max_score', 'a.summary', 'a.body'])
      .where('s.id', 'in', signalIds)
      .execute();
  }

  /**
   * Records the alerts of one matched signal and their deliveries, in one transaction. The
   * unique (subscription, story) key makes this safe to repeat: a story already alerted from
   * another signal adds nothing, and a re-run for the same signal returns the same alerts
   * (so a job that died after this call but before enqueueing still fans out on retry).
   * Throttled subscriptions are serialised by an advisory lock while their last hour is counted.
   */
  async fanOut(signalId: number, storyKey: number, targets: FanOutTarget[], decide: Decide): Promise<FannedOutAlert[]> {
    if (!targets.length) return [];
    return this.db.transaction().execute(async (trx) => {
      const rows: { subscription_id: number; story_id: number; signal_id: number; disposition: 'immediate' | 'digest' }[] = [];
      for (const t of [...targets].sort((a, b) => a.subscriptionId - b.subscriptionId)) {
        let sent = 0;
        if (t.mode === 'throttle') {
          await sql`select pg_advisory_xact_lock(${0x7261646172}::bigint + ${t.subscriptionId})`.execute(trx);
          const r = await trx
            .selectFrom('alerts')
            .select(sql<number>`count(*)::int`.as('n'))
            .where('subscription_id', '=', t.subscriptionId)
            .where('disposition', '=', 'immediate')
            .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
            .executeTakeFirstOrThrow();
          sent = r.n;
        }
        rows.push({ subscription_id: t.subscriptionId, story_id: storyKey, signal_id: signalId, disposition: decide(t.mode, sent, t.throttlePerHour) });
      }
      const inserted = await trx
        .insertInto('alerts')
        .values(rows)
        .onConflict((oc) => oc.columns(['subscription_id', 'story_id']).doNothing())
        .returning('id')
        .execute();
      const created = new Set(inserted.map((r) => r.id));
      const mine = await trx
        .selectFrom('alerts')
        .select(['id', 'subscription_id', 'disposition'])
        .where('signal_id', '=', signalId)
        .where(
          'subscription_id',
          'in',
          targets.map((t) => t.subscriptionId),
        )
        .execute();
      if (!mine.length) return [];
      const channels = await trx
        .selectFrom('subscription_channels')
        .select(['id', 'subscription_id', 'kind', 'paused'])
        .where(
          'subscription_id',
          'in',
          mine.map((a) => a.subscription_id),
        )
        .execute();
      // Atom entries are "delivered" when written: the feed reads them from here. Digest alerts
      // are pushed later, inside their digest.
      const deliveries = mine.flatMap((a) =>
        channels
          .filter((c) => c.subscription_id === a.subscription_id && (a.disposition === 'immediate' || c.kind === 'atom'))
          .map((c) => ({
            alert_id: a.id,
            channel_id: c.id,
            status: c.kind === 'atom' ? ('sent' as const) : ('pending' as const),
            delivered_at: c.kind === 'atom' ? sql<Date>`now()` : null,
          })),
      );
      if (deliveries.length) {
        await trx.insertInto('alert_deliveries').values(deliveries).onConflict((oc) => oc.columns(['alert_id', 'channel_id']).doNothing()).execute();
      }
      const unsent = await this.unsent(trx, 'alert_deliveries', 'alert_id', mine.map((a) => a.id));
      return mine.map((a) => ({
        alertId: a.id,
        subscriptionId: a.subscription_id,
        disposition: a.disposition,
        created: created.has(a.id),
        push: a.disposition === 'immediate' ? channels
          .filter((c) => c.subscription_id === a.subscription_id && c.kind !== 'atom' && !c.paused && unsent.has(`${a.id}:${c.id}`))
          .map((c) => ({ channelId: c.id, kind: c.kind })) : [],
      }));
    });
  }

  private async unsent(trx: Transaction<Database>, table: DeliveryTable, key: 'alert_id' | 'digest_id', ids: number[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await sql<{ k: number; channel_id: number }>`select ${sql.ref(key)} as k, channel_id from ${sql.table(table)}
      where ${sql.ref(key)} in (${sql.join(ids)}) and status <> 'sent'`.execute(trx);
    return new Set(rows.rows.map((r) => `${r.k}:${r.channel_id}`));
  }

  /** The stories of these alerts, in the order of the ids given. */
  async stories(alertIds: number[]): Promise<AlertStoryRow[]> {
    if (!alertIds.length) return [];
    const rows = await this.db
      .selectFrom('alerts as al')
      .innerJoin('signals as s', 's.id', 'al.signal_id')
      .innerJoin('articles as a', 'a.id', 's.article_id')
      .select([
        'al.id as alert_id',
        'al.story_id',
        's.id as signal_id',
        's.title',
        's.url',
        's.source',
        's.lang',
        's.published_at',
        'a.summary',
        's.beijing',
        's.beijing_score',
        's.labels',
        'al.created_at',
      ])
      .where('al.id', 'in', alertIds)
      .execute();
    const byId = new Map(rows.map((r) => [r.alert_id, r]));
    return alertIds.flatMap((id) => byId.get(id) ?? []);
  }

  /** The newest alerts of a subscription (the Atom feed), newest first. */
  async recentAlertIds(subscriptionId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .select('id')
      .where('subscription_id', '=', subscriptionId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** A delivery row (status and attempts) of an alert or a digest on one channel. */
  async delivery(kind: 'alert' | 'digest', id: number, channelId: number): Promise<{ status: string; attempts: number } | undefined> {
    const r = await sql<{ status: string; attempts: number }>`select status, attempts from ${sql.table(kind === 'alert' ? 'alert_deliveries' : 'digest_deliveries')}
      where ${sql.ref(kind === 'alert' ? 'alert_id' : 'digest_id')} = ${id} and channel_id = ${channelId}`.execute(this.db);
    return r.rows[0];
  }

  /** Counts an attempt and its outcome; a delivered row is never touched again. */
  async recordAttempt(kind: 'alert' | 'digest', id: number, channelId: number, outcome: { ok: true } | { ok: false; error: string; final: boolean }): Promise<void> {
    const table: DeliveryTable = kind === 'alert' ? 'alert_deliveries' : 'digest_deliveries';
    const key = kind === 'alert' ? 'alert_id' : 'digest_id';
    const set = outcome.ok
      ? sql`status = 'sent', delivered_at = now(), attempts = attempts + 1, last_error = null`
      : sql`status = ${outcome.final ? 'failed' : 'pending'}, attempts = attempts + 1, last_error = ${outcome.error.slice(0, 1000)}`;
    await sql`update ${sql.table(table)} set ${set} where ${sql.ref(key)} = ${id} and channel_id = ${channelId} and status <> 'sent'`.execute(this.db);
  }

  /** Undelivered alerts and digests of a channel (to send again when it is resumed). */
  async undelivered(channelId: number): Promise<{ alerts: number[]; digests: number[] }> {
    const a = await this.db.selectFrom('alert_deliveries').select('alert_id').where('channel_id', '=', channelId).where('status', '<>', 'sent').orderBy('alert_id').execute();
    const d = await this.db.selectFrom('digest_deliveries').select('digest_id').where('channel_id', '=', channelId).where('status', '<>', 'sent').orderBy('digest_id').execute();
    return { alerts: a.map((r) => r.alert_id), digests: d.map((r) => r.digest_id) };
  }

  /**
   * Takes a due digest: moves the subscription's next digest time on and gathers its waiting
   * alerts into one digest with a delivery row per pushing channel. `for update skip locked`
   * lets several schedulers run at once without sending a digest twice. Returns null when the
   * digest was not due (any more) or had nothing to send.
   */
  async claimDigest(subscriptionId: number, now: Date, next: Date): Promise<{ digestId: number; channelIds: number[] } | null> {
    return this.db.transaction().execute(async (trx) => {
      const sub = await trx
        .selectFrom('subscriptions')
        .select('id')
        .where('id', '=', subscriptionId)
        .where('next_digest_at', '<=', now)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!sub) return null;
      await trx.updateTable('subscriptions').set({ next_digest_at: next, last_digest_at: now }).where('id', '=', subscriptionId).execute();
      const waiting = await trx
        .selectFrom('alerts')
        .select('id')
        .where('subscription_id', '=', subscriptionId)
        .where('disposition', '=', 'digest')
        .where('digest_id', 'is', null)
        .orderBy('id')
        .execute();
      if (!waiting.length) return null;
      const digest = await trx
        .insertInto('alert_digests')
        .values({ subscription_id: subscriptionId, alert_count: waiting.length })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('alerts')
        .set({ digest_id: digest.id, digested_at: now })
        .where('id', 'in', waiting.map((w) => w.id))
        .execute();
      const channels = await trx
        .selectFrom('subscription_channels')
        .select('id')
        .where('subscription_id', '=', subscriptionId)
        .where('kind', '<>', 'atom')
        .execute();
      if (channels.length) await trx.insertInto('digest_deliveries').values(channels.map((c) => ({ digest_id: digest.id, channel_id: c.id }))).execute();
      return { digestId: digest.id, channelIds: channels.map((c) => c.id) };
    });
  }

  /** The alerts a digest lists, oldest first. */
  async digestAlertIds(digestId: number): Promise<{ subscriptionId: number; alertIds: number[] } | undefined> {
    const d = await this.db.selectFrom('alert_digests').select('subscription_id').where('id', '=', digestId).executeTakeFirst();
    if (!d) return undefined;
    const rows = await this.db.selectFrom('alerts').select('id').where('digest_id', '=', digestId).orderBy('id').execute();
    return { subscriptionId: d.subscription_id, alertIds: rows.map((r) => r.id) };
  }

  /** Per subscription: alerts raised, and per channel: deliveries sent and not yet sent. */
  async counts(subscriptionIds: number[]): Promise<{ alerts: Map<number, number>; channels: Map<number, { sent: number; unsent: number }> }> {
    const alerts = new Map<number, number>();
    const channels = new Map<number, { sent: number; unsent: number }>();
    if (!subscriptionIds.length) return { alerts, channels };
    const a = await this.db
      .selectFrom('alerts')
      .select(['subscription_id', sql<number>`count(*)::int`.as('n')])
      .where('subscription_id', 'in', subscriptionIds)
      .groupBy('subscription_id')
      .execute();
    for (const r of a) alerts.set(r.subscription_id, r.n);
    const d = await sql<{ channel_id: number; sent: number; unsent: number }>`
      select channel_id, count(*) filter (where status = 'sent')::int as sent, count(*) filter (where status <> 'sent')::int as unsent
      from (select channel_id, status from alert_deliveries union all select channel_id, status from digest_deliveries) x
      where channel_id in (select id from subscription_channels where subscription_id in (${sql.join(subscriptionIds)}))
      group by channel_id`.execute(this.db);
    for (const r of d.rows) channels.set(r.channel_id, { sent: r.sent, unsent: r.unsent });
    return { alerts, channels };
  }

  /**
   * The newest deliveries of a subscription on every channel, alerts and digests together
   * (what its owner sees on the web page): status, attempts, last error, and what was sent.
   */
  async recentDeliveries(subscriptionId: number, limit: number): Promise<RecentDelivery[]> {
    const res = await sql<RecentDelivery>`select * from (
        select 'alert' as kind, d.alert_id as id, d.channel_id, c.kind as channel_kind, d.status, d.attempts, d.last_error,
          d.delivered_at, d.created_at, s.id as signal_id, s.title, 1 as stories
        from alert_deliveries d join alerts a on a.id = d.alert_id join subscription_channels c on c.id = d.channel_id
          left join signals s on s.id = a.signal_id
        where a.subscription_id = ${subscriptionId}
        union all
        select 'digest', d.digest_id, d.channel_id, c.kind, d.status, d.attempts, d.last_error,
          d.delivered_at, d.created_at, null, null, g.alert_count
        from digest_deliveries d join alert_digests g on g.id = d.digest_id join subscription_channels c on c.id = d.channel_id
        where g.subscription_id = ${subscriptionId}
      ) x order by created_at desc, id desc limit ${limit}`.execute(this.db);
    return res.rows;
  }
}

/** One delivery of an alert (one story) or a digest (several) on one channel. */
export interface RecentDelivery {
  kind: 'alert' | 'digest';
  /** The alert's or the digest's id. */
  id: number;
  channel_id: number;
  channel_kind: ChannelKind;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
  /** An alert's signal and title (null for a digest). */
  signal_id: number | null;
  title: string | null;
  /** Stories it carried. */
  stories: number;
}
