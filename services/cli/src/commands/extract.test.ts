import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { extract } from './extract.js';

const fixture = (name: string) => new URL(`../../../../packages/extract/testdata/${name}`, import.meta.url);

describe('pnpm radar extract', () => {
  let dir: string;
  let lines: string[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'radar-extract-'));
    lines = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints one JSON line per page of a folder, gunzipping .html.gz and decoding GBK', async () => {
    writeFileSync(join(dir, 'a.html.gz'), gzipSync(readFileSync(fixture('zh-news-portal.html'))));
    writeFileSync(join(dir, 'b.html'), readFileSync(fixture('zh-gov-gbk.html')));
    writeFileSync(join(dir, 'notes.txt'), 'not a page');
    expect(await extract.run([dir, '--url', 'https://news.example.cn/finance/x.htm'])).toBe(0);
    const out = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => Object.keys(o))).toEqual([
      ['file', 'title', 'text', 'published', 'author', 'lang', 'canonical'],
      ['file', 'title', 'text', 'published', 'author', 'lang', 'canonical'],
    ]);
    expect(out[0]).toMatchObject({ file: join(dir, 'a.html.gz'), title: '北京发布金融科技创新试点新一批项目 首次纳入跨境支付场景' });
    expect(out[1]).toMatchObject({ title: '海淀区出台促进人工智能与金融融合发展若干措施', published: '2024-03-15T01:00:00.000Z' });
  });

  it("gives the --url (canonicalised) as canonical when the page declares none, and the page's own otherwise", async () => {
    const body = '<p>' + 'Beijing fintech pilot projects announced for cross-border payments. '.repeat(20) + '</p>';
    writeFileSync(join(dir, 'a.html'), `<html><head><title>Plain page</title></head><body><article><h1>Plain page</h1>${body}</article></body></html>`);
    writeFileSync(join(dir, 'b.html'), `<html><head><title>Own</title><link rel="canonical" href="https://news.example.cn/own.htm"></head><body><article>${body}</article></body></html>`);
    expect(await extract.run([dir, '--url', 'http://News.Example.cn/x.htm?utm_source=rss#top'])).toBe(0);
    expect(lines.map((l) => (JSON.parse(l) as { canonical: unknown }).canonical)).toEqual(['https://news.example.cn/x.htm', 'https://news.example.cn/own.htm']);
    lines.length = 0;
    expect(await extract.run([join(dir, 'a.html')])).toBe(0);
    expect((JSON.parse(lines[0]!) as { canonical: unknown }).canonical).toBeNull();
  });

  it('goes on past a missing file and exits 1', async () => {
    expect(await extract.run([join(dir, 'missing.html'), fixture('zh-blog-divs.html').pathname])).toBe(1);
    expect(lines).toHaveLength(1);
  });
});
