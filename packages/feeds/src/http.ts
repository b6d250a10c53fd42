import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import { FetchError } from './errors.js';
import type { HostLimiter } from './limiter.js';
import type { RobotsCache } from './robots.js';
import type { SsrfGuard } from './ssrf.js';

/** What every request needs: settings, the SSRF guard, and optionally politeness and robots. */
export interface HttpContext {
  /** Sent with every request and matched in robots.txt (USER_AGENT). */
  userAgent: string;
  /** Connect + response headers timeout, ms (FETCH_TIMEOUT_MS). */
  timeoutMs: number;
  /** Whole-body timeout, ms (FETCH_BODY_TIMEOUT_MS). */
  bodyTimeoutMs: number;
  /** Largest body after decompression, bytes (FETCH_MAX_BYTES). */
  maxBytes: number;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  guard: SsrfGuard;
  /** Per-host politeness; absent means none (a one-off CLI fetch). */
  limiter?: HostLimiter | null;
  /** robots.txt checks; absent means not checked. */
  robots?: RobotsCache | null;
  /** The undici dispatcher; createHttpAgent(guard, ...) makes one with the SSRF lookup. */
  dispatcher: Dispatcher;
}

export interface HttpRequest {
  url: string;
  accept: string;
  etag?: string | null;
  lastModified?: string | null;
  /** Smaller cap than ctx.maxBytes (robots.txt). */
  maxBytes?: number;
  /** Skip the robots.txt check (for robots.txt itself). */
  skipRobots?: boolean;
  /** Aborts the request (a job being cancelled); reported as a retryable timeout. */
  signal?: AbortSignal | undefined;
}

export interface HttpResponse {
  status: number;
  /** URL of the final answer, after redirects. */
  url: string;
  /** Lower-case header names; repeated headers joined by ', '. */
  headers: Record<string, string>;
  /** Decompressed body (empty for 304 and redirects). */
  body: Buffer;
  /** The new address when every redirect on the way was permanent (301/308), else null. */
  permanentUrl: string | null;
  redirects: { url: string; status: number }[];
  elapsedMs: number;
}

