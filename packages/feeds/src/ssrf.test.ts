import { describe, expect, it } from 'vitest';
import { SsrfGuard } from './ssrf.js';

// What can be refused from the URL alone, when a feed is added (no DNS, no connection).
describe('SsrfGuard.urlRefusal', () => {
  const guard = new SsrfGuard(['127.0.0.1', 'intranet.example', '192.0.2.0/24']);

  it('refuses literal private, loopback, link-local and metadata addresses, in any spelling', () => {
    for (const [url, why] of [
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a linkLocal address \(not in FETCH_ALLOW_HOSTS\)/],
      ['http://2852039166/', /169\.254\.169\.254 is a linkLocal address/], // the same address as one number
      ['http://10.1.2.3:8080/feed', /10\.1\.2\.3 is a private address/],
      ['http://127.0.0.2/', /127\.0\.0\.2 is a loopback address/],
      ['http://[::1]/feed', /::1 is a loopback address/],
      ['http://[::ffff:a9fe:a9fe]/', /is a linkLocal address/],
      ['http://0.0.0.0/', /is a unspecified address/],
      ['http://localhost:9000/', /localhost \(not in FETCH_ALLOW_HOSTS\)/],
      ['ftp://example.org/feed', /only http and https/],
      ['not a url', /not a URL/],
    ] as const) {
      expect(guard.urlRefusal(url), url).toMatch(why);
    }
  });

  it('lets public addresses, names and the allow-list through (names are checked at connect time)', () => {
    for (const url of ['https://example.org/feed.xml', 'http://93.184.216.34/rss', 'http://127.0.0.1:8080/feed', 'http://192.0.2.7/', 'http://intranet.example/rss']) {
      expect(guard.urlRefusal(url), url).toBeNull();
    }
  });
});
