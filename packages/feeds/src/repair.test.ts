import { describe, expect, it } from 'vitest';
import { parseFeedFile, parseFeedText } from './parse.js';
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

  it('marks as repaired what the lenient reader accepts: undefined entities, control characters, encodings', async () => {
    const feed = (title: string) => `<rss version="2.0"><channel><title>${title}</title><item><title>x</title></item></channel></rss>`;
    const entity = await parseFeedText(feed('caf&eacute;'));
    expect(entity).toMatchObject({ ok: true, repaired: true, fixes: ['undefined entities'], feed: { title: 'café' } });
    expect(await parseFeedText(feed('A\u0007B'))).toMatchObject({ repaired: true, fixes: ['control characters'], feed: { title: 'AB' } });
    const bogus = await parseFeedFile(Buffer.from(`<?xml version="1.0" encoding="bogus-enc"?>${feed('T')}`));
    expect(bogus).toMatchObject({ ok: true, repaired: true, fixes: ['encoding declaration'] });
    // Latin-1 bytes (é = 0xE9) in a document that declares UTF-8.
    const latin = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>caf'), Buffer.from([0xe9]), Buffer.from(' cr\u00e8me </title></channel></rss>', 'latin1')]);
    expect(await parseFeedFile(latin)).toMatchObject({ ok: true, repaired: true });
  });

  it('does not mark a well-formed feed: ampersands in comments and CDATA, DTD entities, declared encodings', async () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?><!-- AT&T &nbsp; --><!DOCTYPE rss [<!ENTITY id "tag:e.x,">]>' +
      '<rss version="2.0"><channel><title>A &amp; B &#160;</title><item><guid isPermaLink="false">&id;1</guid>' +
      '<description><![CDATA[<a href="https://e.x/?a=1&b=2">&nbsp;x</a>]]></description></item></channel></rss>';
    const r = await parseFeedFile(Buffer.from(xml));
    expect(r).toMatchObject({ ok: true, repaired: false, fixes: [] });
    if (r.ok) expect(r.items[0]!.guid).toBe('tag:e.x,1');
    const gbk = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="gb18030"?><rss version="2.0"><channel><title>'), Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]), Buffer.from('</title></channel></rss>')]);
    expect(await parseFeedFile(gbk)).toMatchObject({ ok: true, repaired: false, feed: { title: '北京' } });
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
