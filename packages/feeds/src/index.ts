/**
 * @radar/feeds: fetch feeds and pages politely, decode, parse, normalise, schedule and dedup.
 * Pure functions where possible; the network parts take a context (settings + limiter).
 */
export type { NormalizedItem, FeedMeta, FeedFormat, ParsedFeed, ParseFailure, ParseResult } from './types.js';
export { parseFeedFile, parseFeedText, type ParseOptions } from './parse.js';
export { canonicalizeUrl, resolveUrl } from './url.js';
export {
  contentHash,
  simhash,
  hammingDistance,
  isNearDuplicate,
  simhashBands,
  normalizeText,
  NEAR_DUPLICATE_DISTANCE,
} from './dedup.js';
export { decodeBody, normalizeCharset, type Decoded, type DecodeOptions } from './encoding.js';
export { parseDate, type DateOptions } from './dates.js';
export { htmlToText } from './text.js';
export { FetchError, type FetchErrorCode } from './errors.js';
