import type { FeedsContext } from './context.js';
import { decodeBody } from './encoding.js';
import { FetchError, isRetryableStatus } from './errors.js';
import { httpGet } from './http.js';
import { parseRetryAfter } from './schedule.js';

export interface FetchedPage {
  status: number;
  /** URL after redirects (relative links in the page resolve against it). */
  finalUrl: string;
  /** The page decoded to text (charset from BOM, header, meta, or detection). */
  html: string;
  contentType: string | null;
  /** Charset used to decode. */
  encoding: string;
}

/**
 * Fetches an article page with the same politeness, SSRF guard, caps and timeouts as feeds,
 * and decodes it. A non-2xx answer throws FetchError('http') with `status` and `retryable`
 * (429 and 5xx are; 404 is not); failures to get an answer throw FetchError too.
 */
export async function fetchPage(url: string, ctx: FeedsContext, opts: { signal?: AbortSignal | undefined } = {}): Promise<FetchedPage> {
  const res = await httpGet({ url, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5', signal: opts.signal }, ctx);
  if (res.status < 200 || res.status >= 300) {
    const retryAfterS = parseRetryAfter(res.headers['retry-after'], new Date());
    throw new FetchError('http', `HTTP ${res.status} from ${res.url}`, {
      status: res.status,
      retryable: isRetryableStatus(res.status),
      url: res.url,
      ...(retryAfterS !== null ? { retryAfterS } : {}),
    });
  }
  const contentType = res.headers['content-type'] ?? null;
  const decoded = decodeBody(res.body, { contentType, kind: 'html' });
  return { status: res.status, finalUrl: res.url, html: decoded.text, contentType, encoding: decoded.encoding };
}
