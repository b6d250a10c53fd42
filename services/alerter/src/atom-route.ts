import { createHash } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { renderAtom, type LabelNames } from '@radar/alerts';
import type { Repositories } from '@radar/db';
import { toStory } from './stories.js';

export interface AtomRouteOptions {
  repos: Pick<Repositories, 'subscriptions' | 'alerts'>;
  /** PUBLIC_BASE_URL: the feed's self link is built on it. */
  publicBaseUrl: string;
  /** Entries per feed (default 50). */
  limit?: number;
  names?: LabelNames;
}

/** The path of a subscription's private feed; the token is its only credential. */
export const atomPath = (token: string) => `/feeds/alerts/${token}.atom`;

export function atomUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}${atomPath(token)}`;
}

/**
 * `GET /feeds/alerts/<token>.atom`: the private Atom feed of one subscription, for any feed
 * reader. No API token is needed: the secret in the URL is the credential, so it answers 404
 * for an unknown token (no hint that a feed exists) and is never cached by shared caches.
 * Conditional GET (ETag) keeps polling readers cheap.
 */
export const atomRoute: FastifyPluginAsync<AtomRouteOptions> = async (app, opts) => {
  const limit = opts.limit ?? 50;
  app.get<{ Params: { file: string } }>('/feeds/alerts/:file', async (req, reply) => {
    const m = /^([A-Za-z0-9_-]{20,100})\.atom$/.exec(req.params.file);
    const channel = m ? await opts.repos.subscriptions.byAtomToken(m[1]!) : undefined;
    if (!m || !channel) return reply.code(404).type('text/plain; charset=utf-8').send('no such feed\n');
    const ids = await opts.repos.alerts.recentAlertIds(channel.subscription_id, limit);
    const etag = `"${createHash('sha256').update(`${channel.subscription.name}:${ids.join(',')}`).digest('base64url').slice(0, 22)}"`;
    reply.header('etag', etag).header('cache-control', 'private, max-age=60').header('x-robots-tag', 'noindex');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    const stories = (await opts.repos.alerts.stories(ids)).map(toStory);
    const xml = renderAtom({
      subscription: { id: channel.subscription.id, name: channel.subscription.name, owner: channel.subscription.owner },
      stories,
      selfUrl: atomUrl(opts.publicBaseUrl, m[1]!),
      ...(opts.names ? { names: opts.names } : {}),
    });
    return reply.type('application/atom+xml; charset=utf-8').send(xml);
  });
};
