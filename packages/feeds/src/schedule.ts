/**
 * When to poll a feed next. The interval follows how often the feed really publishes (half the
 * average gap between its recent items, so a new item waits a quarter gap on average), grows
 * while the feed answers "not modified", and never goes below what the server asks for (<ttl>,
 * Cache-Control max-age, Expires, Retry-After). Failures back off exponentially up to the
 * ceiling, but a feed is never abandoned; only 410 Gone retires it. Everything is jittered so
 * that feeds added together do not stay in lock-step.
 */

export type PollKind = 'ok' | 'not-modified' | 'failed' | 'gone';

export interface PollTimingInput {
  now: Date;
  kind: PollKind;
  /** The feed's current adaptive interval (feeds.poll_interval_s). */
  previousIntervalS: number;
  /** Consecutive failures including this poll's, when it failed. */
  errorCount?: number;
  /** Publication dates of the items the feed lists now (kind 'ok'). */
  itemDates?: (Date | null)[];
  /** RSS <ttl>, seconds. */
  ttlS?: number | null;
  /** Response headers (lower-case names): cache-control, expires, date, retry-after. */
  headers?: Record<string, string>;
  /** POLL_MIN_INTERVAL_S (default 300). */
  minS?: number;
  /** POLL_MAX_INTERVAL_S, also the cap of the back-off (default 86400). */
  maxS?: number;
  /** Relative jitter (default 0.1 = ±10 %). */
  jitter?: number;
  random?: () => number;
}

export interface PollTiming {
  nextPollAt: Date;
  /** The adaptive interval to store (unchanged by failures). */
  intervalS: number;
  /** The delay actually used before jitter, seconds. */
  delayS: number;
}

/** Retry-After as seconds from `now` (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, Math.round((t - now.getTime()) / 1000));
}

/** How long the server says the answer stays fresh (max-age or Expires), seconds, or null. */
export function freshnessS(headers: Record<string, string> | undefined, now: Date): number | null {
  if (!headers) return null;
  const cc = headers['cache-control'] ?? '';
  if (/\b(no-cache|no-store)\b/i.test(cc)) return null;
  const maxAge = /\b(?:s-maxage|max-age)\s*=\s*"?(\d+)/i.exec(cc);
  if (maxAge) return Number(maxAge[1]);
  if (headers['expires']) {
    const exp = Date.parse(headers['expires']);
    const date = headers['date'] ? Date.parse(headers['date']) : now.getTime();
    if (!Number.isNaN(exp)) return Math.max(0, Math.round((exp - (Number.isNaN(date) ? now.getTime() : date)) / 1000));
  }
  return null;
}

/** Half the average gap between the feed's recent items (last 30 days, newest 20), or null. */
export function publishingIntervalS(dates: (Date | null)[], now: Date): number | null {
  const recent = dates
    .filter((d): d is Date => d instanceof Date && now.getTime() - d.getTime() < 30 * 86400_000)
    .map((d) => d.getTime())
    .sort((a, b) => b - a)
    .slice(0, 20);
  if (recent.length < 2) return null;
  const avgGapS = (recent[0]! - recent[recent.length - 1]!) / 1000 / (recent.length - 1);
  // A feed that has gone quiet since its last item is polled as if its gap were that silence.
  const silenceS = (now.getTime() - recent[0]!) / 1000;
  return Math.max(avgGapS, silenceS / 2) / 2;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function nextPollTime(i: PollTimingInput): PollTiming {
  const minS = i.minS ?? 300;
  const maxS = Math.max(i.maxS ?? 86400, minS);
  const random = i.random ?? Math.random;
  const jitter = i.jitter ?? 0.1;
  const prev = clamp(i.previousIntervalS || minS, minS, maxS);
  let intervalS = prev;
  let delayS: number;

  if (i.kind === 'gone') {
    delayS = maxS;
  } else if (i.kind === 'failed') {
    const n = Math.max(1, i.errorCount ?? 1);
    delayS = Math.min(maxS, minS * 2 ** Math.min(n - 1, 30));
  } else {
    if (i.kind === 'ok') {
      const adaptive = publishingIntervalS(i.itemDates ?? [], i.now);
      // No dated items: nothing to learn from; drift up slowly.
      intervalS = adaptive ?? prev * 1.25;
    } else {
      // Not modified: the feed publishes less often than we poll.
      intervalS = prev * 1.2;
    }
    const hint = Math.max(i.ttlS ?? 0, freshnessS(i.headers, i.now) ?? 0);
    intervalS = Math.round(clamp(Math.max(intervalS, Math.min(hint, maxS)), minS, maxS));
    delayS = intervalS;
  }
  const retryAfter = parseRetryAfter(i.headers?.['retry-after'], i.now);
  if (retryAfter !== null && i.kind !== 'gone') delayS = Math.max(delayS, Math.min(retryAfter, maxS));

  const factor = 1 + (random() * 2 - 1) * jitter;
  const floor = retryAfter !== null ? Math.min(retryAfter, maxS) : i.kind === 'failed' ? 0 : minS;
  const jittered = clamp(delayS * factor, Math.max(floor, 1), maxS);
  return { nextPollAt: new Date(i.now.getTime() + Math.round(jittered * 1000)), intervalS, delayS };
}
