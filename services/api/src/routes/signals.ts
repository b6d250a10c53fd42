import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { notFound } from '../errors.js';
import { CSV_HEADER, csvRow, decodeCursor, encodeCursor, signalDetailView, signalView, toFilter } from '../filters.js';
import { errorOut, exportQuery, idPath, listQuery, signalDetailOut, signalOut } from '../schemas.js';

const EXPORT_BATCH = 1000;

export function signalRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const queries = ctx.rt.repos.signalQueries;

  r.get(
    '/v1/signals',
    {
      config: { access: 'signals:read' },
      schema: {
        summary: 'List signals',
        description:
          'Signals matching every given filter, in signal id order (newest first by default), one page at a time. ' +
          'Pass `next_cursor` back as `cursor` for the next page: pages never repeat or skip a signal, even while new ones arrive.',
        tags: ['signals'],
        querystring: listQuery,
        response: { 200: z.object({ data: z.array(signalOut), next_cursor: z.string().nullable() }), 400: errorOut },
      },
    },
    async (req) => {
      const { limit, cursor, order, ...rest } = req.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor, order);
      const rows = await queries.page(toFilter(rest, ctx.vocab), { limit: limit + 1, after, order });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { data: page.map(signalView), next_cursor: rows.length > limit && last ? encodeCursor(last.id, order) : null };
    },
  );

  r.get(
    '/v1/signals/export',
    {
      config: { access: 'signals:read' },
      schema: {
        summary: 'Export signals (NDJSON or CSV, streamed)',
        description:
          'Every signal matching the filters, oldest first, streamed in batches of ' +
          `${EXPORT_BATCH} rows read by keyset: the server never holds the whole result, and reads the next batch only ` +
          'when the client has taken the previous one. CSV text cells that a spreadsheet would run as formulas get a leading apostrophe.',
        tags: ['signals'],
        querystring: exportQuery,
        produces: ['application/x-ndjson', 'text/csv'],
        response: { 400: errorOut },
      },
    },
    async (req, reply) => {
      const { format, ...rest } = req.query;
      const filter = toFilter(rest, ctx.vocab);
      async function* lines(): AsyncGenerator<string> {
        if (format === 'csv') yield stringify([CSV_HEADER]);
        for await (const batch of queries.scan(filter, EXPORT_BATCH, 'asc')) {
          yield format === 'csv'
            ? stringify(batch.map(csvRow))
            : batch.map((s) => JSON.stringify(signalView(s))).join('\n') + '\n';
        }
      }
      const stream = Readable.from(lines(), { objectMode: false, highWaterMark: 1 });
      stream.on('error', (err) => req.log.warn({ err: err.message }, 'export stopped'));
      const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="signals-${stamp}.${format}"`)
        .header('cache-control', 'no-store')
        .send(stream as never);
    },
  );

  r.get(
    '/v1/signals/:id',
    {
      config: { access: 'signals:read' },
      schema: {
        summary: 'One signal with its evidence',
        description: "The signal, the evidence of each label (matched terms and where), the text the evidence points into, and the story's other articles.",
        tags: ['signals'],
        params: idPath,
        response: { 200: signalDetailOut, 400: errorOut, 404: errorOut },
      },
    },
    async (req, reply) => {
      const s = await queries.detail(req.params.id);
      if (!s) return reply.code(404).send(notFound(`signal ${req.params.id}`));
      // The text the classifier read, so a reader can see the evidence in place (the web page does).
      const article = await ctx.rt.repos.articles.get(s.article_id);
      return { ...signalDetailView(s), body: article ? (article.body ?? article.summary) : null };
    },
  );
}
