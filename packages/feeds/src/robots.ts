import robotsParserModule from 'robots-parser';
import { FetchError } from './errors.js';

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
}
// robots-parser's bundled typings declare an ambient module that TypeScript cannot call.
const robotsParser = robotsParserModule as unknown as (url: string, robotstxt: string) => Robot;

/** How robots.txt was answered, as the fetcher saw it. */
export interface RobotsResponse {
  status: number;
  body: string;
}

export interface RobotsCacheOptions {
  /** Fetches `https://host/robots.txt` (through the same SSRF guard and politeness limits). */
  fetch: (url: string) => Promise<RobotsResponse>;
  /** User-Agent matched against the groups of robots.txt. */
  userAgent: string;
  /** How long an answer is kept, ms (default 1 h; errors 5 min). */
  ttlMs?: number;
}

/**
 * robots.txt per origin (robots-parser), cached in process. RFC 9309: a 4xx means no rules; a
 * 5xx or a network failure means "unreachable", so everything is disallowed for a short while
 * (a retryable error) rather than crawled against the site's wishes.
 */
export class RobotsCache {
  private readonly cache = new Map<string, { expires: number; robot: Robot | 'unreachable' | null; pending?: Promise<void> }>();
  private readonly ttlMs: number;

  constructor(private readonly opts: RobotsCacheOptions) {
    this.ttlMs = opts.ttlMs ?? 3_600_000;
  }

  /** Throws FetchError('robots') when robots.txt disallows the URL for our User-Agent. */
  async check(url: URL): Promise<void> {
    if (url.pathname === '/robots.txt') return;
    const origin = url.origin;
    let entry = this.cache.get(origin);
    if (!entry || (entry.expires < Date.now() && !entry.pending)) {
      // One fetch per origin at a time; concurrent checks wait for it.
      entry = { expires: Infinity, robot: null, pending: this.load(origin) };
      this.cache.set(origin, entry);
    }
    if (entry.pending) await entry.pending;
    entry = this.cache.get(origin)!;
    if (entry.robot === 'unreachable') {
      throw new FetchError('robots', `robots.txt of ${origin} is unreachable; not fetching ${url.href} for now`, {
        retryable: true,
        url: url.href,
      });
    }
    if (entry.robot && entry.robot.isAllowed(url.href, this.opts.userAgent) === false) {
      throw new FetchError('robots', `robots.txt of ${origin} disallows ${url.pathname} for our User-Agent`, { url: url.href });
    }
  }

  private async load(origin: string): Promise<void> {
    const robotsUrl = `${origin}/robots.txt`;
    let robot: Robot | 'unreachable' | null;
    let ttl = this.ttlMs;
    try {
      const res = await this.opts.fetch(robotsUrl);
      if (res.status >= 200 && res.status < 300) robot = robotsParser(robotsUrl, res.body);
      else if (res.status >= 400 && res.status < 500) robot = null;
      else {
        robot = 'unreachable';
        ttl = Math.min(ttl, 300_000);
      }
    } catch (e) {
      // Our own refusals (SSRF, too large) are not the site being down: no rules then.
      robot = e instanceof FetchError && !e.retryable ? null : 'unreachable';
      ttl = Math.min(ttl, 300_000);
    }
    this.cache.set(origin, { expires: Date.now() + ttl, robot });
  }
}
