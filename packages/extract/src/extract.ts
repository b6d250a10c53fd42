import { load } from 'cheerio/slim';
import type { Document } from 'domhandler';
import { analyse } from './analyse.js';
import { collapse, findElement } from './dom.js';
import {
  declaredLang, findAuthor, findCanonical, findDescription, findPublished, findSiteName, guessLang,
} from './fields.js';
import { collectMeta } from './metadata.js';
import { textAfter } from './near-title.js';
import { render } from './render.js';
import { selectMain } from './select.js';
import { findTitle } from './title.js';
import { trimParagraphs } from './trim.js';

export interface Article {
  /** Headline without the site name, or null. */
  title: string | null;
  /** Main text, paragraphs separated by a blank line; '' when the page has none. */
  text: string;
  /** ISO 8601: a UTC timestamp, or a calendar date (`2024-05-01`) when the page gives only the day. */
  published: string | null;
  author: string | null;
  /** BCP 47 language tag as declared by the page (`en`, `zh-CN`), else guessed from the text. */
  lang: string | null;
  /** Absolute canonical URL declared by the page (link rel=canonical, og:url, JSON-LD). */
  canonical: string | null;
  description: string | null;
  siteName: string | null;
}

/**
 * Comments (kept whole, so that a `<script>` inside one opens nothing), and script and style
 * elements with their contents. The contents of scripts and styles are never text, and
 * htmlparser2 walks them a character at a time looking for their end tag: a news page's inline
 * scripts and styles (ad configuration, analytics, CSS) are often most of its bytes, and the
 * tokenizer spent ~8% of the extractor's CPU there (`pnpm bench pipeline --profile`). A regular
 * expression finds their ends natively; the elements stay, empty (JSON-LD scripts keep their
 * contents: the metadata reads them).
 */
const RAW_TEXT = /<!--[\s\S]*?-->|<(script|style)\b([^>]*)>([\s\S]*?)<\/\1\s*>/gi;

function emptyRawText(html: string): string {
  return html.replace(RAW_TEXT, (m: string, tag: string | undefined, attrs: string) =>
    !tag || (tag.toLowerCase() === 'script' && /ld\+json/i.test(attrs)) ? m : `<${tag}${attrs}></${tag}>`,
  );
}

/**
 * The parse that extraction starts from: cheerio with the htmlparser2 backend (`cheerio/slim`),
 * about five times faster than parse5 on news pages, after emptying scripts and styles
 * (`emptyRawText`). Exported so the benchmark can time it alone.
 */
export function parseHtml(html: string): Document {
  return load(emptyRawText(html)).root()[0] as unknown as Document;
}

/**
 * Extracts the article of a page. Pure: no I/O, same input gives the same output. `url` is the
 * address the page was fetched from, used to resolve relative links and as a date hint.
 */
export function extractArticle(html: string, url: string): Article {
  const doc = parseHtml(html);
  const meta = collectMeta(doc);
  const title = findTitle(meta);

  // A fragment (feed content, a saved snippet) has no <body>: read it as the body of a page.
  const body =
    findElement(doc, (el) => el.name === 'body') ??
    findElement(doc, (el) => el.name === 'html') ??
    findElement(parseHtml(`<body>${html}</body>`), (el) => el.name === 'body');
  let text = '';
  if (body) {
    const analysis = analyse(body, body);
    const selection = selectMain(analysis.root);
    const t = title ? normTitle(title) : '';
    const isTitle = (s: string): boolean => !!t && s.length > 0 && normTitle(s) === t;
    text = trimParagraphs(render(selection, analysis, isTitle)).join('\n\n');
  }

  const declared = declaredLang(meta);
  const lang = declared ?? guessLang(text || collapse(title ?? ''));
  const beijing = lang?.startsWith('zh') ? 480 : 0;
  const nearTitle = meta.h1El ? textAfter(meta.h1El) : '';
  return {
    title,
    text,
    published: findPublished(meta, url, { defaultOffsetMinutes: beijing }, nearTitle),
    author: findAuthor(meta, nearTitle),
    lang,
    canonical: findCanonical(meta, url),
    description: findDescription(meta),
    siteName: findSiteName(meta),
  };
}

function normTitle(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
