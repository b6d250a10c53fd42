import type { FeedsContext } from './context.js';
import { FetchError, isRetryableStatus } from './errors.js';
import { httpGet, type HttpResponse } from './http.js';
import { parseFeedFile } from './parse.js';
import { nextPollTime, parseRetryAfter, type PollKind } from './schedule.js';
import type { FeedMeta, NormalizedItem } from './types.js';

/**
 * The feed columns pollFeed reads: a `feeds` row as it is (snake_case), or the same in camelCase.
 */
export interface PollableFeed {
  url: string;
  etag?: string | null;
  lastModified?: string | null;
  last_modified?: string | null;
  /** feeds.poll_interval_s (default POLL_MIN_INTERVAL_S). */
  pollIntervalS?: number | null;
  poll_interval_s?: number | null;
  /** feeds.error_count: consecutive failures before this poll. */
  errorCount?: number | null;
  error_count?: number | null;
}

export interface PollOptions {
  /** Aborts the fetch (the job is being cancelled or the worker is shutting down). */
  signal?: AbortSignal | undefined;
}

export type FeedHealthState = 'ok' | 'slow' | 'failing' | 'gone';

/**
 * Columns of the `feeds` table to update after a poll (names as in the table, so it can be
 * passed to FeedRepository.update as is). Counters that need SQL (fetch_count + 1, item_count,
 * last_new_item_at) are the caller's, who knows which items are new.
 */
export interface FeedPatch {
  last_polled_at: Date;
  next_poll_at: Date;
  poll_interval_s: number;
  /**
   * ok: answered promptly; slow: answered, but slower than ctx.slowMs or the server asked us to
   * back off (429/503 Retry-After); failing: the last poll failed (error_count says how many in
   * a row); gone: 410, retired.
   */
  health: FeedHealthState;
  last_status: number | null;
  last_error: string | null;
  error_count: number;
  etag?: string | null;
  last_modified?: string | null;
  last_success_at?: Date;
  /** Set after a permanent redirect (every hop 301/308): the feed's new address. */
  url?: string;
  title?: string;
  site_url?: string;
  language?: string;
  repaired?: boolean;
  /** false once the feed is gone (410). */
  active?: boolean;
}

export interface PollOutcome {
  kind: PollKind;
  feedPatch: FeedPatch;
  /** Normalised items (kind 'ok' only). */
  items: NormalizedItem[];
  /** The feed's own metadata (kind 'ok'). */
  feed?: FeedMeta;
  /** For 'failed': whether retrying soon could help (a timeout, a 503) or not (a 404, an unreadable feed). */
  retryable?: boolean;
  /** For 'failed' and 'gone': the stored error. */
  error?: string;
  status?: number;
  elapsedMs: number;
}

const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/**
 * Polls one feed: a conditional, polite GET (SSRF guard, robots.txt, per-host limits, caps,
 * timeouts), then decode, parse and normalise, and the next poll time. Never throws for a bad
 * feed or server: the outcome is 'failed' with a clear error. Only programmer errors throw.
 */
