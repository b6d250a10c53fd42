import { createHash } from 'node:crypto';
import { parseDate, type DateOptions } from './dates.js';
import { contentHash, storySimhash } from './dedup.js';
import { htmlToText, collapse } from './text.js';
import type { NormalizedItem } from './types.js';
import { canonicalizeUrl, resolveUrl } from './url.js';

/** A text construct as read from the document: plain text, or HTML to be turned into text. */
export interface RawText {
  value: string;
  html: boolean;
}

export interface RawLink {
  href: string;
  rel?: string | undefined;
  type?: string | undefined;
}

/** What a format reader gives for one entry, before normalisation. */
export interface RawEntry {
  guid?: string | null | undefined;
  /** When false, the RSS guid is not a link (isPermaLink="false"). */
  guidIsLink?: boolean | undefined;
  links: RawLink[];
  /** Base for relative links (xml:base, already resolved against its parents), else the feed's. */
  base?: string | null | undefined;
  title?: RawText | null | undefined;
  summary?: RawText | null | undefined;
  contentHtml?: string | null | undefined;
  author?: string | null | undefined;
  categories?: string[] | undefined;
  published?: string | null | undefined;
  updated?: string | null | undefined;
  language?: string | null | undefined;
}

export interface NormalizeContext {
  /** The document's URL (relative links resolve against it), when known. */
  baseUrl?: string | null | undefined;
  /** The feed's language, used when an item has none, and for zone-less dates. */
  language?: string | null | undefined;
  /** Fetch time: later publication dates are clamped to it (default: now). */
  now?: Date | undefined;
}

export function textOf(t: RawText | null | undefined): string | null {
  if (!t) return null;
  const s = t.html ? htmlToText(t.value) : collapse(t.value);
  return s || null;
}

export function normalizeLanguage(lang: string | null | undefined): string | null {
  if (!lang) return null;
  const l = lang.trim().toLowerCase().replace(/_/g, '-');
  return /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(l) ? l : null;
}

/** The zone rules for a feed's dates: Chinese-language feeds write Beijing time. */
export function dateOptions(language: string | null | undefined): DateOptions {
  const zh = (language ?? '').toLowerCase().startsWith('zh');
  return zh ? { defaultOffsetMin: 480, chinaCst: true } : {};
}

function pickLink(links: RawLink[], base: string | null | undefined): string | null {
  const usable = links.filter((l) => l.href && l.href.trim());
  const alternate = usable.filter((l) => !l.rel || l.rel === 'alternate');
  const ordered = [
    ...alternate.filter((l) => !l.type || /html/i.test(l.type)),
    ...alternate,
    ...usable.filter((l) => l.rel !== 'enclosure' && l.rel !== 'self' && l.rel !== 'replies' && l.rel !== 'edit'),
  ];
  for (const l of ordered) {
    const r = resolveUrl(l.href, base);
    if (r) return r;
  }
  return null;
}

function looksLikeUrl(s: string): boolean {
  return /^https?:\/\/\S+$/i.test(s.trim());
}

export function normalizeEntry(raw: RawEntry, ctx: NormalizeContext): NormalizedItem {
  const now = ctx.now ?? new Date();
  const base = raw.base ?? ctx.baseUrl ?? null;
  const guid = raw.guid?.trim() || null;
  let link = pickLink(raw.links, base);
  if (!link && guid && raw.guidIsLink !== false && looksLikeUrl(guid)) link = resolveUrl(guid, base);
  const title = textOf(raw.title);
  const summary = textOf(raw.summary);
  const contentHtml = raw.contentHtml?.trim() || (raw.summary?.html ? raw.summary.value.trim() : null) || null;
  const contentText = (contentHtml ? htmlToText(contentHtml) : null) || summary;
  const language = normalizeLanguage(raw.language) ?? normalizeLanguage(ctx.language);
  const dopts = dateOptions(language);
  const clamp = (d: Date | null): Date | null => (d && d.getTime() > now.getTime() + 10 * 60_000 ? now : d);
  let published = clamp(parseDate(raw.published, dopts));
  const updated = clamp(parseDate(raw.updated, dopts));
  if (!published && updated) published = updated;
  const canonicalUrl = link ? canonicalizeUrl(link) : null;
  const text = [title, contentText].filter(Boolean).join('\n');
  const id =
    guid ??
    canonicalUrl ??
    `h:${createHash('sha256')
      .update(`${title ?? ''}\u0000${published?.toISOString() ?? ''}\u0000${contentText ?? ''}`)
      .digest('hex')
      .slice(0, 32)}`;
  return {
    id,
    guid,
    link,
    canonicalUrl,
    title,
    summary,
    contentHtml,
    contentText: contentText || null,
    author: raw.author ? collapse(raw.author) || null : null,
    categories: [...new Set((raw.categories ?? []).map((c) => collapse(c)).filter(Boolean))],
    published,
    updated,
    language,
    contentHash: contentHash(text),
    simhash: storySimhash(title, contentText),
  };
}
