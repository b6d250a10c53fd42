import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { BadRequest, toFilter } from '../filters.js';
import { errorOut, statsQuery } from '../schemas.js';

const BUCKET_MS = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 } as const;
/** Longest series one request may ask for (a year of hours is 8,760). */
const MAX_BUCKETS = 9000;
const DEFAULT_SPAN = { hour: 2, day: 30, week: 26 * 7 } as const;

const seriesOut = z.object({
  start: z.string(),
  total: z.number().int(),
  areas: z.record(z.string(), z.number().int()),
  districts: z.record(z.string(), z.number().int()),
});

export function statsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/v1/stats',
    {
      config: { access: 'signals:read' },
      schema: {
        summary: 'Trends: signals per area and district per hour, day or week',
        description:
          'Counts of signals matching the filters in each bucket of [from, to) (default: the last 2 days by hour, 30 days by day, ' +
          '26 weeks by week), by area, by district and in total. Buckets with no signal are left out.',
        tags: ['signals'],
        querystring: statsQuery,
        response: {
          200: z.object({ bucket: z.string(), timezone: z.string(), from: z.string(), to: z.string(), series: z.array(seriesOut) }),
          400: errorOut,
        },
      },
    },
    async (req) => {
      const { bucket, tz, ...rest } = req.query;
      const to = rest.to ?? new Date();
      const from = rest.from ?? new Date(to.getTime() - DEFAULT_SPAN[bucket] * 86_400_000);
      if (from >= to) throw new BadRequest('from', 'must be before to');
      if ((to.getTime() - from.getTime()) / BUCKET_MS[bucket] > MAX_BUCKETS) {
        throw new BadRequest('from', `the range spans more than ${MAX_BUCKETS} ${bucket}s; use a larger bucket`);
      }
      const filter = { ...toFilter({ ...rest, from, to }, ctx.vocab), from, to };
      const rows = await ctx.rt.repos.signalQueries.stats(filter, bucket, tz);
      const byStart = new Map<string, z.output<typeof seriesOut>>();
      for (const row of rows) {
        const start = row.bucket.toISOString();
        let s = byStart.get(start);
        if (!s) byStart.set(start, (s = { start, total: 0, areas: {}, districts: {} }));
        if (row.kind === 'total') s.total = row.count;
        else if (row.kind === 'area') s.areas[row.label] = row.count;
        else s.districts[row.label] = row.count;
      }
      return { bucket, timezone: tz, from: from.toISOString(), to: to.toISOString(), series: [...byStart.values()] };
    },
  );
}