export async function pollFeed(row: PollableFeed, ctx: FeedsContext, opts: PollOptions = {}): Promise<PollOutcome> {
  const feed = {
    url: row.url,
    etag: row.etag ?? null,
    lastModified: row.lastModified ?? row.last_modified ?? null,
    pollIntervalS: row.pollIntervalS ?? row.poll_interval_s ?? null,
    errorCount: row.errorCount ?? row.error_count ?? 0,
  };
  const now = ctx.now?.() ?? new Date();
  const started = Date.now();
  const prevInterval = feed.pollIntervalS ?? ctx.pollMinIntervalS;
  const timing = (kind: PollKind, extra: { errorCount?: number; itemDates?: (Date | null)[]; ttlS?: number | null; headers?: Record<string, string> }) =>
    nextPollTime({
      now,
      kind,
      previousIntervalS: prevInterval,
      minS: ctx.pollMinIntervalS,
      maxS: ctx.pollMaxIntervalS,
      ...(ctx.random ? { random: ctx.random } : {}),
      ...extra,
    });
  const fail = (
    error: string,
    retryable: boolean,
    status: number | null,
    headers?: Record<string, string>,
    moved: { url?: string } = {},
  ): PollOutcome => {
    const errorCount = (feed.errorCount ?? 0) + 1;
    const t = timing('failed', { errorCount, ...(headers ? { headers } : {}) });
    const throttled = (status === 429 || status === 503) && parseRetryAfter(headers?.['retry-after'], now) !== null;
    return {
      kind: 'failed',
      items: [],
      retryable,
      error,
      ...(status !== null ? { status } : {}),
      elapsedMs: Date.now() - started,
      feedPatch: {
        last_polled_at: now,
        next_poll_at: t.nextPollAt,
        poll_interval_s: t.intervalS,
        health: throttled ? 'slow' : 'failing',
        last_status: status,
        last_error: error.slice(0, 1000),
        error_count: errorCount,
        ...moved,
      },
    };
  };

  let res: HttpResponse;
  try {
    res = await httpGet({ url: feed.url, accept: ACCEPT, etag: feed.etag, lastModified: feed.lastModified, signal: opts.signal }, ctx);
  } catch (e) {
    if (e instanceof FetchError) return fail(e.message, e.retryable, e.status ?? null);
    if (e instanceof TypeError || e instanceof RangeError) throw e;
    return fail(`fetch failed: ${(e as Error).message ?? String(e)}`, true, null);
  }
  const slow = res.elapsedMs > (ctx.slowMs ?? ctx.timeoutMs / 2);
  const moved = res.permanentUrl && res.permanentUrl !== feed.url ? { url: res.permanentUrl } : {};

  if (res.status === 410) {
    const t = timing('gone', {});
    return {
      kind: 'gone',
      items: [],
      error: `HTTP 410 Gone: ${res.url} is retired`,
      status: 410,
      elapsedMs: Date.now() - started,
      feedPatch: {
        last_polled_at: now,
        next_poll_at: t.nextPollAt,
        poll_interval_s: t.intervalS,
        health: 'gone',
        last_status: 410,
        last_error: 'HTTP 410 Gone',
        error_count: (feed.errorCount ?? 0) + 1,
        active: false,
        ...moved,
      },
    };
  }
  if (res.status === 304) {
    const t = timing('not-modified', { headers: res.headers });
    return {
      kind: 'not-modified',
      items: [],
      status: 304,
      elapsedMs: Date.now() - started,
      feedPatch: {
        last_polled_at: now,
        next_poll_at: t.nextPollAt,
        poll_interval_s: t.intervalS,
        health: slow ? 'slow' : 'ok',
        last_status: 304,
        last_error: null,
        error_count: 0,
        last_success_at: now,
        // A 304 may carry fresher validators.
        ...(res.headers['etag'] ? { etag: res.headers['etag'] } : {}),
        ...(res.headers['last-modified'] ? { last_modified: res.headers['last-modified'] } : {}),
        ...moved,
      },
    };
  }
  if (res.status < 200 || res.status >= 300) {
    return fail(`HTTP ${res.status} from ${res.url}`, isRetryableStatus(res.status), res.status, res.headers, moved);
  }

  const parsed = await parseFeedFile(res.body, { contentType: res.headers['content-type'] ?? null, url: res.url, now });
  if (!parsed.ok) {
    // A feed that cannot be read now may be fixed by its publisher: back off, keep polling.
    return fail(`${parsed.error} (${res.url})`, false, res.status, undefined, moved);
  }
  const t = timing('ok', { itemDates: parsed.items.map((i) => i.published), ttlS: parsed.feed.ttlS, headers: res.headers });
  return {
    kind: 'ok',
    items: parsed.items,
    feed: parsed.feed,
    status: res.status,
    elapsedMs: Date.now() - started,
    feedPatch: {
      last_polled_at: now,
      next_poll_at: t.nextPollAt,
      poll_interval_s: t.intervalS,
      health: slow ? 'slow' : 'ok',
      last_status: res.status,
      last_error: null,
      error_count: 0,
      last_success_at: now,
      etag: res.headers['etag'] ?? null,
      last_modified: res.headers['last-modified'] ?? null,
      repaired: parsed.repaired,
      ...(parsed.feed.title ? { title: parsed.feed.title } : {}),
      ...(parsed.feed.link ? { site_url: parsed.feed.link } : {}),
      ...(parsed.feed.language ? { language: parsed.feed.language } : {}),
      ...moved,
    },
  };
}
