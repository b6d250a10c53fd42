import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedsContext } from './context.js';
import { FetchError } from './errors.js';
import { fetchPage } from './page.js';
import { pollFeed } from './poll.js';
import { rss, startServer, TEST_SETTINGS } from './testing/server.js';

// Against a real local HTTP server: the behaviours a crawler gets wrong in production.
describe('fetching feeds and pages', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  const ctx = createFeedsContext(TEST_SETTINGS);
  let bigBytesSent = 0;
  let feedHits = 0;
  const now = new Date();
  const feedXml = rss([
    { title: 'One', link: 'https://example.org/1', guid: 'g1', date: new Date(now.getTime() - 3600_000).toUTCString() },
    { title: 'Two', link: 'https://example.org/2', guid: 'g2', date: new Date(now.getTime() - 7200_000).toUTCString() },
  ]);

  beforeAll(async () => {
    srv = await startServer({
      '/robots.txt': (_q, r) => void r.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n'),
      '/feed': (q, r) => {
        feedHits++;
        if (q.headers['if-none-match'] === '"v1"') return void r.writeHead(304, { etag: '"v1"' }).end();
        r.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' }).end(feedXml);
      },
      '/busy': (_q, r) => void r.writeHead(503, { 'retry-after': '7200' }).end('busy'),
      // The other form of Retry-After: an HTTP date, one hour ahead.
      '/throttled': (_q, r) => void r.writeHead(429, { 'retry-after': new Date(Date.now() + 3600_000).toUTCString() }).end('slow down'),
      '/gone': (_q, r) => void r.writeHead(410).end(),
      '/loop-a': (_q, r) => void r.writeHead(302, { location: '/loop-b' }).end(),
      '/loop-b': (_q, r) => void r.writeHead(302, { location: '/loop-a' }).end(),
      '/old': (_q, r) => void r.writeHead(301, { location: '/feed' }).end(),
      '/hang': () => {
        /* never answers */
      },
      '/big': (_q, r) => {
        // 50 MB, streamed: the client must stop reading at its cap, not buffer it all.
        r.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const total = 50 * 1024 * 1024;
        const write = () => {
          while (bigBytesSent < total) {
            bigBytesSent += chunk.length;
            if (!r.write(chunk)) return void r.once('drain', write);
          }
          r.end();
        };
        r.on('close', () => r.removeAllListeners('drain'));
        write();
      },
      '/bomb': (_q, r) => {
        // 64 MB of zeros gzip to ~64 KB.
        r.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(64 * 1024 * 1024)));
      },
      '/gbk': (_q, r) => {
        const html = '<html><head><meta charset="iso-8859-1"><title>北京金融科技</title></head><body><p>北京市发布金融科技创新政策，支持中关村建设示范区。</p></body></html>';
        r.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' }).end(iconv.encode(html, 'gbk'));
      },
      '/private/feed': (_q, r) => void r.writeHead(200, { 'content-type': 'application/rss+xml' }).end(feedXml),
      '/not-a-feed': (_q, r) => void r.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>hi</body></html>'),
    });
  });
  afterAll(async () => {
    await ctx.close();
    await srv.close();
  });

  it('reads a feed, then costs a 304 and no parsing when unchanged', async () => {
    const first = await pollFeed({ url: `${srv.url}/feed` }, ctx);
    expect(first.kind).toBe('ok');
    expect(first.items.map((i) => i.title)).toEqual(['One', 'Two']);
    expect(first.feedPatch).toMatchObject({ etag: '"v1"', health: 'ok', error_count: 0, title: 'Test feed', last_status: 200 });
    const second = await pollFeed({ url: `${srv.url}/feed`, etag: first.feedPatch.etag, last_modified: first.feedPatch.last_modified }, ctx);
    expect(second.kind).toBe('not-modified');
    expect(second.items).toEqual([]);
    expect(second.feedPatch.last_status).toBe(304);
    expect(second.feedPatch.next_poll_at.getTime()).toBeGreaterThan(Date.now() + 250_000);
  });

  it('honours Retry-After on a 503 and marks the failure retryable', async () => {
    const out = await pollFeed({ url: `${srv.url}/busy`, error_count: 0 }, ctx);
    expect(out.kind).toBe('failed');
    expect(out.retryable).toBe(true);
    expect(out.feedPatch).toMatchObject({ health: 'slow', last_status: 503, error_count: 1 });
    expect(out.feedPatch.next_poll_at.getTime()).toBeGreaterThanOrEqual(Date.now() + 7100_000);
  });

  it('honours Retry-After (an HTTP date) on a 429 and marks the failure retryable', async () => {
    const out = await pollFeed({ url: `${srv.url}/throttled`, error_count: 2 }, ctx);
    expect(out.kind).toBe('failed');
    expect(out.retryable).toBe(true);
    expect(out.feedPatch).toMatchObject({ health: 'slow', last_status: 429, error_count: 3 });
    expect(out.feedPatch.next_poll_at.getTime()).toBeGreaterThanOrEqual(Date.now() + 3500_000);
  });

  it('retires a feed that answers 410 Gone', async () => {
    const out = await pollFeed({ url: `${srv.url}/gone` }, ctx);
    expect(out.kind).toBe('gone');
    expect(out.feedPatch).toMatchObject({ health: 'gone', active: false, last_status: 410 });
  });

  it('stops a redirect loop, and follows a permanent redirect by updating the URL', async () => {
    const loop = await pollFeed({ url: `${srv.url}/loop-a` }, ctx);
    expect(loop.kind).toBe('failed');
    expect(loop.retryable).toBe(false);
    expect(loop.error).toMatch(/redirect loop/);
    const moved = await pollFeed({ url: `${srv.url}/old` }, ctx);
    expect(moved.kind).toBe('ok');
    expect(moved.feedPatch.url).toBe(`${srv.url}/feed`);
  });

  it('times out a server that never answers', async () => {
    const t0 = Date.now();
    const out = await pollFeed({ url: `${srv.url}/hang` }, ctx);
    expect(out.kind).toBe('failed');
    expect(out.retryable).toBe(true);
    expect(out.error).toMatch(/timed out/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('caps a 50 MB body without reading it all', async () => {
    const err = await fetchPage(`${srv.url}/big`, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('too-large');
    expect((err as FetchError).retryable).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(bigBytesSent).toBeLessThan(20 * 1024 * 1024);
  });

  it('stops inflating a gzip bomb at the cap', async () => {
    const err = await fetchPage(`${srv.url}/bomb`, ctx).catch((e: unknown) => e);
    expect((err as FetchError).code).toBe('too-large');
  });

  it('decodes a GBK page whose declared charset is wrong, without mojibake', async () => {
    const page = await fetchPage(`${srv.url}/gbk`, ctx);
    expect(page.encoding).toBe('gb18030');
    expect(page.html).toContain('北京市发布金融科技创新政策');
  });

  it('honours a robots.txt disallow', async () => {
    const out = await pollFeed({ url: `${srv.url}/private/feed` }, ctx);
    expect(out.kind).toBe('failed');
    expect(out.retryable).toBe(false);
    expect(out.error).toMatch(/robots\.txt .* disallows/);
  });

  it('refuses private addresses when they are not allowed', async () => {
    const strict = createFeedsContext({ ...TEST_SETTINGS, FETCH_ALLOW_HOSTS: [] });
    try {
      const hits = feedHits;
      for (const url of [`${srv.url}/feed`, 'http://localhost:9/feed', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]:9/', 'http://10.1.2.3/']) {
        const out = await pollFeed({ url }, strict);
        expect(out.kind, url).toBe('failed');
        expect(out.retryable).toBe(false);
        expect(out.error).toMatch(/refused/);
      }
      expect(feedHits).toBe(hits);
      // A name that resolves to loopback is refused where the socket resolves it.
      const viaDns = await new Promise<Error | null>((resolve) => strict.guard.lookup('localhost', {}, (e) => resolve(e)));
      expect(viaDns?.message).toMatch(/loopback/);
    } finally {
      await strict.close();
    }
  });

  it('fails an HTML page served as a feed with a clear, stored error', async () => {
    const out = await pollFeed({ url: `${srv.url}/not-a-feed`, error_count: 2 }, ctx);
    expect(out.kind).toBe('failed');
    expect(out.feedPatch).toMatchObject({ health: 'failing', error_count: 3 });
    expect(out.feedPatch.last_error).toMatch(/not a feed/);
  });
});
