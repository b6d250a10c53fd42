import { getToken } from './session.js';
import type { ListPage, SignalDetail, StatsResult, Feed, FailedJob, Subscription, SubscriptionInput, DeliveryList, TestResult } from './types.js';

/** An answer of the API that is not a success, with what it said. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Query parameters: empty values are left out, arrays become a,b. */
export type Query = Record<string, string | number | boolean | string[] | undefined | null>;

export function queryString(q: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) p.set(k, v.join(','));
    } else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Called when the API says the token is not valid (the page then asks for one again). */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

export async function request<T>(method: string, path: string, body?: unknown, token = getToken()): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!res.ok) {
    const e = (data ?? {}) as { message?: string; field?: string };
    if (res.status === 401 && token) onUnauthorized();
    throw new ApiError(res.status, typeof e.message === 'string' ? e.message : res.statusText, e.field);
  }
  return data as T;
}

export const api = {
  signals: (q: Query) => request<ListPage>('GET', `/v1/signals${queryString(q)}`),
  signal: (id: number) => request<SignalDetail>('GET', `/v1/signals/${id}`),
  stats: (q: Query) => request<StatsResult>('GET', `/v1/stats${queryString(q)}`),
  feeds: () => request<{ data: Feed[] }>('GET', '/v1/feeds'),
  pollFeed: (id: number) => request<{ queued: boolean }>('POST', `/v1/feeds/${id}/poll`),
  failedJobs: () => request<{ data: FailedJob[] }>('GET', '/v1/jobs/failed?limit=50'),
  retryFailed: (stage?: string) => request<{ retried: number }>('POST', '/v1/jobs/failed/retry', stage ? { stage } : {}),
  subscriptions: () => request<{ data: Subscription[] }>('GET', '/v1/subscriptions'),
  createSubscription: (s: SubscriptionInput) => request<Subscription>('POST', '/v1/subscriptions', s),
  updateSubscription: (id: number, s: SubscriptionInput) => request<Subscription>('PUT', `/v1/subscriptions/${id}`, s),
  setPaused: (id: number, paused: boolean) => request<Subscription>('PATCH', `/v1/subscriptions/${id}`, { paused }),
  deleteSubscription: (id: number) => request<void>('DELETE', `/v1/subscriptions/${id}`),
  testSubscription: (id: number, lang: string) => request<TestResult>('POST', `/v1/subscriptions/${id}/test?lang=${lang}`),
  deliveries: (id: number) => request<DeliveryList>('GET', `/v1/subscriptions/${id}/deliveries?limit=10`),
  /** Prometheus text: the queue backlog per stage is read from it (no token needed). */
  async metrics(): Promise<string> {
    const res = await fetch('/metrics', { cache: 'no-store' });
    if (!res.ok) throw new ApiError(res.status, res.statusText);
    return res.text();
  },
};
