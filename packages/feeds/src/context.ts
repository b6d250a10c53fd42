import type { Settings } from '@radar/config';
import type { Redis } from 'ioredis';
import type { Agent } from 'undici';
import { createHttpAgent, httpGet, type HttpContext } from './http.js';
import { createHostLimiter, parseHostLimits, type HostLimiter } from './limiter.js';
import { RobotsCache } from './robots.js';
import { SsrfGuard } from './ssrf.js';

/** Everything pollFeed and fetchPage need. Make one per process with createFeedsContext. */
export interface FeedsContext extends HttpContext {
  /** POLL_MIN_INTERVAL_S: floor of the adaptive interval (default 300). */
  pollMinIntervalS: number;
  /** POLL_MAX_INTERVAL_S: ceiling of the interval and of the failure back-off (default 86400). */
  pollMaxIntervalS: number;
  /** A successful poll slower than this marks the feed `slow` (default timeoutMs / 2). */
  slowMs?: number;
  /** Clock and randomness, replaceable in tests. */
  now?: () => Date;
  random?: () => number;
}

/** The settings the feeds library reads (a subset of @radar/config's Settings). */
export type FeedsSettings = Pick<
  Settings,
  | 'USER_AGENT'
  | 'FETCH_TIMEOUT_MS'
  | 'FETCH_BODY_TIMEOUT_MS'
  | 'FETCH_MAX_BYTES'
  | 'FETCH_ALLOW_HOSTS'
  | 'POLL_MIN_INTERVAL_S'
  | 'POLL_MAX_INTERVAL_S'
>;

export interface CreateFeedsContextOptions {
  /** Per-host politeness (createRedisHostLimiter for workers); null for none. */
  limiter?: HostLimiter | null;
  /** Honour robots.txt (default true). */
  robots?: boolean;
  maxRedirects?: number;
}

/**
 * Builds the context from settings: the SSRF guard with FETCH_ALLOW_HOSTS, an undici agent
 * that resolves names through it, a robots.txt cache whose fetches go through the same guard
 * and limiter. `close()` releases the agent (not the limiter, which the caller owns).
 */
export function createFeedsContext(
  settings: FeedsSettings,
  opts: CreateFeedsContextOptions = {},
): FeedsContext & { close(): Promise<void> } {
  const guard = new SsrfGuard(settings.FETCH_ALLOW_HOSTS);
  const dispatcher: Agent = createHttpAgent(guard, settings.FETCH_TIMEOUT_MS, settings.FETCH_BODY_TIMEOUT_MS);
  const ctx: FeedsContext & { close(): Promise<void> } = {
    userAgent: settings.USER_AGENT,
    timeoutMs: settings.FETCH_TIMEOUT_MS,
    bodyTimeoutMs: settings.FETCH_BODY_TIMEOUT_MS,
    maxBytes: settings.FETCH_MAX_BYTES,
    maxRedirects: opts.maxRedirects ?? 5,
    guard,
    limiter: opts.limiter ?? null,
    robots: null,
    dispatcher,
    pollMinIntervalS: settings.POLL_MIN_INTERVAL_S,
    pollMaxIntervalS: settings.POLL_MAX_INTERVAL_S,
    close: () => dispatcher.close(),
  };
  if (opts.robots !== false) {
    ctx.robots = new RobotsCache({
      userAgent: settings.USER_AGENT,
      fetch: async (url) => {
        // RFC 9309 asks crawlers to read at least 500 KiB of robots.txt.
        const res = await httpGet({ url, accept: 'text/plain', skipRobots: true, maxBytes: 512 * 1024 }, ctx);
        return { status: res.status, body: res.body.toString('utf8') };
      },
    });
  }
  return ctx;
}

/**
 * The per-host limiter from settings (HOST_MAX_CONCURRENT, HOST_MIN_GAP_MS, HOST_LIMITS),
 * shared through Redis (REDIS_URL, keys under QUEUE_PREFIX) when `shared` is true (workers),
 * in process otherwise (CLI).
 */
export function createHostLimiterFromSettings(
  settings: Pick<Settings, 'HOST_MAX_CONCURRENT' | 'HOST_MIN_GAP_MS' | 'HOST_LIMITS' | 'REDIS_URL' | 'QUEUE_PREFIX'>,
  shared = true,
): HostLimiter {
  return createHostLimiter({
    maxConcurrent: settings.HOST_MAX_CONCURRENT,
    minGapMs: settings.HOST_MIN_GAP_MS,
    overrides: parseHostLimits(settings.HOST_LIMITS),
    prefix: settings.QUEUE_PREFIX,
    ...(shared ? { redis: settings.REDIS_URL } : {}),
  });
}

/** A FeedsContext that owns its limiter: what a service makes once and passes to pollFeed/fetchPage. */
export type Fetcher = FeedsContext & { close(): Promise<void> };

/**
 * The one-call setup for a service: the per-host limiter (shared through Redis when a Redis
 * client is given, e.g. the queue connection, which is duplicated, not taken over) and the
 * context. `close()` stops both.
 */
export function createFetcher(
  settings: FeedsSettings & Pick<Settings, 'HOST_MAX_CONCURRENT' | 'HOST_MIN_GAP_MS' | 'HOST_LIMITS' | 'REDIS_URL' | 'QUEUE_PREFIX'>,
  redis?: Redis | null,
  opts: Omit<CreateFeedsContextOptions, 'limiter'> = {},
): Fetcher {
  const limiter = createHostLimiter({
    maxConcurrent: settings.HOST_MAX_CONCURRENT,
    minGapMs: settings.HOST_MIN_GAP_MS,
    overrides: parseHostLimits(settings.HOST_LIMITS),
    prefix: settings.QUEUE_PREFIX,
    ...(redis ? { redis } : {}),
  });
  const ctx = createFeedsContext(settings, { ...opts, limiter });
  const closeAgent = ctx.close;
  return Object.assign(ctx, {
    close: async () => {
      await closeAgent();
      await limiter.close();
    },
  });
}
