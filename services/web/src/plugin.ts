import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { pageLabels } from './labels.js';

/** Where `pnpm --filter @radar/web build` writes the page. */
export const WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
export const WEB_PREFIX = '/app/';

export interface WebAppOptions {
  /** The built page (default: services/web/dist). */
  root?: string;
  /** The taxonomy whose label names the page shows (default: the bundled one; the API passes TAXONOMY_FILE). */
  taxonomyFile?: string;
}

// The page loads only its own script and style and talks only to this origin: no inline code,
// no CDN, never framed. The token lives in sessionStorage, so script injection is what to stop.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the analyst's page at /app/ (and redirects / there). Register it on the API without
 * fastify-plugin, so its hook marks only its own routes public: the page and its assets need no
 * token, and every call the page makes to /v1 carries the analyst's.
 */
export async function webApp(app: FastifyInstance, opts: WebAppOptions): Promise<void> {
  const root = opts.root ?? WEB_DIST;
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), access: 'public' } as typeof route.config;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });

  const labels = pageLabels(opts.taxonomyFile);
  app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect(WEB_PREFIX, 302));
  app.get(`${WEB_PREFIX}taxonomy.json`, { schema: { hide: true } }, async (_req, reply) =>
    reply.header('cache-control', 'no-cache').send(labels),
  );

  if (!existsSync(resolve(root, 'index.html'))) {
    app.log.info({ root }, 'the web page is not built (/app/ answers 503); run: pnpm --filter @radar/web build');
    app.get(`${WEB_PREFIX}*`, { schema: { hide: true } }, async (_req, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The web page is not built. Run: pnpm --filter @radar/web build\n'),
    );
    app.get(WEB_PREFIX.slice(0, -1), { schema: { hide: true } }, async (_req, reply) => reply.redirect(WEB_PREFIX, 302));
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: WEB_PREFIX,
    decorateReply: false,
    redirect: true,
    cacheControl: false,
    setHeaders(res, file) {
      // File names under assets/ carry their content hash; the page itself must be re-read.
      res.setHeader('cache-control', /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
