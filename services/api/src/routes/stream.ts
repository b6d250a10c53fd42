import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { BadRequest, signalView, toFilter } from '../filters.js';
import { errorOut, streamQuery } from '../schemas.js';

const BATCH = 200;
const HEARTBEAT_MS = 15_000;

function lastEventId(header: unknown): number | null {
  if (header === undefined) return null;
  if (typeof header !== 'string' || !/^[0-9]{1,10}$/.test(header) || Number(header) > 2_147_483_647) {
    throw new BadRequest('Last-Event-ID', 'a signal id sent by this stream');
  }
  return Number(header);
}

/**
 * Server-sent events of new signals matching the filters. Each event's id is the signal id; a
 * client that reconnects with `Last-Event-ID` (browsers do it by themselves) gets every signal
 * it missed. Events are ordered by the inserting transaction, then id, and sent only once no
 * running transaction can still add a signal before them, so a resumed stream misses nothing.
 */
export function streamRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const queries = ctx.rt.repos.signalQueries;

  r.get(
    '/v1/signals/stream',
    {
      config: { access: 'signals:read' },
      schema: {
        summary: 'Live stream of new signals (server-sent events)',
        description:
          'Events `signal` (data: the signal as in the list) with `id:` = the signal id. Without `Last-Event-ID` or `since_id` ' +
          'the stream starts with signals stored from now on; with one, it resumes after that signal. ' +
          'A comment line is sent every 15 s to keep proxies from closing an idle stream.',
        tags: ['signals'],
        querystring: streamQuery,
        headers: z.looseObject({ 'last-event-id': z.string().max(20).optional() }),
        produces: ['text/event-stream'],
        response: { 400: errorOut },
      },
    },
    async (req, reply) => {
      const { since_id, ...rest } = req.query;
      const filter = toFilter(rest, ctx.vocab);
      const resumeId = lastEventId(req.headers['last-event-id']) ?? since_id ?? null;
      let pos = await queries.streamPosition(resumeId);

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');

      let closed = false;
      let busy = false;
      let again = false;
      const drained = () => new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
      // Reads and sends until caught up; a wake-up while busy makes it go round once more.
      const pump = async (): Promise<void> => {
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        try {
          do {
            again = false;
            for (;;) {
              const rows = await queries.streamAfter(filter, pos, BATCH);
              for (const row of rows) {
                if (closed) return;
                const ok = res.write(`id: ${row.id}\nevent: signal\ndata: ${JSON.stringify(signalView(row))}\n\n`);
                pos = { tx: row.tx, id: row.id };
                if (!ok) await drained();
              }
              if (rows.length < BATCH || closed) break;
            }
          } while (again && !closed);
        } catch (err) {
          req.log.warn({ err: (err as Error).message }, 'stream query failed; will retry on the next poll');
        } finally {
          busy = false;
        }
      };
      const unsubscribe = ctx.hub.subscribe(() => void pump());
      const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
      // The response (not the request) closes when the client goes away.
      res.on('close', () => {
        closed = true;
        clearInterval(heartbeat);
        unsubscribe();
      });
      await pump();
    },
  );
}
