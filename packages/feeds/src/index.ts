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
  storySimhash,
  storyFingerprints,
  normalizeText,
  NEAR_DUPLICATE_DISTANCE,
} from './dedup.js';
export { decodeBody, normalizeCharset, type Decoded, type DecodeOptions } from './encoding.js';
export { parseDate, type DateOptions } from './dates.js';
export { htmlToText } from './text.js';
export { FetchError, type FetchErrorCode } from './errors.js';
export { isRetryableStatus } from './errors.js';
export { pollFeed, type PollOptions, type PollableFeed, type PollOutcome, type FeedPatch, type FeedHealthState } from './poll.js';
export { fetchPage, type FetchedPage } from './page.js';
export {
  createFeedsContext,
  createFetcher,
  type Fetcher,
  createHostLimiterFromSettings,
  type FeedsContext,
  type FeedsSettings,
  type CreateFeedsContextOptions,
} from './context.js';
export { createHostLimiter, parseHostLimits, type HostLimiter, type HostLimits, type HostLimiterOptions } from './limiter.js';
export { nextPollTime, parseRetryAfter, freshnessS, publishingIntervalS, type PollTimingInput, type PollTiming, type PollKind } from './schedule.js';
export { httpGet, createHttpAgent, type HttpContext, type HttpRequest, type HttpResponse } from './http.js';
export { SsrfGuard } from './ssrf.js';
export { RobotsCache } from './robots.js';
