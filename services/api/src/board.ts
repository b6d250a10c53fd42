import type { FastifyInstance } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { JOB_NAMES } from '@radar/queue';
import type { Runtime } from '@radar/runtime';

export const BOARD_PATH = '/admin/queues';

/**
 * The bull-board queue dashboard at /admin/queues, behind the admin scope like every route
 * without its own access rule. A browser cannot send a Bearer header, so /admin/login takes
 * the token once and keeps it in an HttpOnly, SameSite=Strict cookie scoped to /admin.
 */
export async function registerBoard(app: FastifyInstance, rt: Runtime): Promise<void> {
  const adapter = new FastifyAdapter();
  createBullBoard({
    // bull-board types name its own copy of bullmq; the queue objects are the same class at run time.
    queues: JOB_NAMES.map((name) => new BullMQAdapter(rt.queues.queue(name) as unknown as ConstructorParameters<typeof BullMQAdapter>[0])),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Radar queues' } },
  });
  adapter.setBasePath(BOARD_PATH);
  await app.register(adapter.registerPlugin(), { prefix: BOARD_PATH });

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  const page = (message = '') => `<!doctype html><meta charset="utf-8"><title>Radar admin</title>
<body style="font-family:sans-serif;max-width:32em;margin:4em auto">
<h1>Radar queue dashboard</h1>${message ? `<p style="color:#b00">${message}</p>` : ''}
<form method="post" action="/admin/login"><label>Admin token<br><input name="token" type="password" size="50" autocomplete="off"></label>
<p><button>Open the dashboard</button></p></form></body>`;
  app.get('/admin/login', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.type('text/html').send(page()));
  app.post('/admin/login', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const token = (req.body as { token?: unknown } | undefined)?.token;
    const info = typeof token === 'string' ? await rt.repos.tokens.verify(token) : undefined;
    if (!info || !info.scopes.includes('admin')) return reply.code(401).type('text/html').send(page('Not a live admin token.'));
    reply.header('set-cookie', `radar_token=${token}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=28800`);
    return reply.redirect(BOARD_PATH, 303);
  });
}
