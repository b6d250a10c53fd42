import { describe, expect, it } from 'vitest';
import { extractArticle } from './extract.js';

const para = (s: string) => `<p>${s}</p>`.repeat(4);

describe('metadata', () => {
  it('prefers JSON-LD, then meta tags, for title, date, author and canonical', () => {
    const html = `<html lang="en-us"><head><title>Ignored - Site</title>
      <meta property="og:title" content="OG title"><meta property="article:published_time" content="2024-02-03T04:05:06Z">
      <meta name="author" content="Meta Author"><link rel="canonical" href="/story/1">
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"LD headline",
        "datePublished":"2024-02-01T10:00:00+01:00","author":{"@type":"Person","name":"Jane Roe"}}</script></head>
      <body><article>${para('Paragraph text with enough words, commas, and a full stop to count as prose in the article body.')}</article></body></html>`;
    const a = extractArticle(html, 'https://news.example.com/x?utm=1');
    expect(a).toMatchObject({
      title: 'LD headline',
      published: '2024-02-01T09:00:00.000Z',
      author: 'Jane Roe',
      lang: 'en-US',
      canonical: 'https://news.example.com/story/1',
    });
  });

  it('reads date and reporter from the line under the headline when a Chinese page has no metadata', () => {
    const html = `<html><head><meta charset="utf-8"><title>市属国企设立金融科技子公司_新闻中心</title></head><body>
      <div class="nav"><a href="/">首页</a><a href="/n">新闻</a></div>
      <h1>市属国企设立金融科技子公司</h1><div class="source">2024年05月06日 10:32\u3000来源：京报网\u3000记者 张伟</div>
      <div class="content">${para('北京市属国有企业近日设立金融科技子公司，注册资本五亿元，将重点开展供应链金融、数字支付和数据服务等业务，服务首都实体经济发展。')}</div>
      </body></html>`;
    const a = extractArticle(html, 'https://news.example.cn/n/123.html');
    expect(a.title).toBe('市属国企设立金融科技子公司');
    expect(a.published).toBe('2024-05-06T02:32:00.000Z');
    expect(a.author).toBe('张伟');
    expect(a.lang).toBe('zh');
    expect(a.text).not.toContain('来源');
  });

  it('reads an English byline element', () => {
    const html = `<html><head><title>Story</title></head><body><h1>Story</h1><div class="byline">By Jane Doe | Staff writer</div>
      <div class="story">${para('A paragraph of the story, which has commas, clauses, and enough words to be counted as article text.')}</div></body></html>`;
    expect(extractArticle(html, 'https://example.com/2023/07/14/story').author).toBe('Jane Doe');
    expect(extractArticle(html, 'https://example.com/2023/07/14/story').published).toBe('2023-07-14');
  });

  it('returns nulls and empty text for an empty page', () => {
    expect(extractArticle('', 'https://example.com/')).toMatchObject({ title: null, text: '', published: null, author: null });
  });
});

describe('fragments', () => {
  it('extracts the text of an HTML fragment without <html> or <body>', () => {
    const a = extractArticle(`<div>${para('A fragment of article text, as a feed carries it, with commas and a full stop.')}</div>`, 'https://example.com/');
    expect(a.text.split('\n\n')).toHaveLength(4);
  });
});
