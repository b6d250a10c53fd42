import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pendingMigrations } from '@radar/db';
import type { ApiContext } from '../context.js';

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const checkOut = z.object({ ok: z.boolean(), error: z.string().optional() });

/** Operators: liveness, readiness and Prometheus metrics (no token needed). */
export function opsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const open = { access: 'public' as const, rateLimit: false as const };

  r.get('/healthz', {
    config: open,
    schema: { summary: 'The process is up', tags: ['operations'], response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));

  r.get('/readyz', {
    config: open,
    schema: {
      summary: 'Redis and the database answer, and the schema is current',
      tags: ['operations'],
      response: {
        200: z.object({ ready: z.boolean(), checks: z.record(z.string(), checkOut) }),
        503: z.object({ ready: z.boolean(), checks: z.record(z.string(), checkOut) }),
      },
    },
  }, async (_req, reply) => {
    const run = async (fn: () => Promise<string | null>) => {
      try {
        const problem = await within(fn(), 2000);
        return problem ? { ok: false, error: problem } : { ok: true };
      } catch (err) {
        return { ok: false, error: (err as Error).message };
      }
    };
    const [database, redis, schema] = await Promise.all([
      run(async () => ((await ctx.rt.repos.ops.ping()) ? null : 'no answer')),
      run(async () => ((await ctx.rt.queues.connection.ping()) === 'PONG' ? null : 'no PONG')),
      run(async () => {
        const pending = await pendingMigrations(ctx.rt.dbh);
        return pending.length ? `migrations not applied: ${pending.join(', ')}` : null;
      }),
    ]);
    const checks = { database, redis, schema };
    const ready = database.ok && redis.ok && schema.ok;
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });

  r.get('/metrics', {
    config: open,
    schema: { summary: 'Prometheus metrics', tags: ['operations'], produces: ['text/plain'] },
  }, async (_req, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
