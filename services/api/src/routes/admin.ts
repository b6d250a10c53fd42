import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TOKEN_SCOPES, type Feed, type TokenInfo } from '@radar/db';
import { SsrfGuard } from '@radar/feeds';
import { JOB_NAMES, type JobName } from '@radar/queue';
import type { ApiContext } from '../context.js';
import { notFound } from '../errors.js';
import { errorOut, idPath, text } from '../schemas.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

const feedOut = z.object({
  id: z.number().int(),
  url: z.string(),
  title: z.string().nullable(),
  active: z.boolean(),
  health: z.string(),
  last_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  error_count: z.number().int(),
  item_count: z.number().int(),
  poll_interval_s: z.number().int(),
  next_poll_at: z.string(),
  last_polled_at: z.string().nullable(),
  last_success_at: z.string().nullable(),
  last_new_item_at: z.string().nullable(),
  created_at: z.string(),
});
function feedView(f: Feed): z.output<typeof feedOut> {
  return {
    id: f.id,
    url: f.url,
    title: f.title,
    active: f.active,
    health: f.health,
    last_status: f.last_status,
    last_error: f.last_error,
    error_count: f.error_count,
    item_count: f.item_count,
    poll_interval_s: f.poll_interval_s,
    next_poll_at: f.next_poll_at.toISOString(),
    last_polled_at: iso(f.last_polled_at),
    last_success_at: iso(f.last_success_at),
    last_new_item_at: iso(f.last_new_item_at),
    created_at: f.created_at.toISOString(),
  };
}

