import { request, type Dispatcher } from 'undici';
import nodemailer, { type Transporter } from 'nodemailer';
import { renderEmail, renderSlack, renderWebhook, type AlertMessage, type LabelNames } from '@radar/alerts';
import type { Settings } from '@radar/config';
import { createHttpAgent, FetchError, parseRetryAfter, SsrfGuard } from '@radar/feeds';
import type { SubscriptionChannel } from '@radar/db';

/** A failure no retry can fix (a refused URL, 404/410, a rejected address): the job stops. */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/**
 * A failure a retry may fix (no answer, 5xx, 429, an SMTP 4xx). It is a FetchError so the job
 * runtime sees the receiver's problem, not one of Radar's own dependencies being down (which
 * would wait without using up attempts: a dead webhook must fail, and pause its channel), and
 * so a Retry-After from the receiver is honoured by the backoff.
 */
function retryLater(message: string, opts: { status?: number; retryAfterS?: number; url?: string; cause?: unknown } = {}): FetchError {
  return new FetchError(opts.status ? 'http' : 'network', message, { ...opts, retryable: true });
}

/** Sends rendered messages to channels. One per process: it holds the HTTP pool and SMTP transport. */
export interface Senders {
  send(channel: SubscriptionChannel, msg: AlertMessage, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface SendersOptions {
  settings: Pick<Settings, 'FETCH_ALLOW_HOSTS' | 'FETCH_TIMEOUT_MS' | 'FETCH_BODY_TIMEOUT_MS' | 'USER_AGENT' | 'SMTP_URL' | 'MAIL_FROM'>;
  names?: LabelNames;
}

// 408 and 429 say "later"; other 4xx answers will not change by retrying.
const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

export function createSenders(o: SendersOptions): Senders {
  const s = o.settings;
  // Webhook URLs come from users: the crawler's SSRF guard keeps them off this machine and the
  // private network unless FETCH_ALLOW_HOSTS allows it.
  const guard = new SsrfGuard(s.FETCH_ALLOW_HOSTS);
  const agent: Dispatcher = createHttpAgent(guard, s.FETCH_TIMEOUT_MS, s.FETCH_BODY_TIMEOUT_MS);
  let mailer: Transporter | undefined;

  async function post(url: string, body: string, headers: Record<string, string>, signal?: AbortSignal): Promise<void> {
    let u: URL;
    try {
      u = new URL(url);
      guard.checkUrl(u);
    } catch (e) {
      throw new PermanentDeliveryError((e as Error).message, { cause: e });
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await request(u, { method: 'POST', body, headers: { 'user-agent': s.USER_AGENT, ...headers }, dispatcher: agent, signal });
    } catch (e) {
      const err = e as Error & { code?: string };
      if (err instanceof FetchError && !err.retryable) throw new PermanentDeliveryError(err.message, { cause: e });
      throw retryLater(`${u.host}: ${err.code ?? err.name}: ${err.message}`, { url: u.href, cause: e });
    }
    const text = (await res.body.text().catch(() => '')).slice(0, 200);
    if (res.statusCode >= 200 && res.statusCode < 300) return;
    const why = `${u.host} answered ${res.statusCode}${text ? `: ${text}` : ''}`;
    if (res.statusCode >= 300 && res.statusCode < 400) throw new PermanentDeliveryError(`${why} (redirects are not followed; give the final URL)`);
    if (!retryable(res.statusCode)) throw new PermanentDeliveryError(why);
    const ra = res.headers['retry-after'];
    const retryAfterS = parseRetryAfter(Array.isArray(ra) ? ra[0] : ra, new Date()) ?? undefined;
    throw retryLater(why, { status: res.statusCode, url: u.href, ...(retryAfterS ? { retryAfterS } : {}) });
  }

  async function mail(to: string, msg: AlertMessage): Promise<void> {
    if (!s.SMTP_URL) throw new PermanentDeliveryError('e-mail channels need SMTP_URL to be set');
    mailer ??= nodemailer.createTransport(s.SMTP_URL);
    const m = renderEmail(msg, o.names);
    try {
      await mailer.sendMail({
        from: s.MAIL_FROM,
        to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        // The same Message-ID on every retry, so a resend after a lost acknowledgement can be
        // recognised as the same message.
        messageId: `<${msg.key.replaceAll(':', '.')}@${/@([^>\s]+)/.exec(s.MAIL_FROM)?.[1] ?? 'radar.invalid'}>`,
        headers: { 'Content-Language': m.lang === 'zh' ? 'zh-CN' : 'en', 'X-Radar-Key': msg.key },
      });
    } catch (e) {
      const err = e as Error & { responseCode?: number };
      // 5xx SMTP replies are permanent (no such mailbox, refused); 4xx and network errors are not.
      if (err.responseCode && err.responseCode >= 500) throw new PermanentDeliveryError(`SMTP ${err.responseCode}: ${err.message}`, { cause: e });
      throw retryLater(`SMTP: ${err.message}`, { cause: e });
    }
  }

  return {
    async send(channel, msg, signal) {
      const c = channel.config as Record<string, string | undefined>;
      switch (channel.kind) {
        case 'webhook': {
          const { body, headers } = renderWebhook(msg, c['secret']);
          return post(c['url'] ?? '', body, headers, signal);
        }
        case 'slack':
          return post(c['url'] ?? '', JSON.stringify(renderSlack(msg, o.names)), { 'content-type': 'application/json; charset=utf-8' }, signal);
        case 'email':
          return mail(c['to'] ?? '', msg);
        case 'atom':
          // The feed is read from the database; there is nothing to push.
          return;
      }
    },
    async close() {
      mailer?.close();
      await agent.close();
    },
  };
}
