import type { FastifyInstance, FastifyRequest } from 'fastify';
import { atomUrl } from '@radar/svc-alerter';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { prepareSubscription, subscriptionSchema } from '@radar/alerts';
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
}
