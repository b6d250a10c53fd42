import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { filtersSchema, type SubscriptionFilters } from './filters.js';
import { nextDigestAt, validTime, validTimezone, type DeliveryMode } from './schedule.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });

/** A new random token for a private Atom feed URL (192 bits, URL-safe). */
export function newFeedToken(): string {
  return randomBytes(24).toString('base64url');
}

/** One delivery channel as given by a user; `config` is what is stored. */
export const channelSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('webhook'),
    url: httpUrl,
    /** Signs every request (HMAC-SHA256); strongly advised. */
    secret: z.string().min(8, { error: 'a secret of at least 8 characters' }).optional(),
  }),
  z.object({ kind: z.literal('slack'), url: httpUrl }),
  z.object({ kind: z.literal('email'), to: z.email({ error: 'an e-mail address' }) }),
  z.object({
    kind: z.literal('atom'),
    token: z
      .string()
      .regex(/^[A-Za-z0-9_-]{20,100}$/, { error: 'at least 20 URL-safe characters' })
      .optional(),
  }),
]);
export type ChannelInput = z.input<typeof channelSchema>;
export type ChannelKind = ChannelInput['kind'];

export const subscriptionSchema = z
  .object({
    owner: z.string().trim().min(1).max(200),
    name: z.string().trim().min(1).max(200),
    filters: filtersSchema,
    mode: z.enum(['immediate', 'digest', 'throttle']).default('immediate'),
    /** Default: daily for digests, hourly for the digest that gathers a throttle's overflow. */
    digestEvery: z.enum(['hour', 'day']).optional(),
    /** HH:MM local time of a daily digest; for an hourly one only the minutes count. */
    digestAt: z.string().refine(validTime, { error: 'a time as HH:MM' }).default('08:00'),
    timezone: z.string().refine(validTimezone, { error: 'an IANA time zone such as Asia/Shanghai' }).default('Asia/Shanghai'),
    /** Throttle: alerts sent at once in any hour; the rest wait for the next digest. */
    maxPerHour: z.number().int().min(1).max(100_000).optional(),
    channels: z.array(channelSchema).min(1, { error: 'at least one channel (webhook, slack, email or atom)' }),
  })
  .superRefine((s, ctx) => {
    if (s.mode === 'throttle' && !s.maxPerHour) ctx.addIssue({ code: 'custom', path: ['maxPerHour'], message: 'throttle mode needs a maximum per hour' });
    if (s.mode !== 'throttle' && s.maxPerHour) ctx.addIssue({ code: 'custom', path: ['maxPerHour'], message: 'a maximum per hour needs throttle mode' });
  });
export type SubscriptionInput = z.input<typeof subscriptionSchema>;

/** A validated subscription in the shape the repository stores. */
export interface PreparedSubscription {
  owner: string;
  name: string;
  filters: SubscriptionFilters;
  mode: DeliveryMode;
  digest_every: 'hour' | 'day';
  digest_at: string;
  timezone: string;
  throttle_per_hour: number | null;
  next_digest_at: Date | null;
  channels: { kind: ChannelKind; config: Record<string, unknown> }[];
}

/**
 * Validates a subscription (throws a ZodError naming each problem), fills in defaults, gives an
 * Atom channel its secret token and schedules the first digest.
 */
export function prepareSubscription(input: SubscriptionInput, now = new Date()): PreparedSubscription {
  const s = subscriptionSchema.parse(input);
  const every = s.digestEvery ?? (s.mode === 'throttle' ? 'hour' : 'day');
  return {
    owner: s.owner,
    name: s.name,
    filters: s.filters,
    mode: s.mode,
    digest_every: every,
    digest_at: s.digestAt,
    timezone: s.timezone,
    throttle_per_hour: s.maxPerHour ?? null,
    next_digest_at: s.mode === 'immediate' ? null : nextDigestAt({ every, at: s.digestAt, timezone: s.timezone }, now),
    channels: s.channels.map(({ kind, ...config }) => ({
      kind,
      config: kind === 'atom' ? { token: (config as { token?: string }).token ?? newFeedToken() } : config,
    })),
  };
}
