import { decodeBody, normalizeCharset, xmlDeclaredEncoding, type Decoded } from './encoding.js';
import { JsonFeedError, readJsonFeed } from './json-feed.js';
import { normalizeEntry, normalizeLanguage, textOf } from './normalize.js';
import { rebuildXml, repairText } from './repair.js';
import { NotAFeedError, readRss, type RssRead } from './rss.js';
import type { FeedMeta, ParseResult } from './types.js';

export interface ParseOptions {
  /** The document's URL: relative links resolve against it. */
  url?: string | null | undefined;
  /** The HTTP Content-Type (its charset is one encoding declaration). */
  contentType?: string | null | undefined;
  /** Fetch time; later item dates are clamped to it (default now). */
  now?: Date | undefined;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.slice(0, 300);
}

function looksLikeJson(text: string): boolean {
  return /^\s*[{[]/.test(text);
}

function looksLikeHtmlPage(text: string): boolean {
  return /^\s*(<!--[\s\S]*?-->\s*)*(<!DOCTYPE\s+html|<html[\s>])/i.test(text);
}

/**
 * Reads a decoded feed document (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.x) into the
 * normalised shape. Ill-formed XML is repaired when it can be (the result says `repaired`).
 * Never throws for a bad document: the result is `{ ok: false, error }`.
 */
export async function parseFeedText(text: string, opts: ParseOptions = {}): Promise<ParseResult> {
  const url = opts.url ?? null;
  try {
    if (looksLikeJson(text)) {
      const j = readJsonFeed(text, url);
      return finish({ format: 'json', ...j, ttlS: null, entries: j.entries }, false, [], opts);
    }
    if (looksLikeHtmlPage(text)) return { ok: false, repaired: false, error: 'not a feed: an HTML page' };
    // rss-parser's reader is lenient (HTML entities, control characters, a misplaced XML
    // declaration all pass), so ill-formedness is found by the repair pass itself: a document
    // it has to fix is ill-formed and is read, repaired, from the fixed text.
    const { text: fixed, fixes } = repairText(text);
    let strictError: string;
    try {
      return finish(await readRss(fixed, url), fixes.length > 0, fixes, opts);
    } catch (e) {
      if (e instanceof NotAFeedError) throw e;
      strictError = firstLine(e);
    }
    try {
      return finish(await readRss(rebuildXml(fixed), url), true, [...fixes, 'element structure'], opts);
    } catch (e2) {
      if (e2 instanceof NotAFeedError) throw e2;
      return { ok: false, repaired: false, error: `unreadable XML: ${strictError}` };
    }
  } catch (e) {
    if (e instanceof NotAFeedError || e instanceof JsonFeedError) return { ok: false, repaired: false, error: e.message };
    return { ok: false, repaired: false, error: `unreadable feed: ${firstLine(e)}` };
  }
}

function finish(read: RssRead, repaired: boolean, fixes: string[], opts: ParseOptions): ParseResult {
  const language = normalizeLanguage(read.language);
  const feed: FeedMeta = {
    format: read.format,
    title: textOf(read.title),
    link: read.link,
    language,
    description: textOf(read.description),
    selfUrl: read.selfUrl,
    ttlS: read.ttlS,
  };
  const ctx = { baseUrl: opts.url ?? null, language, now: opts.now };
  const items = read.entries.map((e) => normalizeEntry(e, ctx));
  return { ok: true, repaired, fixes, feed, items };
}

/**
 * What the bytes say against their declarations: XML without a declaration is UTF-8 (or UTF-16
 * by its BOM), so a declaration the bytes contradict, one naming no known charset, or legacy
 * bytes with no declaration at all make the document ill-formed, though it is still read.
 */
function encodingFixes(bytes: Uint8Array, decoded: Decoded): string[] {
  if (decoded.overridden) return ['encoding declaration'];
  const label = xmlDeclaredEncoding(bytes);
  if (label && !normalizeCharset(label) && decoded.source !== 'bom') return ['encoding declaration'];
  if (decoded.source === 'sniff' && !decoded.encoding.startsWith('utf-')) return [label ? 'encoding declaration' : 'undeclared encoding'];
  return [];
}

/**
 * Decodes (charset from BOM, header, XML declaration, detection) and parses a feed file.
 * Never throws for a bad document.
 */
export async function parseFeedFile(bytes: Uint8Array, opts: ParseOptions = {}): Promise<ParseResult> {
  const decoded = decodeBody(bytes, { contentType: opts.contentType, kind: 'xml' });
  const result = await parseFeedText(decoded.text, opts);
  const fixes = result.ok ? encodingFixes(bytes, decoded) : [];
  if (result.ok && fixes.length) return { ...result, repaired: true, fixes: [...fixes, ...result.fixes], encoding: decoded.encoding };
  return { ...result, encoding: decoded.encoding };
}
