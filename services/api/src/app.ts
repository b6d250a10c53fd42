import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyRateLimit from '@fastify/rate-limit';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import { redisConnection } from '@radar/queue';
import { createMetrics, registerSystemMetrics, type Metrics } from '@radar/metrics';
import type { Runtime } from '@radar/runtime';
import { loadTaxonomy } from '@radar/taxonomy';
import { webApp } from '@radar/web';
import { registerAuth } from './auth.js';
import { registerBoard } from './board.js';
import type { ApiContext } from './context.js';
import { registerErrors } from './errors.js';
import type { Vocabulary } from './filters.js';
import { adminRoutes } from './routes/admin.js';
import { opsRoutes } from './routes/ops.js';
import { signalRoutes } from './routes/signals.js';
import { statsRoutes } from './routes/stats.js';
import { streamRoutes } from './routes/stream.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { StreamHub } from './stream-hub.js';

export interface ApiOptions {
  /** Label ids and clusters requests may name (default: read from the taxonomy, TAXONOMY_FILE). */
  vocabulary?: Vocabulary;
  /**
   * Metrics registry to serve on /metrics. `pnpm start` passes the one its workers record into,
   * so job metrics and system gauges come from one endpoint (default: a new one).
   */
  metrics?: Metrics;
  /** Requests per minute per token (default: the API_RATE_LIMIT setting). */
  rateLimit?: number;
  /** How often the live stream looks for new signals, in ms (default: API_STREAM_POLL_MS). */
  streamPollMs?: number;
  /** Log each request at debug level through the runtime's logger (default true). */
  logRequests?: boolean;
}

/** The label ids and clusters of the taxonomy the classifier uses. */
export function vocabularyFromTaxonomy(file?: string): Vocabulary {
  const tx = loadTaxonomy(file);
  return {
    areas: tx.areas.map((a) => a.id),
    districts: tx.regions.flatMap((r) => r.districts.map((d) => d.id)),
    clusters: Object.fromEntries(tx.clusters.map((c) => [c.id, c.districts])),
  };
}

/**
 * The HTTP API over a runtime (database, queues, settings), ready to `listen` or `inject`.
 * Closing the app closes what it opened (its rate-limit Redis connection, the stream poller),
 * not the runtime.
 */
export async function buildApi(rt: Runtime, opts: ApiOptions = {}): Promise<FastifyInstance> {
  // Typed as the plain instance: the pino logger type of loggerInstance adds nothing here.
  const app = Fastify({
    // `component`, not `service`: the process's logger names its service already (cli, api), and
    // pino would write a second "service" key.
    loggerInstance: rt.log.child({ component: 'api' }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 200 },
    // Streams (SSE) stay open until the client leaves: closing the server ends them.
    forceCloseConnections: true,
    return503OnClosing: true,
    trustProxy: false,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  // Response bodies are built field by field by the view functions (filters.ts, routes), so
  // they only need stringifying: re-checking 50 signals against zod on every list request cost
  // more than the database query. The zod response schemas still generate the OpenAPI document,
  // and the tests check real responses against them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const metrics = opts.metrics ?? createMetrics();
  registerSystemMetrics(metrics, {
    queueDepths: () => rt.queues.depths(),
    feedHealth: () => rt.repos.feeds.healthCounts(),
    feedLastStatus: () => rt.repos.ops.feedLastStatus(),
    signalsByArea: () => rt.repos.signalQueries.countsByArea(),
  });
  const hub = new StreamHub(rt.repos.signalQueries, opts.streamPollMs ?? rt.settings.API_STREAM_POLL_MS, rt.log);

  registerErrors(app);
  const auth = registerAuth(app, rt.repos.tokens);
  const ctx: ApiContext = {
    rt,
    vocab: opts.vocabulary ?? vocabularyFromTaxonomy(rt.settings.TAXONOMY_FILE),
    metrics,
    hub,
    forgetTokens: auth.forget,
  };

  // Per-token limits in Redis, shared by every API process. A Redis outage lets requests through
  // (readiness reports it) rather than failing them all.
  const limiterRedis = redisConnection(rt.settings.REDIS_URL, 'producer');
  await app.register(fastifyRateLimit, {
    global: true,
    max: opts.rateLimit ?? rt.settings.API_RATE_LIMIT,
    timeWindow: 60_000,
    redis: limiterRedis,
    nameSpace: `${rt.settings.QUEUE_PREFIX}:ratelimit:`,
    skipOnError: true,
    keyGenerator: (req) => (req.principal ? `token:${req.principal.tokenId}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, context) => ({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `rate limit of ${context.max} requests per minute reached; retry in ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Radar API',
        version: '1.0.0',
        description:
          "Tagged signals from Beijing fintech news: by technology area, district and the plan's clusters; live stream, exports and trends; " +
          'subscriptions; and operations. Authenticate with `Authorization: Bearer <token>` (`pnpm radar tokens create`).',
      },
      components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
      security: [{ token: [] }],
      tags: [
        { name: 'signals', description: 'Read signals (scope signals:read)' },
        { name: 'subscriptions', description: "An analyst's own subscriptions (scope subscriptions:write)" },
        { name: 'feeds', description: 'Feeds (scope admin)' },
        { name: 'tokens', description: 'API tokens (scope admin)' },
        { name: 'jobs', description: 'Failed jobs (scope admin)' },
        { name: 'operations', description: 'Health, readiness, metrics (no token)' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  app.addHook('onRoute', (route) => {
    // The reference page, the document and the private Atom feeds (whose URL holds their own
    // secret) need no token; everything else defaults to admin.
    if (route.url.startsWith('/docs') || route.url === '/openapi.json' || route.url.startsWith('/feeds/alerts/')) {
      route.config = { ...(route.config ?? {}), access: 'public', rateLimit: false } as typeof route.config;
    }
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(req.method, route, reply.statusCode, reply.elapsedTime);
    if (opts.logRequests ?? true) {
      req.log.debug({ method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    }
  });

  opsRoutes(app, ctx);
  signalRoutes(app, ctx);
  streamRoutes(app, ctx);
  statsRoutes(app, ctx);
  subscriptionRoutes(app, ctx);
  adminRoutes(app, ctx);
  await registerBoard(app, rt);
  // The alerter's private Atom feeds are served here, at PUBLIC_BASE_URL.
  const { atomRoute } = await import('@radar/svc-alerter');
  await app.register(atomRoute, { repos: rt.repos, publicBaseUrl: rt.settings.PUBLIC_BASE_URL });
  // The analyst's web page at /app/ (its own files are public; its calls to /v1 carry a token).
  await app.register(webApp, { taxonomyFile: rt.settings.TAXONOMY_FILE });

  app.addHook('onClose', async () => {
    hub.close();
    await limiterRedis.quit().catch(() => limiterRedis.disconnect());
  });
  return app;
}
