import Parser from 'rss-parser';
import type { RawEntry, RawLink, RawText } from './normalize.js';
import { resolveUrl } from './url.js';
import { looksLikeHtml } from './text.js';
import type { FeedFormat } from './types.js';

/**
 * RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 through rss-parser. rss-parser does the XML reading and the
 * format dispatch; its flattened fields lose what normalisation needs (Atom text types, all
 * links with their rel, xml:base, isPermaLink), so the raw xml2js nodes are asked for as custom
 * fields and read here.
 */

// xml2js nodes: a string, or an object with text `_`, attributes `$` and child arrays.
type XNode = string | { _?: string; $?: Record<string, string>; [child: string]: unknown };

const raw = (name: string, as = `__${name}`) => [name, as, { keepArray: true }] as [string, string, { keepArray: boolean }];
const ITEM_FIELDS = [
  '$', 'title', 'dc:title', 'media:title', 'link', 'atom:link', 'guid', 'id', 'content', 'summary', 'description',
  'content:encoded', 'author', 'dc:creator', 'category', 'dc:subject', 'published', 'issued', 'created', 'updated',
  'modified', 'pubDate', 'dc:date', 'dc:language', 'x-radar-published', 'x-radar-updated',
].map((f) => raw(f));
const FEED_FIELDS = [
  '$', 'title', 'dc:title', 'link', 'atom:link', 'language', 'dc:language', 'ttl', 'subtitle', 'tagline',
  'description', 'entry', 'item',
].map((f) => raw(f));

type Raw = Record<string, XNode[] | Record<string, string> | undefined>;

function attrs(n: XNode | undefined): Record<string, string> {
  return n && typeof n === 'object' && n.$ ? n.$ : {};
}

function nodes(o: Raw, name: string): XNode[] {
  const v = o[`__${name}`];
  return Array.isArray(v) ? v : [];
}

