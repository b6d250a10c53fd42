import type { FastifyInstance, FastifyRequest } from 'fastify';
import { atomUrl, createSenders, sampleStory, taxonomyLookups } from '@radar/svc-alerter';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { prepareSubscription, subscriptionSchema, unknownTaxonomyIds, type SubscriptionInput } from '@radar/alerts';
import type { SubscriptionWithChannels } from '@radar/db';
import { hasScope } from '../auth.js';
import type { ApiContext } from '../context.js';
import { notFound } from '../errors.js';
import { errorOut, idPath } from '../schemas.js';

const channelOut = z.object({
  id: z.number().int(),
  kind: z.string(),
  config: z.record(z.string(), z.unknown()),
  paused: z.boolean(),
  consecutive_failures: z.number().int(),
  last_error: z.string().nullable(),
  last_error_at: z.string().nullable(),
});
const subscriptionOut = z.object({
  id: z.number().int(),
  owner: z.string(),
  name: z.string(),
  filters: z.record(z.string(), z.unknown()),
  mode: z.string(),
  digest_every: z.string(),
  digest_at: z.string(),
  timezone: z.string(),
  throttle_per_hour: z.number().int().nullable(),
  paused: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  channels: z.array(channelOut),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A subscription as its owner sees it; a webhook's signing secret is never shown again. */
function view(s: SubscriptionWithChannels, publicBaseUrl: string): z.output<typeof subscriptionOut> {
  return {
    id: s.id,
    owner: s.owner,
    name: s.name,
    filters: s.filters,
    mode: s.mode,
    digest_every: s.digest_every,
    digest_at: s.digest_at,
    timezone: s.timezone,
    throttle_per_hour: s.throttle_per_hour,
    paused: s.paused,
    created_at: s.created_at.toISOString(),
    updated_at: s.updated_at.toISOString(),
    channels: s.channels.map((c) => ({
      id: c.id,
      kind: c.kind,
      config:
        c.kind === 'atom'
          ? { ...c.config, url: atomUrl(publicBaseUrl, String(c.config['token'])) }
          : 'secret' in c.config
            ? { ...c.config, secret: '(set)' }
            : c.config,
      paused: c.paused,
      consecutive_failures: c.consecutive_failures,
      last_error: c.last_error,
      last_error_at: iso(c.last_error_at),
    })),
  };
}

/** An analyst sees and changes only their own subscriptions; admin tokens see everyone's. */
function ownerFilter(req: FastifyRequest): string | undefined {
  return hasScope(req.principal!, 'admin') ? undefined : req.principal!.owner;
}

export function subscriptionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const subs = ctx.rt.repos.subscriptions;
  const access = { access: 'subscriptions:write' as const };
  const show = (s: SubscriptionWithChannels) => view(s, ctx.rt.settings.PUBLIC_BASE_URL);
  const ids = { areas: ctx.vocab.areas, districts: ctx.vocab.districts, clusters: Object.keys(ctx.vocab.clusters) };
  /** A 400 naming the first filter id the taxonomy does not know (they would match nothing), or null. */
  const unknownIds = (filters: SubscriptionInput['filters']) => {
    const issues = unknownTaxonomyIds(filters, ids).map(({ field, message }) => ({ field, message }));
    const first = issues[0];
    return first ? { error: 'Bad Request', message: `${first.field}: ${first.message}`, field: first.field, issues } : null;
  };

  /** Loads a subscription the caller may see; another owner's is answered 404, like a missing one. */
  const load = async (req: FastifyRequest, id: number) => {
    const s = await subs.withChannels(id);
    const owner = ownerFilter(req);
    return s && (owner === undefined || s.owner === owner) ? s : undefined;
  };

  r.get('/v1/subscriptions', {
    config: access,
    schema: {
      summary: 'Your subscriptions (admin: everyone\'s)',
      tags: ['subscriptions'],
      response: { 200: z.object({ data: z.array(subscriptionOut) }) },
    },
  }, async (req) => ({ data: (await subs.list(ownerFilter(req))).map(show) }));

  r.post('/v1/subscriptions', {
    config: access,
    // The owner is the token's owner, whatever the body says (an admin may name another).
    preValidation: async (req) => {
      const body = req.body;
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        const b = body as Record<string, unknown>;
        if (!(hasScope(req.principal!, 'admin') && typeof b['owner'] === 'string')) b['owner'] = req.principal!.owner;
      }
    },
    schema: {
      summary: 'Create a subscription',
      description:
        'Filters (areas, districts, clusters, beijing, keywords, sources, lang, minScore), a delivery mode (immediate, digest, ' +
        'throttle) and one or more channels (webhook, slack, email, atom). `owner` is taken from the token.',
      tags: ['subscriptions'],
      body: subscriptionSchema,
      response: { 201: subscriptionOut, 400: errorOut, 409: errorOut },
    },
  }, async (req, reply) => {
    const bad = unknownIds(req.body.filters);
    if (bad) return reply.code(400).send(bad);
    const prepared = prepareSubscription(req.body);
    if (await subs.byName(prepared.owner, prepared.name)) {
      return reply.code(409).send({ error: 'Conflict', message: `a subscription named "${prepared.name}" exists already`, field: 'name' });
    }
    const created = await subs.create(prepared);
    return reply.code(201).send(show(created));
  });

  r.get('/v1/subscriptions/:id', {
    config: access,
    schema: { summary: 'One of your subscriptions', tags: ['subscriptions'], params: idPath, response: { 200: subscriptionOut, 400: errorOut, 404: errorOut } },
  }, async (req, reply) => {
    const s = await load(req, req.params.id);
    return s ? show(s) : reply.code(404).send(notFound(`subscription ${req.params.id}`));
  });

  r.patch('/v1/subscriptions/:id', {
    config: access,
    schema: {
      summary: 'Pause or resume one of your subscriptions',
      tags: ['subscriptions'],
      params: idPath,
      body: z.object({ paused: z.boolean() }).strict(),
      response: { 200: subscriptionOut, 400: errorOut, 404: errorOut },
    },
  }, async (req, reply) => {
    if (!(await load(req, req.params.id))) return reply.code(404).send(notFound(`subscription ${req.params.id}`));
    await subs.setPaused(req.params.id, req.body.paused);
    return show((await subs.withChannels(req.params.id))!);
  });

  r.delete('/v1/subscriptions/:id', {
    config: access,
    schema: {
      summary: 'Delete one of your subscriptions',
      tags: ['subscriptions'],
      params: idPath,
      response: { 204: z.null().describe('Done'), 400: errorOut, 404: errorOut },
    },
  }, async (req, reply) => {
    if (!(await subs.remove(req.params.id, ownerFilter(req)))) return reply.code(404).send(notFound(`subscription ${req.params.id}`));
    return reply.code(204).send(null);
  });

  r.put('/v1/subscriptions/:id', {
    config: access,
    // The body is a whole subscription, as for POST; the owner stays the stored one.
    preValidation: async (req) => {
      const b = req.body;
      if (b && typeof b === 'object' && !Array.isArray(b)) (b as Record<string, unknown>)['owner'] = req.principal!.owner;
    },
    schema: {
      summary: 'Edit one of your subscriptions',
      description:
        'Replaces its name, filters, mode and channels (the body of POST). A channel given again unchanged keeps its id, ' +
        'failure streak and deliveries. Secrets are never shown, so a webhook given without `secret` keeps the one it has ' +
        '(same URL), and an Atom channel without `token` keeps its feed URL.',
      tags: ['subscriptions'],
      params: idPath,
      body: subscriptionSchema,
      response: { 200: subscriptionOut, 400: errorOut, 404: errorOut, 409: errorOut },
    },
  }, async (req, reply) => {
    const current = await load(req, req.params.id);
    if (!current) return reply.code(404).send(notFound(`subscription ${req.params.id}`));
    const bad = unknownIds(req.body.filters);
    if (bad) return reply.code(400).send(bad);
    const used = new Set<number>();
    const keep = (kind: string, match: (config: Record<string, unknown>) => boolean) => {
      const c = current.channels.find((e) => !used.has(e.id) && e.kind === kind && match(e.config));
      if (c) used.add(c.id);
      return c?.config;
    };
    const channels = req.body.channels.map((c) => {
      if (c.kind === 'webhook' && !c.secret) {
        const secret = keep('webhook', (k) => k['url'] === c.url && typeof k['secret'] === 'string')?.['secret'];
        return typeof secret === 'string' ? { ...c, secret } : c;
      }
      if (c.kind === 'atom' && !c.token) {
        const token = keep('atom', () => true)?.['token'];
        return typeof token === 'string' ? { ...c, token } : c;
      }
      return c;
    });
    const { owner, ...prepared } = prepareSubscription({ ...req.body, owner: current.owner, channels });
    const named = await subs.byName(owner, prepared.name);
    if (named && named.id !== current.id) {
      return reply.code(409).send({ error: 'Conflict', message: `a subscription named "${prepared.name}" exists already`, field: 'name' });
    }
    const updated = await subs.update(current.id, prepared);
    return updated ? show(updated) : reply.code(404).send(notFound(`subscription ${req.params.id}`));
  });

  let names: ReturnType<typeof taxonomyLookups>['names'] | undefined;
  r.post('/v1/subscriptions/:id/test', {
    config: access,
    schema: {
      summary: 'Send a sample alert through the channels of one of your subscriptions',
      description:
        'What `pnpm radar subscriptions test` does: each webhook, Slack and e-mail channel gets a sample alert now, and the ' +
        'answer says per channel whether it got through and, if not, why. An Atom channel lists real alerts only (its URL ' +
        'is given). Nothing is recorded: a failing test does not count towards pausing a channel.',
      tags: ['subscriptions'],
      params: idPath,
      querystring: z.object({ lang: z.enum(['en', 'zh']).default('en').describe('Language of the sample alert.') }),
      response: {
        200: z.object({
          results: z.array(
            z.object({ channel_id: z.number().int(), kind: z.string(), ok: z.boolean(), error: z.string().optional(), url: z.string().optional() }),
          ),
        }),
        400: errorOut,
        404: errorOut,
      },
    },
  }, async (req, reply) => {
    const s = await load(req, req.params.id);
    if (!s) return reply.code(404).send(notFound(`subscription ${req.params.id}`));
    names ??= taxonomyLookups(ctx.rt.settings.TAXONOMY_FILE).names;
    const senders = createSenders({ settings: ctx.rt.settings, names });
    const results: { channel_id: number; kind: string; ok: boolean; error?: string; url?: string }[] = [];
    try {
      for (const c of s.channels) {
        if (c.kind === 'atom') {
          results.push({ channel_id: c.id, kind: c.kind, ok: true, url: atomUrl(ctx.rt.settings.PUBLIC_BASE_URL, String(c.config['token'])) });
          continue;
        }
        const msg = {
          kind: 'test' as const,
          key: `radar:test:${s.id}:${c.id}:${Date.now()}`,
          subscription: { id: s.id, name: s.name, owner: s.owner },
          stories: [sampleStory(req.query.lang)],
        };
        try {
          await senders.send(c, msg);
          results.push({ channel_id: c.id, kind: c.kind, ok: true });
        } catch (err) {
          results.push({ channel_id: c.id, kind: c.kind, ok: false, error: (err as Error).message.slice(0, 500) });
        }
      }
    } finally {
      await senders.close();
    }
    return { results };
  });

  const deliveryOut = z.object({
    kind: z.enum(['alert', 'digest']),
    id: z.number().int().describe("The alert's or the digest's id."),
    channel_id: z.number().int(),
    channel_kind: z.string(),
    status: z.enum(['pending', 'sent', 'failed']),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    delivered_at: z.string().nullable(),
    created_at: z.string(),
    signal_id: z.number().int().nullable(),
    title: z.string().nullable(),
    stories: z.number().int(),
  });
  r.get('/v1/subscriptions/:id/deliveries', {
    config: access,
    schema: {
      summary: 'Recent deliveries of one of your subscriptions',
      description: 'Alerts and digests sent, or still being tried, on each channel, newest first, with attempts and the last error.',
      tags: ['subscriptions'],
      params: idPath,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(20).describe('How many (1..200, default 20).') }),
      response: { 200: z.object({ data: z.array(deliveryOut) }), 400: errorOut, 404: errorOut },
    },
  }, async (req, reply) => {
    if (!(await load(req, req.params.id))) return reply.code(404).send(notFound(`subscription ${req.params.id}`));
    const rows = await ctx.rt.repos.alerts.recentDeliveries(req.params.id, req.query.limit);
    return { data: rows.map((d) => ({ ...d, delivered_at: iso(d.delivered_at), created_at: d.created_at.toISOString() })) };
  });
}