/** An undici Agent whose sockets resolve names through the SSRF guard (DNS rebinding included). */
export function createHttpAgent(guard: SsrfGuard, timeoutMs: number, bodyTimeoutMs: number): Agent {
  return new Agent({
    connect: { timeout: timeoutMs, lookup: guard.lookup as never },
    headersTimeout: timeoutMs,
    bodyTimeout: bodyTimeoutMs,
    connections: 64,
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function headerRecord(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function decoders(encoding: string | undefined): Transform[] | null {
  const list = (encoding ?? '').toLowerCase().split(',').map((s) => s.trim()).filter((s) => s && s !== 'identity');
  const out: Transform[] = [];
  // Encodings are listed in the order applied, so they are undone in reverse.
  for (const e of list.reverse()) {
    if (e === 'gzip' || e === 'x-gzip') out.push(createGunzip());
    else if (e === 'deflate') out.push(createInflate());
    else if (e === 'br') out.push(createBrotliDecompress());
    else return null;
  }
  return out;
}

function mapError(e: unknown, url: string, ctx: HttpContext): FetchError {
  if (e instanceof FetchError) return e;
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof FetchError) return cause;
  const code = (e as { code?: string }).code ?? '';
  const name = (e as { name?: string }).name ?? '';
  if (name === 'AbortError' || name === 'TimeoutError' || /TIMEOUT/.test(code)) {
    return new FetchError('timeout', `timed out fetching ${url} (${ctx.timeoutMs} ms for headers, ${ctx.bodyTimeoutMs} ms for the body)`, { url, cause: e });
  }
  return new FetchError('network', `network error fetching ${url}: ${(e as Error).message ?? String(e)}${code ? ` (${code})` : ''}`, { url, cause: e });
}

/** Reads a body stream through the decoders, stopping at the cap (a gzip bomb never inflates past it). */
async function readCapped(body: Readable, contentEncoding: string | undefined, cap: number, url: string): Promise<Buffer> {
  const chain = decoders(contentEncoding);
  if (!chain) {
    body.destroy();
    throw new FetchError('decompress', `unsupported Content-Encoding "${contentEncoding}" from ${url}`, { url });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // pipeline() may reject with the AbortError of the streams it tears down rather than with
  // the cap error that caused it: keep ours.
  let capError: FetchError | null = null;
  const collect = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const c of source) {
      size += c.length;
      if (size > cap) {
        capError = new FetchError('too-large', `body of ${url} exceeds FETCH_MAX_BYTES (${cap} bytes)`, { url });
        throw capError;
      }
      chunks.push(c);
    }
  };
  try {
    // An uncompressed body (most pages) is read directly: leaving the loop early destroys the
    // stream as pipeline() would, without pipeline's machinery per body.
    if (!chain.length) await collect(body);
    else await (pipeline as (...streams: unknown[]) => Promise<void>)(body, ...chain, collect);
  } catch (e) {
    if (capError) throw capError;
    if (e instanceof FetchError) throw e;
    if (String((e as { code?: string }).code ?? '').startsWith('Z_')) {
      throw new FetchError('decompress', `could not decompress the body of ${url}: ${(e as Error).message}`, { url, cause: e });
    }
    throw e;
  }
  return Buffer.concat(chunks, size);
}

async function once(url: URL, req: HttpRequest, ctx: HttpContext, cap: number) {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), ctx.timeoutMs);
  const onAbort = () => controller.abort();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (req.signal?.aborted) throw new FetchError('timeout', `aborted before fetching ${url.href}`, { url: url.href });
    const headers: Record<string, string> = {
      'user-agent': ctx.userAgent,
      accept: req.accept,
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8',
    };
    if (req.etag) headers['if-none-match'] = req.etag;
    if (req.lastModified) headers['if-modified-since'] = req.lastModified;
    const res = await request(url, { method: 'GET', headers, dispatcher: ctx.dispatcher, signal: controller.signal });
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), ctx.bodyTimeoutMs);
    const h = headerRecord(res.headers);
    if (REDIRECTS.has(res.statusCode) || res.statusCode === 304 || res.statusCode === 204) {
      await res.body.dump();
      return { status: res.statusCode, headers: h, body: Buffer.alloc(0) };
    }
    const declared = Number(h['content-length']);
    if (!h['content-encoding'] && Number.isFinite(declared) && declared > cap) {
      res.body.destroy();
      throw new FetchError('too-large', `body of ${url.href} (${declared} bytes) exceeds FETCH_MAX_BYTES (${cap} bytes)`, { url: url.href });
    }
    const body = await readCapped(res.body, h['content-encoding'], cap, url.href);
    return { status: res.statusCode, headers: h, body };
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * One polite GET with redirects followed by hand (each hop is checked by the SSRF guard and
 * robots.txt, and counted against its host's limits). Answers of any status are returned;
 * failures to get an answer throw a FetchError saying whether a retry may help.
 */
export async function httpGet(req: HttpRequest, ctx: HttpContext): Promise<HttpResponse> {
  const started = Date.now();
  const maxRedirects = ctx.maxRedirects ?? 5;
  const cap = Math.min(req.maxBytes ?? ctx.maxBytes, ctx.maxBytes);
  const redirects: { url: string; status: number }[] = [];
  const seen = new Set<string>();
  let allPermanent = true;
  let current: URL;
  try {
    current = new URL(req.url);
  } catch {
    throw new FetchError('bad-url', `not a URL: ${req.url}`, { url: req.url });
  }
  for (;;) {
    ctx.guard.checkUrl(current);
    seen.add(current.href);
    if (ctx.robots && !req.skipRobots) await ctx.robots.check(current);
    const target = current;
    const run = () => once(target, req, ctx, cap).catch((e: unknown) => Promise.reject(mapError(e, target.href, ctx)));
    const res = ctx.limiter
      ? await ctx.limiter.schedule(target.hostname, run, { expirationMs: ctx.timeoutMs + ctx.bodyTimeoutMs + 5_000 })
      : await run();
    if (REDIRECTS.has(res.status) && res.headers['location']) {
      let next: URL;
      try {
        next = new URL(res.headers['location'], target);
      } catch {
        throw new FetchError('bad-url', `bad redirect Location from ${target.href}: ${res.headers['location']}`, { url: target.href });
      }
      redirects.push({ url: target.href, status: res.status });
      if (res.status !== 301 && res.status !== 308) allPermanent = false;
      if (seen.has(next.href)) {
        throw new FetchError('redirect-loop', `redirect loop: ${[...redirects.map((r) => r.url), next.href].join(' -> ')}`, { url: req.url });
      }
      if (redirects.length > maxRedirects) {
        throw new FetchError('too-many-redirects', `more than ${maxRedirects} redirects from ${req.url}`, { url: req.url });
      }
      current = next;
      continue;
    }
    return {
      status: res.status,
      url: target.href,
      headers: res.headers,
      body: res.body,
      permanentUrl: redirects.length && allPermanent ? target.href : null,
      redirects,
      elapsedMs: Date.now() - started,
    };
  }
}