/** All text inside a node, children after the node's own text (xml2js keeps no order). */
function innerText(n: XNode | undefined): string {
  if (n == null) return '';
  if (typeof n === 'string') return n;
  let out = typeof n._ === 'string' ? n._ : '';
  for (const [k, v] of Object.entries(n)) {
    if (k === '$' || k === '_' || !Array.isArray(v)) continue;
    for (const c of v) out += innerText(c as XNode);
  }
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Inline XHTML children as HTML (Atom type="xhtml"), without the wrapping div. */
function innerXml(n: XNode | undefined, wrap = false, name = 'div'): string {
  if (n == null) return '';
  if (typeof n === 'string') return esc(n);
  let inner = typeof n._ === 'string' ? esc(n._) : '';
  for (const [k, v] of Object.entries(n)) {
    if (k === '$' || k === '_' || !Array.isArray(v)) continue;
    for (const c of v) inner += innerXml(c as XNode, true, k.replace(/^[\w-]+:/, ''));
  }
  if (!wrap) return inner;
  const a = Object.entries(attrs(n))
    .filter(([k]) => !k.startsWith('xmlns'))
    .map(([k, v]) => ` ${k}="${esc(v).replace(/"/g, '&quot;')}"`)
    .join('');
  return `<${name}${a}>${inner}</${name}>`;
}

function decodeBase64(s: string): string {
  return Buffer.from(s.replace(/\s+/g, ''), 'base64').toString('utf8');
}

/** An Atom text construct (title, summary, content) by its type and mode. */
function atomText(n: XNode | undefined): RawText | null {
  if (n == null) return null;
  const a = attrs(n);
  const type = (a['type'] ?? 'text').toLowerCase();
  if (type === 'xhtml' || type === 'application/xhtml+xml') {
    const obj = typeof n === 'object' ? n : undefined;
    const div = obj && Array.isArray(obj['div']) ? (obj['div'][0] as XNode) : undefined;
    return { value: innerXml(div ?? n), html: true };
  }
  let value = innerText(n);
  // Atom 0.3 says mode="base64"; Atom 1.0 base64-encodes any type that is not text or XML.
  const binary = type.includes('/') && !type.startsWith('text/') && !/[+/]xml$/.test(type);
  if (a['mode'] === 'base64' || binary) value = decodeBase64(value);
  const html = type === 'html' || type === 'text/html' || (binary && looksLikeHtml(value)) || a['mode'] === 'escaped' || (typeof n === 'object' && Object.keys(n).some((k) => k !== '$' && k !== '_'));
  return { value, html };
}

/** An RSS text field: HTML when it looks like markup. */
function rssText(n: XNode | undefined): RawText | null {
  if (n == null) return null;
  const value = typeof n === 'object' && Object.keys(n).some((k) => k !== '$' && k !== '_') ? innerXml(n) : innerText(n);
  return { value, html: looksLikeHtml(value) };
}

function first(o: Raw, ...names: string[]): XNode | undefined {
  for (const n of names) {
    const v = nodes(o, n)[0];
    if (v !== undefined && innerText(v).trim() !== '') return v;
  }
  for (const n of names) {
    const v = nodes(o, n)[0];
    if (v !== undefined) return v;
  }
  return undefined;
}

function firstString(o: Raw, ...names: string[]): string | null {
  const n = first(o, ...names);
  const s = n === undefined ? '' : innerText(n).trim();
  return s || null;
}

function linksOf(o: Raw, atom: boolean): RawLink[] {
  const out: RawLink[] = [];
  for (const n of nodes(o, 'link')) {
    const a = attrs(n);
    // Atom 0.3 feeds in the wild put the address in the element's text.
    if (atom || a['href']) out.push({ href: a['href'] ?? innerText(n).trim(), rel: a['rel'], type: a['type'] });
    else out.push({ href: innerText(n).trim() });
  }
  for (const n of nodes(o, 'atom:link')) {
    const a = attrs(n);
    if (a['href']) out.push({ href: a['href'], rel: a['rel'] ?? 'alternate', type: a['type'] });
  }
  return out;
}

function xmlBase(o: Raw, parent: string | null): string | null {
  const own = (o['__$'] as Record<string, string> | undefined)?.['xml:base'];
  return own ? (resolveUrl(own, parent) ?? parent) : parent;
}

export interface RssRead {
  format: FeedFormat;
  title: RawText | null;
  link: string | null;
  language: string | null;
  description: RawText | null;
  selfUrl: string | null;
  ttlS: number | null;
  entries: RawEntry[];
}

/** The root element's name, after the prolog (declaration, comments, doctype). */
export function rootElement(xml: string): string | null {
  const m = /<([A-Za-z_][\w:.-]*)[\s>/]/.exec(xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/i, ''));
  return m?.[1] ?? null;
}

