/**
 * Why a fetch failed. `retryable` tells a caller (a BullMQ job) whether trying again later could
 * help: a timeout or a 503 may pass, a refused address or a 404 will not.
 */
export type FetchErrorCode =
  | 'bad-url'
  | 'ssrf'
  | 'robots'
  | 'timeout'
  | 'network'
  | 'too-large'
  | 'decompress'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'http';

const RETRYABLE: Record<FetchErrorCode, boolean> = {
  'bad-url': false,
  ssrf: false,
  robots: false,
  timeout: true,
  network: true,
  'too-large': false,
  decompress: false,
  'redirect-loop': false,
  'too-many-redirects': false,
  http: false,
};

export class FetchError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: FetchErrorCode,
    message: string,
    opts: {
      status?: number;
      retryable?: boolean;
      /** Seconds the server asked us to wait (Retry-After), when it said so. */
      retryAfterS?: number;
      url?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'FetchError';
    this.status = opts.status;
    this.retryAfterS = opts.retryAfterS;
    this.url = opts.url;
    this.retryable = opts.retryable ?? RETRYABLE[code];
  }
  readonly status: number | undefined;
  readonly retryAfterS: number | undefined;
  readonly url: string | undefined;
}

/** An HTTP status worth retrying: the server is busy or failing, not refusing. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}
