import type { Document, Element } from 'domhandler';
import { eachElement, textOf } from './dom.js';

/**
 * Everything the page says about itself, gathered in one walk: <meta> tags (Open Graph,
 * Twitter, Dublin Core, parse.ly, news-site names), JSON-LD, schema.org microdata, <link>,
 * <title>, <html lang>, <time>, the headings.
 */
export interface PageMeta {
  /** Meta name / property / itemprop / http-equiv, lower-cased, dots as colons -> values in document order. */
  meta: Map<string, string[]>;
  /** JSON-LD objects, @graph flattened, article-like types first. */
  jsonld: Record<string, unknown>[];
  docTitle: string;
  htmlLang: string | null;
  links: { rel: string; href: string }[];
  h1: string[];
  /** The first <h1> element, where the byline and date usually follow. */
  h1El: Element | null;
  h2: string[];
  /** <time datetime> and microdata dates in the body: [value, element]. */
  times: { value: string; el: Element }[];
  /** Elements marked as a byline: rel=author, class or id naming a byline or author. */
  bylines: Element[];
  /** Microdata elements by itemprop (author, datePublished, headline...). */
  itemprops: Map<string, Element[]>;
}

const ARTICLE_TYPES = /article|posting|report|blog|news|webpage|creativework/i;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function collectMeta(doc: Document): PageMeta {
  const out: PageMeta = {
    meta: new Map(), jsonld: [], docTitle: '', htmlLang: null, links: [], h1: [], h1El: null, h2: [], times: [],
    itemprops: new Map(), bylines: [],
  };
  let sawTitle = false;
  eachElement(doc, (el) => {
    const a = el.attribs;
    switch (el.name) {
      case 'meta': {
        const content = a['content'] ?? a['value'];
        if (content === undefined) break;
        for (const key of [a['property'], a['name'], a['itemprop'], a['http-equiv']]) {
          // property="og:title article:published_time" style lists do occur.
          // Keys are lower-cased with dots as colons: "DC.title" and "dc:title" are one key.
          if (key) for (const k of key.toLowerCase().split(/\s+/)) if (k) push(out.meta, k.replaceAll('.', ':'), content.trim());
        }
        return;
      }
      case 'link':
        if (a['rel'] && a['href']) out.links.push({ rel: a['rel'].toLowerCase(), href: a['href'].trim() });
        return;
      case 'title':
        if (!sawTitle && el.parent && (el.parent as Element).name !== 'svg') {
          out.docTitle = textOf(el);
          sawTitle = true;
        }
        return;
      case 'html':
        out.htmlLang = a['lang'] ?? a['xml:lang'] ?? null;
        break;
      case 'script':
        if (a['type']?.toLowerCase().includes('ld+json')) readJsonLd(el, out.jsonld);
        return;
      case 'h1':
        out.h1.push(textOf(el));
        out.h1El ??= el;
        break;
      case 'h2':
        if (out.h2.length < 20) out.h2.push(textOf(el));
        break;
      case 'time':
        if (a['datetime']) out.times.push({ value: a['datetime'], el });
        break;
    }
    if (out.bylines.length < 5 && isByline(el)) out.bylines.push(el);
    const itemprop = a['itemprop'];
    if (itemprop) for (const p of itemprop.split(/\s+/)) if (p) push(out.itemprops, p, el);
  });
  out.jsonld.sort((x, y) => Number(isArticle(y)) - Number(isArticle(x)));
  return out;
}

function mentionsByline(v: string | undefined): boolean {
  return v !== undefined && (v.includes('uthor') || v.includes('yline'));
}

function isByline(el: Element): boolean {
  const a = el.attribs;
  if (a['rel'] === 'author') return true;
  const cls = a['class'];
  const id = a['id'];
  // Cheap test first: this runs for every element of the page.
  if (!mentionsByline(cls) && !mentionsByline(id)) return false;
  const names = `${cls ?? ''} ${id ?? ''}`.toLowerCase();
  return /byline|(?:^|[\s_-])author(?:[-_]?name)?(?:$|\s)/.test(names) && !/bio|avatar|img|image|photo|desc/.test(names);
}

export function isArticle(o: Record<string, unknown>): boolean {
  const t = o['@type'];
  const types = Array.isArray(t) ? t : [t];
  return types.some((x) => typeof x === 'string' && ARTICLE_TYPES.test(x) && !/^webpage$/i.test(x));
}

function readJsonLd(el: Element, out: Record<string, unknown>[]): void {
  const raw = el.children.map((c) => ('data' in c ? c.data : '')).join('');
  let data: unknown;
  try {
    data = JSON.parse(raw.replace(/^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$/g, ''));
  } catch {
    // Pages ship broken JSON-LD (trailing commas, raw newlines in strings): one lenient retry.
    try {
      data = JSON.parse(raw.replace(/^\s*(?:<!--|<!\[CDATA\[)|(?:-->|\]\]>)\s*$/g, '').replace(/[\n\r\t]+/g, ' ').replace(/,\s*([}\]])/g, '$1'));
    } catch {
      return;
    }
  }
  const visit = (v: unknown, depth: number): void => {
    if (depth > 3 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) visit(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (o['@type']) out.push(o);
    if (o['@graph']) visit(o['@graph'], depth + 1);
    else if (o['mainEntity'] && typeof o['mainEntity'] === 'object') visit(o['mainEntity'], depth + 1);
  };
  visit(data, 0);
}

/** First non-empty value among the given meta keys. */
export function firstMeta(meta: PageMeta, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    for (const v of meta.meta.get(k) ?? []) if (v) return v;
  }
  return undefined;
}

/** Last non-empty value among the given meta keys, tried in order (a later tag overrides). */
export function lastMeta(meta: PageMeta, keys: readonly string[]): string | undefined {
  for (const k of keys) {
    const values = (meta.meta.get(k) ?? []).filter(Boolean);
    if (values.length) return values[values.length - 1];
  }
  return undefined;
}

/** A JSON-LD property of the first article-like object that has it, as text. */
export function ldValue(meta: PageMeta, key: string): unknown {
  for (const o of meta.jsonld) {
    if (!isArticle(o)) continue;
    const v = o[key];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}
