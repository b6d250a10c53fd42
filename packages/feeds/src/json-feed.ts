import type { RawEntry, RawText } from './normalize.js';
import { resolveUrl } from './url.js';

/** JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), read by hand: it is small. */

export interface JsonFeedRead {
  title: RawText | null;
  link: string | null;
  language: string | null;
  description: RawText | null;
  selfUrl: string | null;
  entries: RawEntry[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : null);

export class JsonFeedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFeedError';
  }
}

function authorName(o: Obj): string | null {
  const authors = Array.isArray(o['authors']) ? o['authors'] : isObj(o['author']) ? [o['author']] : [];
  const names = authors.filter(isObj).map((a) => str(a['name'])).filter((n): n is string => !!n);
  return names.length ? names.join(', ') : null;
}

export function readJsonFeed(text: string, baseUrl: string | null): JsonFeedRead {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new JsonFeedError(`not a feed: invalid JSON (${(e as Error).message})`);
  }
  if (!isObj(doc)) throw new JsonFeedError('not a feed: JSON document is not an object');
  const version = str(doc['version']);
  if (!version || !/jsonfeed\.org\/version\/1/.test(version)) {
    throw new JsonFeedError(`not a feed: JSON without a JSON Feed 1.x "version" (${version ?? 'none'})`);
  }
  if (!Array.isArray(doc['items'])) throw new JsonFeedError('not a feed: JSON Feed without an "items" array');
  const language = str(doc['language']);
  const selfUrl = resolveUrl(str(doc['feed_url']), baseUrl);
  const base = selfUrl ?? baseUrl;
  const entries = doc['items'].filter(isObj).map((it): RawEntry => {
    const html = str(it['content_html']);
    const textContent = str(it['content_text']);
    const title = str(it['title']);
    const summary = str(it['summary']);
    return {
      guid: str(it['id']),
      guidIsLink: false,
      links: [str(it['url']), str(it['external_url'])].filter((u): u is string => !!u).map((href) => ({ href })),
      base,
      title: title ? { value: title, html: false } : null,
      summary: summary ? { value: summary, html: false } : null,
      contentHtml: html ?? (textContent ? textContent.replace(/&/g, '&amp;').replace(/</g, '&lt;') : null),
      author: authorName(it) ?? authorName(doc as Obj),
      categories: Array.isArray(it['tags']) ? it['tags'].map(str).filter((t): t is string => !!t) : [],
      published: str(it['date_published']),
      updated: str(it['date_modified']),
      language: str(it['language']),
    };
  });
  const title = str(doc['title']);
  const description = str(doc['description']);
  return {
    title: title ? { value: title, html: false } : null,
    link: resolveUrl(str(doc['home_page_url']), base),
    language,
    description: description ? { value: description, html: false } : null,
    selfUrl,
    entries,
  };
}
