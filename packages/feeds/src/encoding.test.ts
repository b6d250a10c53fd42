import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody, normalizeCharset } from './encoding.js';

const ZH = '北京市发布金融科技创新政策，支持中关村建设国家级示范区。';

describe('decodeBody', () => {
  it('trusts a BOM over every declaration', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('<?xml version="1.0" encoding="gbk"?><a>é</a>', 'utf-16le')]);
    expect(decodeBody(bytes, { contentType: 'text/xml; charset=gbk' })).toMatchObject({ encoding: 'utf-16le', source: 'bom', text: '<?xml version="1.0" encoding="gbk"?><a>é</a>' });
  });

  it('decodes GBK declared in the XML declaration, as GB18030', () => {
    const r = decodeBody(iconv.encode(`<?xml version="1.0" encoding="gb2312"?><t>${ZH}</t>`, 'gbk'));
    expect(r).toMatchObject({ encoding: 'gb18030', source: 'xml' });
    expect(r.text).toContain(ZH);
  });

  it('does not make mojibake of GBK labelled ISO-8859-1 or UTF-8', () => {
    for (const label of ['iso-8859-1', 'utf-8']) {
      const r = decodeBody(iconv.encode(`<html><head><meta charset="${label}"></head><body>${ZH}</body></html>`, 'gbk'), { contentType: `text/html; charset=${label}`, kind: 'html' });
      expect(r.text, label).toContain(ZH);
      expect(r.overridden).toBe(label);
    }
  });

  it('reads pure ASCII as itself under any ASCII-compatible label, and a declared 7-bit charset with its escapes', () => {
    const ascii = Buffer.from('<html><head><meta charset="iso-8859-1"></head><body><p>Beijing fintech ~ 100% & more</p></body></html>');
    for (const label of ['iso-8859-1', 'utf-8', 'gbk']) {
      expect(decodeBody(ascii, { contentType: `text/html; charset=${label}`, kind: 'html' }), label).toMatchObject({ text: ascii.toString(), encoding: normalizeCharset(label) });
    }
    expect(decodeBody(Buffer.from('<p>+ZeVnLIqe-</p>'), { contentType: 'text/html; charset=utf-7', kind: 'html' }).text).toBe('<p>日本語</p>');
  });

  it('reads UTF-8 whatever a header says, and keeps real Latin-1 as Latin-1', () => {
    expect(decodeBody(Buffer.from(`<p>${ZH}</p>`), { contentType: 'text/html; charset=gbk', kind: 'html' }).text).toContain(ZH);
    const latin = iconv.encode('<p>Café crème, à la française: déjà vu, naïve façade, garçon.</p>', 'latin1');
    expect(decodeBody(latin, { contentType: 'text/html; charset=iso-8859-1', kind: 'html' }).text).toContain('déjà vu, naïve façade');
  });

  it('maps charset labels to decoders', () => {
    expect(normalizeCharset('GB2312')).toBe('gb18030');
    expect(normalizeCharset('"Big5"')).toBe('cp950');
    expect(normalizeCharset('x-unknown')).toBeNull();
  });
});
