import type { Element } from 'domhandler';
import { dateFromUrl, parseDate, type DateOptions } from './dates.js';
import { collapse, textOf } from './dom.js';
import { firstMeta, lastMeta, ldValue, type PageMeta } from './metadata.js';
import { authorNear, dateNear } from './near-title.js';

/** Names, not addresses or handles: "https://facebook.com/x" and "@x" are not authors. */
function personName(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const s = collapse(v).replace(/^(?:by|von|par|por|作者|文|记者)\s*[:：/]?\s*/i, '');
  if (!s || s.length > 100 || /^https?:|^www\.|\/\//.test(s) || /^@/.test(s) || !/\p{L}{2}/u.test(s)) return undefined;
  return s;
}

function ldNames(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(ldNames);
  if (v && typeof v === 'object') {
    const name = (v as Record<string, unknown>)['name'];
    return typeof name === 'string' ? [name] : [];
  }
  return [];
}

export function findAuthor(meta: PageMeta, nearTitle: string): string | null {
  const ld = [...new Set(ldNames(ldValue(meta, 'author')).map(personName).filter((x): x is string => !!x))];
  if (ld.length) return ld.join(', ');
  const m = personName(
    lastMeta(meta, ['dc:creator', 'dcterm:creator', 'dcterms:creator', 'author', 'parsely-author', 'article:author', 'sailthru:author', 'byl', 'citation_author']),
  );
  if (m) return m;
  for (const el of meta.itemprops.get('author') ?? []) {
    const nameEl = findItemprop(el, 'name');
    const v = personName(nameEl ? (nameEl.attribs['content'] ?? textOf(nameEl)) : (el.attribs['content'] ?? textOf(el)));
    if (v) return v;
  }
  for (const el of meta.bylines) {
    const v = personName(textOf(el).replace(/\s*(?:\||·|•).*$/, ''));
    if (v && v.length <= 60 && !/\d{4}|updated|published/i.test(v)) return v;
  }
  return authorNear(nearTitle);
}

function findItemprop(el: Element, prop: string): Element | undefined {
  for (const c of el.children) {
    if (c.type !== 'tag') continue;
    if (c.attribs['itemprop'] === prop) return c;
    const deeper = findItemprop(c, prop);
    if (deeper) return deeper;
  }
  return undefined;
}

const DATE_KEYS = [
  'article:published_time', 'og:article:published_time', 'published_time', 'article:published', 'datepublished',
  'parsely-pub-date', 'sailthru:date', 'pubdate', 'publishdate', 'publish-date', 'publish_date', 'pub_date',
  'publication_date', 'dc:date:issued', 'dcterms:issued', 'dcterms:created', 'dc:date:created', 'dc:date', 'dcterms:date',
  'date', 'article_date_original', 'cxenseparse:recs:publishtime', 'og:release_date', 'firstpublishedtime',
  'weibo:article:create_at', 'citation_publication_date', 'article:modified_time', 'datemodified', 'lastmod',
];

export function findPublished(meta: PageMeta, url: string, opts: DateOptions, nearTitle: string): string | null {
  const ld = ldValue(meta, 'datePublished') ?? ldValue(meta, 'dateCreated');
  if (typeof ld === 'string' || typeof ld === 'number') {
    const d = parseDate(String(ld), opts);
    if (d) return d;
  }
  for (const k of DATE_KEYS) {
    for (const v of meta.meta.get(k) ?? []) {
      const d = parseDate(v, opts);
      if (d) return d;
    }
  }
  for (const el of meta.itemprops.get('datePublished') ?? []) {
    const d = parseDate(el.attribs['datetime'] ?? el.attribs['content'] ?? textOf(el), opts);
    if (d) return d;
  }
  for (const t of meta.times) {
    if (t.el.attribs['pubdate'] !== undefined || /publish|posted|created/i.test(t.el.attribs['class'] ?? '')) {
      const d = parseDate(t.value, opts);
      if (d) return d;
    }
  }
  return dateNear(nearTitle, opts) ?? dateFromUrl(url, opts);
}

/** BCP 47 tag as written, tidied: "zh_CN" -> "zh-CN", "EN-us" -> "en-US". */
export function normaliseLang(v: string | null | undefined): string | null {
  if (!v) return null;
  const m = /^([a-z]{2,3})(?:[-_]([a-z]{2,4}))?/i.exec(v.trim());
  if (!m) return null;
  const primary = m[1]!.toLowerCase();
  if (!m[2]) return primary;
  const sub = m[2].length === 4 ? m[2][0]!.toUpperCase() + m[2].slice(1).toLowerCase() : m[2].toUpperCase();
  return `${primary}-${sub}`;
}

export function declaredLang(meta: PageMeta): string | null {
  const ld = ldValue(meta, 'inLanguage');
  return (
    normaliseLang(meta.htmlLang) ??
    normaliseLang(firstMeta(meta, ['content-language', 'language', 'dc:language', 'og:locale'])) ??
    normaliseLang(typeof ld === 'string' ? ld : undefined)
  );
}

/** Language from the text itself when the page does not say: scripts first, then English. */
export function guessLang(text: string): string | null {
  const sample = text.slice(0, 3000);
  const han = sample.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  const kana = sample.match(/[\u3040-\u30ff]/g)?.length ?? 0;
  const hangul = sample.match(/[\uac00-\ud7af]/g)?.length ?? 0;
  const latin = sample.match(/[A-Za-z]/g)?.length ?? 0;
  if (kana > 20) return 'ja';
  if (hangul > 20) return 'ko';
  if (han > 20 && han * 2 > latin / 3) return 'zh';
  const words = sample.toLowerCase().match(/[a-z]+/g) ?? [];
  if (words.length < 20) return null;
  const common = words.filter((w) => EN.has(w)).length;
  return common / words.length > 0.15 ? 'en' : null;
}

const EN = new Set(['the', 'of', 'and', 'to', 'in', 'a', 'is', 'that', 'for', 'it', 'was', 'on', 'with', 'as', 'by', 'at', 'he', 'his', 'are', 'be', 'this', 'from', 'have', 'said']);

export function findCanonical(meta: PageMeta, url: string): string | null {
  const link = meta.links.find((l) => l.rel.split(/\s+/).includes('canonical'))?.href;
  const ld = ldValue(meta, 'url');
  for (const v of [link, firstMeta(meta, ['og:url']), typeof ld === 'string' ? ld : undefined]) {
    if (!v) continue;
    try {
      const u = new URL(v, url);
      if (u.protocol === 'http:' || u.protocol === 'https:') return u.href;
    } catch {
      // not a URL: try the next source
    }
  }
  return null;
}

export function findDescription(meta: PageMeta): string | null {
  const ld = ldValue(meta, 'description');
  const v = (typeof ld === 'string' ? ld : undefined) ?? firstMeta(meta, ['og:description', 'description', 'twitter:description', 'dc:description']);
  return v ? collapse(v) || null : null;
}

export function findSiteName(meta: PageMeta): string | null {
  const pub = ldValue(meta, 'publisher');
  const ld = pub && typeof pub === 'object' ? (pub as Record<string, unknown>)['name'] : undefined;
  const v = firstMeta(meta, ['og:site_name', 'sitename', 'application-name', 'apple-mobile-web-app-title']) ?? (typeof ld === 'string' ? ld : undefined);
  return v ? collapse(v) || null : null;
}
