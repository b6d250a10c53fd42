import { describe, expect, it } from 'vitest';
import { parseFeedText } from './parse.js';
import { repairText } from './repair.js';

describe('repair of ill-formed feeds', () => {
  it('fixes undefined entities, bare ampersands and control characters, and says so', async () => {
    const xml = '<rss version="2.0"><channel><title>A&nbsp;&mdash; B \u0001 &amp; C & D</title><item><title>x</title><link>http://e.x/?a=1&b=2</link></item></channel></rss>';
    expect(repairText(xml).fixes).toEqual(['control characters', 'undefined entities', 'bare ampersands']);
    const r = await parseFeedText(xml);
    expect(r.ok && r.repaired).toBe(true);
    if (r.ok) {
      expect(r.feed.title).toBe('A — B & C & D');
      expect(r.items[0]!.link).toBe('http://e.x/?a=1&b=2');
    }
  });

  it('reads a truncated feed and a wrong encoding declaration', async () => {
    const truncated = '<?xml version="1.0" encoding="bogus-enc"?><rss version="2.0"><channel><title>T</title><item><title>First</title><link>https://e.x/1</link></item><item><title>Sec';
    const r = await parseFeedText(truncated);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.items.map((i) => i.title)).toEqual(['First', 'Sec']);
  });

  it('fails with a clear error what is not a feed', async () => {
    for (const [doc, msg] of [
      ['<html><body>hello</body></html>', /not a feed/],
      ['{"version":"1"}', /JSON Feed/],
      ['', /not a feed|unreadable/],
      ['<<<>>>', /not a feed|unreadable/],
    ] as const) {
      const r = await parseFeedText(doc);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(msg);
    }
  });
});
