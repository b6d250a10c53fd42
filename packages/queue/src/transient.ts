/**
 * Errors that say a dependency (PostgreSQL, Redis) is unreachable right now, as opposed to an
 * error of the job itself. A job that meets one is put back to wait for the dependency without
 * spending one of its attempts: a ten-second database restart must not use up the retries of
 * every job that ran during it and fail them for good.
 */

// Socket-level failures (pg and ioredis report them with Node's codes).
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// PostgreSQL SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now (starting or stopping),
// connection exceptions (class 08), too_many_connections.
const PG_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
const MESSAGES = [
  /Connection terminated/i, // pg: the server went away mid-query
  /timeout exceeded when trying to connect/i, // pg pool
  /Client has encountered a connection error/i, // pg
  /Connection is closed/i, // ioredis
  /Reached the max retries per request limit/i, // ioredis producer while Redis is down
  /Stream isn't writeable/i, // ioredis with the offline queue off
];

/**
 * `ports`: where PostgreSQL and Redis listen. A refused or reset socket counts only when it is
 * one of theirs and not wrapped in another error: a webhook receiver or a news site refusing a
 * connection is that receiver's failure, to be retried and counted as usual.
 */
export function isDependencyDown(err: unknown, ports?: readonly number[]): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, message, port } = e as { code?: unknown; name?: unknown; message?: unknown; port?: unknown };
    // A failed page or feed fetch is the site's problem, not ours (FetchError carries its own code).
    if (name === 'FetchError') return false;
    if (typeof code === 'string' && PG_CODES.has(code)) return true;
    if (typeof code === 'string' && SOCKET_CODES.has(code)) return depth === 0 && (!ports || ports.includes(Number(port)));
    if (name === 'MaxRetriesPerRequestError') return true;
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
  }
  return false;
}

/** The wait a server asked for (Retry-After, as `retryAfterS` on the error), in ms. */
export function retryAfterMs(err: unknown): number | undefined {
  const s = (err as { retryAfterS?: unknown } | undefined)?.retryAfterS;
  return typeof s === 'number' && Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
}

/**
 * The backoff of every catalog job (type `radar`): exponential from the job's `delay`, but never
 * sooner than the server's Retry-After, so a 429 or 503 with Retry-After is honoured.
 */
export const BACKOFF_TYPE = 'radar';
export function backoffDelay(attemptsMade: number, baseMs: number, err?: unknown): number {
  const exponential = Math.round(2 ** Math.max(0, attemptsMade - 1) * baseMs);
  return Math.max(exponential, retryAfterMs(err) ?? 0);
}