const tokenOut = z.object({
  id: z.number().int(),
  prefix: z.string(),
  owner: z.string(),
  scopes: z.array(z.string()),
  name: z.string().nullable(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
function tokenView(t: TokenInfo): z.output<typeof tokenOut> {
  return { ...t, created_at: t.created_at.toISOString(), last_used_at: iso(t.last_used_at), revoked_at: iso(t.revoked_at) };
}

export const owner = text(100).regex(/^[A-Za-z0-9._@+-]+$/, { error: 'letters, digits and . _ @ + -' });
const feedUrl = z
  .string()
  .max(2048, { error: 'at most 2048 characters' })
  .refine(
    (v) => {
      try {
        return ['http:', 'https:'].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { error: 'an http or https URL' },
  )
  .transform((v) => new URL(v).href);
const stage = z.enum(JOB_NAMES as [JobName, ...JobName[]]);

/** Operators: feeds, tokens and failed jobs (admin scope). */
export function adminRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { repos, queues } = ctx.rt;
  const admin = { access: 'admin' as const };
  // The crawler's guard, with the same FETCH_ALLOW_HOSTS: a feed it would refuse at every poll
  // is refused when it is added.
  const guard = new SsrfGuard(ctx.rt.settings.FETCH_ALLOW_HOSTS);

  r.get('/v1/feeds', {
    config: admin,
    schema: { summary: 'Feeds with their health', tags: ['feeds'], response: { 200: z.object({ data: z.array(feedOut) }) } },
  }, async () => ({ data: (await repos.feeds.list()).map(feedView) }));

  r.post('/v1/feeds', {
    config: admin,
    schema: {
      summary: 'Add a feed (adding one twice is harmless)',
      description:
        'A URL the crawler would refuse to fetch is a 400: a literal IP address of this machine, the private network or a ' +
        'metadata service (169.254.169.254), or localhost, unless FETCH_ALLOW_HOSTS names it. A name that resolves to such an ' +
        'address is refused when it is polled.',
      tags: ['feeds'],
      body: z.object({ url: feedUrl, title: text(500).optional() }).strict(),
      response: { 200: feedOut, 201: feedOut, 400: errorOut },
    },
  }, async (req, reply) => {
    const refused = guard.urlRefusal(req.body.url);
    if (refused) return reply.code(400).send({ error: 'Bad Request', message: `url: ${refused}`, field: 'url' });
    const { feed, created } = await repos.feeds.add(req.body.url, req.body.title ?? null);
    // The scheduler would pick it up on its next tick; ask for one now.
    if (created) await queues.enqueue('poll-feeds', { at: `api-${Date.now()}` }).catch(() => undefined);
    return reply.code(created ? 201 : 200).send(feedView(feed));
  });

  r.delete('/v1/feeds/:id', {
    config: admin,
    schema: { summary: 'Remove a feed (its signals stay)', tags: ['feeds'], params: idPath, response: { 204: z.null().describe('Done'), 400: errorOut, 404: errorOut } },
  }, async (req, reply) => {
    if (!(await repos.feeds.remove(req.params.id))) return reply.code(404).send(notFound(`feed ${req.params.id}`));
    return reply.code(204).send(null);
  });

  r.post('/v1/feeds/:id/poll', {
    config: admin,
    schema: {
      summary: 'Poll a feed now',
      tags: ['feeds'],
      params: idPath,
      response: { 202: z.object({ id: z.number().int(), queued: z.boolean() }), 400: errorOut, 404: errorOut },
    },
  }, async (req, reply) => {
    if (!(await repos.feeds.pollNow(req.params.id))) return reply.code(404).send(notFound(`feed ${req.params.id}`));
    await queues.enqueue('poll-feeds', { at: `api-${Date.now()}` });
    return reply.code(202).send({ id: req.params.id, queued: true });
  });

  r.get('/v1/tokens', {
    config: admin,
    schema: {
      summary: 'API tokens (never their secrets)',
      tags: ['tokens'],
      querystring: z.object({ owner: owner.optional(), include_revoked: z.enum(['true', 'false']).default('false') }),
      response: { 200: z.object({ data: z.array(tokenOut) }), 400: errorOut },
    },
  }, async (req) => ({
    data: (await repos.tokens.list({ owner: req.query.owner, includeRevoked: req.query.include_revoked === 'true' })).map(tokenView),
  }));

  r.post('/v1/tokens', {
    config: admin,
    schema: {
      summary: 'Create a token; its secret is in this answer only',
      tags: ['tokens'],
      body: z.object({ owner, scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(3), name: text(200).optional() }).strict(),
      response: { 201: tokenOut.extend({ token: z.string() }), 400: errorOut },
    },
  }, async (req, reply) => {
    const { token, info } = await repos.tokens.create(req.body.owner, req.body.scopes, req.body.name ?? null);
    return reply.code(201).send({ ...tokenView(info), token });
  });

  r.delete('/v1/tokens/:id', {
    config: admin,
    schema: { summary: 'Revoke a token', tags: ['tokens'], params: idPath, response: { 204: z.null().describe('Done'), 400: errorOut, 404: errorOut } },
  }, async (req, reply) => {
    if (!(await repos.tokens.revoke(req.params.id))) return reply.code(404).send(notFound(`live token ${req.params.id}`));
    ctx.forgetTokens();
    return reply.code(204).send(null);
  });

  const failedOut = z.object({
    stage: z.string(),
    queue: z.string(),
    id: z.string(),
    data: z.unknown(),
    attempts: z.number().int(),
    reason: z.string(),
    failed_at: z.string().nullable(),
  });
  r.get('/v1/jobs/failed', {
    config: admin,
    schema: {
      summary: 'Jobs that failed after their last attempt, with why',
      tags: ['jobs'],
      querystring: z.object({ stage: stage.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      response: { 200: z.object({ data: z.array(failedOut) }), 400: errorOut },
    },
  }, async (req) => {
    const jobs = (await queues.failed(req.query.limit)).filter((j) => !req.query.stage || j.name === req.query.stage);
    return {
      data: jobs.slice(0, req.query.limit).map((j) => ({
        stage: j.name,
        queue: j.queue,
        id: j.id,
        data: j.data,
        attempts: j.attemptsMade,
        reason: j.failedReason,
        failed_at: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
      })),
    };
  });

  r.post('/v1/jobs/failed/retry', {
    config: admin,
    schema: {
      summary: 'Run failed jobs again (all, one stage, or one job)',
      tags: ['jobs'],
      body: z
        .object({ stage: stage.optional(), id: text(300).optional() })
        .strict()
        .refine((b) => b.id === undefined || b.stage !== undefined, { error: 'a job id needs its stage', path: ['stage'] })
        .optional(),
      response: { 200: z.object({ retried: z.number().int() }), 400: errorOut, 404: errorOut },
    },
  }, async (req, reply) => {
    const { stage: only, id } = req.body ?? {};
    if (only && id !== undefined) {
      const job = await queues.queue(only).getJob(id);
      if (!job || !(await job.isFailed())) return reply.code(404).send(notFound(`failed ${only} job ${id}`));
      await job.retry('failed');
      return { retried: 1 };
    }
    return { retried: await queues.retryFailed(only) };
  });
}
