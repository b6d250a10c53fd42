import { getToken } from './session.js';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface StreamHandlers<T> {
  onEvent(data: T, id: number): void;
  onStatus(status: StreamStatus, detail?: string): void;
}

/**
 * Server-sent events over fetch. EventSource cannot send an Authorization header, and the token
 * must not go into a URL or a cookie, so this reads the stream itself. Like EventSource it
 * reconnects after the server's `retry:` delay, sending `Last-Event-ID`, so nothing sent while
 * it was away is missed. A 401 or 403 stops it. Returns the function that closes it.
 */
export function openStream<T>(url: string, sinceId: number | null, h: StreamHandlers<T>): () => void {
  let lastId = sinceId;
  let retryMs = 2000;
  let closed = false;
  let ac: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async (): Promise<void> => {
    ac = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    const token = getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (lastId !== null) headers['last-event-id'] = String(lastId);
    try {
      const res = await fetch(url, { headers, signal: ac.signal, cache: 'no-store' });
      if (res.status === 401 || res.status === 403 || res.status === 400) {
        closed = true;
        h.onStatus('stopped', String(res.status));
        return;
      }
      if (!res.ok || !res.body) throw new Error(`status ${res.status}`);
      h.onStatus('live');
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n?/g, '\n');
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch {
      // aborted, or the connection dropped: reconnect below unless closed
    }
    if (closed) return;
    h.onStatus('reconnecting');
    timer = setTimeout(() => void connect(), retryMs);
  };

  const dispatch = (block: string): void => {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Math.max(500, Number(value));
    }
    if (!data.length || event !== 'signal') return;
    const n = Number(id);
    if (Number.isInteger(n)) lastId = n;
    try {
      h.onEvent(JSON.parse(data.join('\n')) as T, n);
    } catch {
      // a malformed event is skipped; the next one still arrives
    }
  };

  h.onStatus('connecting');
  void connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    ac?.abort();
  };
}
