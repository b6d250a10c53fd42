import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNewsSite, syntheticArticles, type NewsSite } from '@radar/testkit';
import { createFaultPipeline, type FaultPipeline } from './harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a news site that hangs, fails with 500 and throttles with 429 Retry-After', () => {
  let site: NewsSite;
  let p: FaultPipeline;
  const articles = syntheticArticles(16, 4);
  const [hangs, fails, throttled, gone] = articles.map((a) => `/articles/${a.slug}.html`);
  /** Request times by path. */
  const seen = new Map<string, number[]>();

  beforeAll(async () => {
    site = await startNewsSite(articles);
    const answer = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(`status ${status}`);
      return true;
    };
    site.intercept = async (req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const times = seen.get(path) ?? [];
      times.push(Date.now());
      seen.set(path, times);
      const first = times.length === 1;
      if (first && (path === '/feeds/f0.xml' || path === hangs)) {
        // Hangs past FETCH_TIMEOUT_MS (1.5 s), then drops the connection.
        await sleep(4000);
        res.destroy();
        return true;
      }
      if (first && (path === '/feeds/f1.xml' || path === fails)) return answer(res, 500);
      if (first && path === '/feeds/f2.xml') return answer(res, 429, { 'retry-after': '2' });
      // Longer than the extract job's first backoff (5 s), so the wait is the server's.
      if (first && path === throttled) return answer(res, 429, { 'retry-after': '7' });
      if (path === gone) return answer(res, 404);
      return false;
    };
    p = await createFaultPipeline();
  });
  afterAll(async () => {
    await p?.close();
    await site?.close();
  });

  it('stores every article once, honours Retry-After, and explains the page it could not get', async () => {
    p.spawn('all');
    for (const url of site.feedUrls) await p.rt.repos.feeds.add(url);
    const failed = await p.settle(articles.length, 45_000);
    await p.expectExactlyOnce(site.base, articles);
    expect(failed).toEqual([]);

    const stored = await p.rt.dbh.db.selectFrom('articles').select(['url', 'extract_status', 'extract_error']).execute();
    const byPath = new Map(stored.map((a) => [new URL(a.url).pathname, a]));
    // The 404 page is classified on the feed's text, and says why.
    expect(byPath.get(gone!)).toMatchObject({ extract_status: 'failed' });
    expect(byPath.get(gone!)!.extract_error).toContain('404');
    // Every transient failure was retried until the page came.
    expect(stored.filter((a) => a.extract_status === 'page')).toHaveLength(articles.length - 1);

    const gap = (path: string) => seen.get(path)![1]! - seen.get(path)![0]!;
    expect(gap('/feeds/f2.xml')).toBeGreaterThanOrEqual(1900);
    expect(gap(throttled!)).toBeGreaterThanOrEqual(6900);
    for (const f of await p.rt.repos.feeds.list()) expect(f.health).toBe('ok');
  });
});
