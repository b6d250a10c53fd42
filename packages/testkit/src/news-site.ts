import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';

/** One sample article: rendered as a feed item and as a news page. */
export interface SiteArticle {
  slug: string;
  lang: 'en' | 'zh';
  /** Which feed lists it (feed URL: /feeds/<feed>.xml). */
  feed: string;
  /** 'gbk' renders the page (and its feed) in GBK; default UTF-8. */
  encoding?: 'gbk' | 'utf-8';
  title: string;
  published: string;
  paragraphs: string[];
}

const here = dirname(fileURLToPath(import.meta.url));

/** The bundled demo articles (English and Chinese, some GBK). */
export function demoArticles(): SiteArticle[] {
  const raw = JSON.parse(readFileSync(resolve(here, '../fixtures/demo-articles.json'), 'utf8')) as { articles: SiteArticle[] };
  return raw.articles;
}

/**
 * `n` articles made from the demo ones, each with a unique slug and a unique sentence, so
 * none is a near-duplicate of another; pages are padded to a realistic size with boilerplate.
 */
export function syntheticArticles(n: number, feeds = 1): SiteArticle[] {
  const base = demoArticles();
  return Array.from({ length: n }, (_, i) => {
    const a = base[i % base.length]!;
    const tag = a.lang === 'zh' ? `第${i + 1}号报道，编号${(i * 7919) % 100003}。` : `Report number ${i + 1}, reference ${(i * 7919) % 100003}.`;
    return {
      ...a,
      slug: `${a.slug}-${i + 1}`,
      feed: `f${i % feeds}`,
      title: `${a.title} (${i + 1})`,
      paragraphs: [tag, ...a.paragraphs, tag],
    };
  });
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Boilerplate that real news pages carry around the article (menus, scripts, styles, comment
 * widgets), so benchmarks parse pages of a realistic size. About `kb` kilobytes.
 */
function filler(kb: number, zh: boolean): { head: string; nav: string; tail: string } {
  if (kb <= 0) return { head: '', nav: '', tail: '' };
  const words = zh ? ['财经', '科技', '北京', '视频', '图片', '评论', '专题', '直播', '房产', '汽车'] : ['Markets', 'Tech', 'World', 'Video', 'Opinion', 'Sport', 'Culture', 'Travel', 'Style', 'Science'];
  const link = (i: number) => `<li class="menu-item"><a href="/section/${i}">${words[i % words.length]} ${i}</a></li>`;
  const nav = `<div class="mega-menu"><ul>${Array.from({ length: Math.max(20, kb * 2) }, (_, i) => link(i)).join('')}</ul></div>`;
  const config = JSON.stringify(Array.from({ length: kb * 6 }, (_, i) => ({ slot: `ad-${i}`, sizes: [[300, 250], [728, 90]], targeting: { pos: i % 4, kw: words[i % words.length] } })));
  const head = `<style>${Array.from({ length: kb * 3 }, (_, i) => `.c${i}{margin:${i % 7}px;padding:${i % 5}px;color:#${(i * 2654435761 % 0xffffff).toString(16).padStart(6, '0')}}`).join('')}</style><script>window.__ADS__=${config};</script>`;
  const tail = `<div class="comments">${Array.from({ length: 5 }, (_, i) => `<div class="comment"><span class="user">user${i}</span><p>${zh ? '说得好，支持！' : 'Great read, thanks.'}</p></div>`).join('')}</div><script>${'/* analytics */ (function(){var q=[];q.push(["track",location.href]);})();'.repeat(kb)}</script>`;
  return { head, nav, tail };
}

function page(a: SiteArticle, base: string, related: SiteArticle[], padKb = 0): string {
  const pad = filler(padKb, a.lang === 'zh');
  const charset = a.encoding === 'gbk' ? 'gbk' : 'utf-8';
  const nav = a.lang === 'zh' ? ['首页', '要闻', '财经', '科技', '北京'] : ['Home', 'News', 'Business', 'Technology', 'Beijing'];
  return `<!DOCTYPE html>
<html lang="${a.lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="${charset}">
<title>${esc(a.title)} - Radar Sample News</title>
<link rel="canonical" href="${base}/articles/${a.slug}.html">
<meta property="og:title" content="${esc(a.title)}">
<meta property="article:published_time" content="${a.published}">
${pad.head}
<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'NewsArticle', headline: a.title, datePublished: a.published, author: { '@type': 'Person', name: 'Sample Desk' } })}</script>
</head><body>
<header><nav>${nav.map((n) => `<a href="${base}/">${n}</a>`).join(' | ')}</nav>${pad.nav}</header>
<main><article>
<h1>${esc(a.title)}</h1>
<p class="byline">Sample Desk · <time datetime="${a.published}">${a.published.slice(0, 10)}</time></p>
${a.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n')}
</article>
<aside class="related"><h2>${a.lang === 'zh' ? '相关新闻' : 'Related'}</h2><ul>${related.map((r) => `<li><a href="${base}/articles/${r.slug}.html">${esc(r.title)}</a></li>`).join('')}</ul></aside>
</main>
<footer><p>${a.lang === 'zh' ? '版权所有 示例新闻网 京ICP备00000000号' : 'Copyright Radar Sample News. All rights reserved.'}</p>
<p><a href="${base}/about">About</a> · <a href="${base}/contact">Contact</a> · <a href="${base}/privacy">Privacy</a></p></footer>${pad.tail}
</body></html>`;
}

function rss(name: string, items: SiteArticle[], base: string, encoding: string): string {
  return `<?xml version="1.0" encoding="${encoding === 'gbk' ? 'GBK' : 'UTF-8'}"?>
<rss version="2.0"><channel>
<title>Radar Sample News: ${esc(name)}</title>
<link>${base}/</link>
<description>Sample feed served by Radar's demo</description>
<language>${items[0]?.lang === 'zh' ? 'zh-cn' : 'en'}</language>
<ttl>5</ttl>
${items
  .map(
    (a) => `<item><title>${esc(a.title)}</title><link>${base}/articles/${a.slug}.html</link>
<guid isPermaLink="false">${a.slug}</guid><pubDate>${new Date(a.published).toUTCString()}</pubDate>
<description>${esc(a.paragraphs[0] ?? '')}</description></item>`,
  )
  .join('\n')}
</channel></rss>`;
}

export interface NewsSite {
  /** e.g. http://127.0.0.1:34567 */
  base: string;
  server: Server;
  /** Feed URLs, one per feed name. */
  feedUrls: string[];
  /** Requests served, by path. */
  hits: Map<string, number>;
  /** Replaces the articles served (e.g. to add items to a feed). */
  setArticles(articles: SiteArticle[]): void;
  /** Runs before each request; return true when it answered the request itself (fault injection). */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  close(): Promise<void>;
}

/** Serves feeds and article pages on 127.0.0.1 for the demo, the tests and the benchmarks. */
export interface NewsSiteOptions {
  port?: number;
  /** Boilerplate added to each page, in kilobytes (default 0: small pages). */
  pageKb?: number;
}

export async function startNewsSite(initial: SiteArticle[], opts: NewsSiteOptions = {}): Promise<NewsSite> {
  let articles = initial;
  let bySlug = new Map(articles.map((a) => [a.slug, a]));
  const hits = new Map<string, number>();
  const site: NewsSite = {
    base: '',
    server: undefined as unknown as Server,
    feedUrls: [],
    hits,
    setArticles(next) {
      articles = next;
      bySlug = new Map(articles.map((a) => [a.slug, a]));
    },
    close: () => new Promise((r) => site.server.close(() => r())),
  };
  const send = (res: ServerResponse, status: number, type: string, body: string, encoding = 'utf-8') => {
    const bytes = encoding === 'gbk' ? iconv.encode(body, 'gbk') : Buffer.from(body, 'utf8');
    res.writeHead(status, { 'content-type': `${type}; charset=${encoding}`, 'content-length': bytes.length });
    res.end(bytes);
  };
  site.server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (site.intercept && (await site.intercept(req, res))) return;
    const feed = /^\/feeds\/([\w-]+)\.xml$/.exec(path);
    const art = /^\/articles\/([\w-]+)\.html$/.exec(path);
    if (path === '/robots.txt') return send(res, 200, 'text/plain', 'User-agent: *\nAllow: /\n');
    if (feed) {
      const items = articles.filter((a) => a.feed === feed[1]);
      if (!items.length) return send(res, 404, 'text/plain', 'no such feed');
      const enc = items.every((a) => a.encoding === 'gbk') ? 'gbk' : 'utf-8';
      return send(res, 200, 'application/rss+xml', rss(feed[1]!, items, site.base, enc), enc);
    }
    const a = art && bySlug.get(art[1]!);
    if (a) {
      const related = articles.filter((r) => r.lang === a.lang && r.slug !== a.slug).slice(0, 4);
      return send(res, 200, 'text/html', page(a, site.base, related, opts.pageKb ?? 0), a.encoding === 'gbk' ? 'gbk' : 'utf-8');
    }
    send(res, 404, 'text/plain', 'not found');
  });
  await new Promise<void>((r) => site.server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  site.base = `http://127.0.0.1:${(site.server.address() as AddressInfo).port}`;
  site.feedUrls = [...new Set(articles.map((a) => a.feed))].map((f) => `${site.base}/feeds/${f}.xml`);
  return site;
}