function formatOf(xml: string, root: string): FeedFormat {
  if (root === 'feed') return 'atom';
  if (root === 'rdf:RDF') return /my\.netscape\.com\/rdf\/simple\/0\.9/.test(xml.slice(0, 2000)) ? 'rss09' : 'rss1';
  const v = /<rss[^>]*\bversion\s*=\s*["']([^"']+)/.exec(xml.slice(0, 4000))?.[1] ?? '2.0';
  return v.startsWith('0.9') ? 'rss09' : 'rss2';
}

/** Reads an RSS/Atom document with rss-parser. Throws the XML reader's error for an ill-formed one. */
/**
 * rss-parser matches element names as written, so `<r:rss>` or `<rss:item>` (a feed that binds
 * the RSS or Atom namespace to a prefix) would read as empty. Such prefixes are dropped.
 */
function unprefixFeedNamespace(xml: string): string {
  const root = rootElement(xml);
  let prefix: string | null = null;
  if (root && /^[\w.-]+:(rss|feed|RDF)$/.test(root) && !root.startsWith('rdf:')) prefix = root.split(':')[0]!;
  else if (root === 'rdf:RDF') {
    prefix = /xmlns:([\w.-]+)\s*=\s*["']http:\/\/purl\.org\/rss\/1\.0\/["']/.exec(xml.slice(0, 4000))?.[1] ?? null;
  }
  if (!prefix) return xml;
  return xml.replace(new RegExp(`<(/?)${prefix.replace(/[.-]/g, '\\$&')}:`, 'g'), '<$1');
}

export async function readRss(input: string, baseUrl: string | null): Promise<RssRead> {
  const xml = unprefixFeedNamespace(input);
  const root = rootElement(xml);
  if (root !== 'rss' && root !== 'feed' && root !== 'rdf:RDF') {
    throw new NotAFeedError(root ? `not a feed: the document's root element is <${root}>` : 'not a feed: no XML element found');
  }
  const parse = (doc: string) =>
    new Parser({ defaultRSS: 2, customFields: { feed: FEED_FIELDS as never, item: ITEM_FIELDS as never } }).parseString(doc);
  let out: Raw & { items: Raw[] };
  try {
    out = (await parse(xml)) as unknown as Raw & { items: Raw[] };
  } catch (e) {
    // rss-parser calls `new Date(published).toISOString()` on Atom entries, which throws for a
    // date it cannot read and loses the whole feed. Hide those elements from it under another
    // name; they are read back here (and parsed by our own date reader).
    if (!(e instanceof RangeError) || root !== 'feed') throw e;
    out = (await parse(xml.replace(/<(\/?)(published|updated)\b/g, '<$1x-radar-$2'))) as unknown as Raw & { items: Raw[] };
    for (const it of out.items) {
      it['__published'] ??= it['__x-radar-published'];
      it['__updated'] ??= it['__x-radar-updated'];
    }
  }
  const format = formatOf(xml, root);
  const atom = format === 'atom';
  const feedBase = xmlBase(out, baseUrl);
  const feedAttrs = (out['__$'] as Record<string, string> | undefined) ?? {};
  const language = firstString(out, 'language', 'dc:language') ?? feedAttrs['xml:lang'] ?? null;
  const feedLinks = linksOf(out, atom);
  const ttl = Number(firstString(out, 'ttl'));
  const entries = out.items.map((it): RawEntry => {
    const base = xmlBase(it, feedBase);
    const itAttrs = (it['__$'] as Record<string, string> | undefined) ?? {};
    const guidNode = first(it, 'guid');
    const titleNode = first(it, 'title', 'dc:title', 'media:title');
    const content = atom ? atomText(first(it, 'content')) : null;
    const encoded = firstString(it, 'content:encoded');
    const summary = atom ? atomText(first(it, 'summary')) : rssText(first(it, 'description'));
    const authorNode = first(it, 'author', 'dc:creator');
    const author = authorNode && typeof authorNode === 'object' && Array.isArray(authorNode['name'])
      ? innerText(authorNode['name'][0] as XNode)
      : innerText(authorNode);
    const categories = [
      ...nodes(it, 'category').map((c) => attrs(c)['term'] ?? innerText(c)),
      ...nodes(it, 'dc:subject').map((c) => innerText(c)),
    ];
    return {
      guid: firstString(it, 'guid', 'id') ?? itAttrs['rdf:about'] ?? null,
      guidIsLink: guidNode ? attrs(guidNode)['isPermaLink']?.toLowerCase() !== 'false' : undefined,
      links: linksOf(it, atom),
      base,
      title: titleNode === undefined ? null : atom ? atomText(titleNode) : rssText(titleNode),
      summary,
      contentHtml: encoded ?? (content ? (content.html ? content.value : esc(content.value)) : null),
      author: author.trim() || null,
      categories,
      published: firstString(it, 'published', 'issued', 'created', 'pubDate', 'dc:date'),
      updated: firstString(it, 'updated', 'modified'),
      language: firstString(it, 'dc:language') ?? itAttrs['xml:lang'] ?? null,
    };
  });
  const titleNode = first(out, 'title', 'dc:title');
  return {
    format,
    title: titleNode === undefined ? null : atom ? atomText(titleNode) : rssText(titleNode),
    link: feedLinks.length ? pickSite(feedLinks, feedBase) : null,
    language,
    description: atom ? atomText(first(out, 'subtitle', 'tagline')) : rssText(first(out, 'description')),
    selfUrl: resolveUrl(feedLinks.find((l) => l.rel === 'self')?.href, feedBase),
    ttlS: Number.isFinite(ttl) && ttl > 0 ? Math.round(ttl * 60) : null,
    entries,
  };
}

function pickSite(links: RawLink[], base: string | null): string | null {
  const alt = links.find((l) => (!l.rel || l.rel === 'alternate') && l.href);
  return resolveUrl(alt?.href, base);
}

export class NotAFeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAFeedError';
  }
}
