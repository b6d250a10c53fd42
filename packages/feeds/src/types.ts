/** One item of any feed format, normalised. */
export interface NormalizedItem {
  /**
   * Stable per-feed id: the feed's GUID / Atom id / JSON Feed id when it has one, else the
   * canonical link, else a hash of title, date and text (`h:` + 32 hex digits).
   */
  id: string;
  /** The GUID as the feed wrote it, or null. */
  guid: string | null;
  /** Absolute link to the article (xml:base and the feed URL resolved), or null. */
  link: string | null;
  /** canonicalizeUrl(link): the dedup key of the article. */
  canonicalUrl: string | null;
  /** Plain text (markup removed, entities decoded). */
  title: string | null;
  /** Plain text of the summary/description, when the feed gives one. */
  summary: string | null;
  /** The fullest HTML the feed gives (content, content:encoded, or description). */
  contentHtml: string | null;
  /** Visible text of contentHtml (or the summary when there is no content). */
  contentText: string | null;
  author: string | null;
  categories: string[];
  /** Publication time (UTC); a date without a zone is read in the feed's zone; never in the future. */
  published: Date | null;
  updated: Date | null;
  /** BCP 47-ish language of the item or its feed, lower-case (`zh-cn`, `en`), or null. */
  language: string | null;
  /** contentHash(title + text): equal for exact copies. */
  contentHash: string;
  /** storySimhash(title, text): close for near copies (the body alone when it is substantial). */
  simhash: string;
}

export type FeedFormat = 'rss2' | 'rss1' | 'rss09' | 'atom' | 'json';

export interface FeedMeta {
  format: FeedFormat;
  title: string | null;
  /** The site's home page. */
  link: string | null;
  language: string | null;
  description: string | null;
  /** The feed's own URL if it states one (atom:link rel=self, JSON Feed feed_url). */
  selfUrl: string | null;
  /** RSS `<ttl>` in seconds. */
  ttlS: number | null;
}

export interface ParsedFeed {
  ok: true;
  /** True when the document was ill-formed and had to be repaired to be read. */
  repaired: boolean;
  /** What the repair fixed (empty when not repaired). */
  fixes: string[];
  feed: FeedMeta;
  items: NormalizedItem[];
  /** Charset the bytes were decoded with (parseFeedFile only). */
  encoding?: string;
}

export interface ParseFailure {
  ok: false;
  repaired: boolean;
  /** A clear, storable message: why this document is not a readable feed. */
  error: string;
  encoding?: string;
}

export type ParseResult = ParsedFeed | ParseFailure;
