import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertMessage } from '../message.js';

/** Header names of a generic webhook delivery. */
export const WEBHOOK_HEADERS = {
  signature: 'x-radar-signature',
  timestamp: 'x-radar-timestamp',
  event: 'x-radar-event',
  idempotencyKey: 'idempotency-key',
} as const;

/** The JSON body: the same bytes on every retry, so receivers can deduplicate on the key. */
export function webhookBody(msg: AlertMessage): string {
  return JSON.stringify({
    type: msg.kind,
    id: msg.key,
    subscription: msg.subscription,
    stories: msg.stories,
  });
}

/** `v1=` + hex HMAC-SHA256 of `${timestamp}.${body}` with the channel's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}

/**
 * The request of one webhook delivery. The timestamp (seconds) is signed with the body, so a
 * receiver can refuse replays older than a few minutes. Without a secret nothing is signed.
 */
export function renderWebhook(msg: AlertMessage, secret: string | undefined, nowMs = Date.now()): SignedWebhook {
  const body = webhookBody(msg);
  const timestamp = Math.floor(nowMs / 1000);
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.event]: msg.kind,
    [WEBHOOK_HEADERS.idempotencyKey]: msg.key,
  };
  if (secret) headers[WEBHOOK_HEADERS.signature] = signWebhook(secret, timestamp, body);
  return { body, headers };
}

export interface VerifyOptions {
  /** Oldest accepted timestamp, in seconds from now (default 300). */
  toleranceS?: number;
  nowMs?: number;
}

/**
 * For receivers: true when the signature header matches the body and the timestamp is recent.
 * Compares in constant time.
 */
export function verifyWebhook(
  secret: string,
  body: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  opts: VerifyOptions = {},
): boolean {
  if (!timestampHeader || !signatureHeader || !/^\d+$/.test(timestampHeader)) return false;
  const ts = Number(timestampHeader);
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  if (Math.abs(now - ts) > (opts.toleranceS ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(signatureHeader);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
