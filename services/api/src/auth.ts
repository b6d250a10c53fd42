import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenInfo, TokenRepository, TokenScope } from '@radar/db';

/** Who is calling: the owner and scopes of a live token. */
export interface Principal {
  tokenId: number;
  owner: string;
  scopes: string[];
}

/** What a route requires: a scope, or nothing ('public'). Routes without one require admin. */
export type Access = TokenScope | 'public';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** `admin` may do everything the other scopes may. */
export function hasScope(p: Principal, scope: TokenScope): boolean {
  return p.scopes.includes(scope) || p.scopes.includes('admin');
}

/** The token of a request: `Authorization: Bearer <token>`, or the dashboard's cookie. */
function tokenOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h === 'string') {
    const m = /^Bearer\s+(\S{1,200})\s*$/i.exec(h);
    return m ? m[1]! : '';
  }
  const cookie = req.headers.cookie;
  if (typeof cookie === 'string' && cookie.length < 4096) {
    for (const part of cookie.split(';')) {
      const [k, v] = part.trim().split('=', 2);
      if (k === 'radar_token' && v) return v;
    }
  }
  return null;
}

const TOUCH_EVERY_MS = 60_000;
/**
 * A verified token is trusted for this long without asking the database again: a revocation
 * (API or CLI) reaches every API process within it. Unknown tokens are never cached.
 */
export const TOKEN_CACHE_MS = 5_000;
const TOKEN_CACHE_MAX = 10_000;

/**
 * Resolves the caller on every request (onRequest, before the per-token rate limit, which keys
 * on it) and enforces each route's access (preParsing: after the rate limit, before the body is
 * read or validated). 401 for a missing or wrong token, 403 for a missing scope.
 */
export function registerAuth(app: FastifyInstance, tokens: TokenRepository): { forget(): void } {
  const touched = new Map<number, number>();
  const cache = new Map<string, { info: TokenInfo; until: number }>();
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const token = tokenOf(req);
    if (!token) return;
    const hit = cache.get(token);
    let info = hit && hit.until > Date.now() ? hit.info : undefined;
    if (!info) {
      info = await tokens.verify(token);
      if (!info) return;
      if (cache.size >= TOKEN_CACHE_MAX) cache.clear();
      cache.set(token, { info, until: Date.now() + TOKEN_CACHE_MS });
    }
    req.principal = { tokenId: info.id, owner: info.owner, scopes: info.scopes };
    const last = touched.get(info.id) ?? info.last_used_at?.getTime() ?? 0;
    if (Date.now() - last > TOUCH_EVERY_MS) {
      touched.set(info.id, Date.now());
      tokens.touch(info.id).catch(() => undefined);
    }
  });
  app.addHook('preParsing', async (req: FastifyRequest, reply: FastifyReply) => {
    const access = req.routeOptions.config?.access ?? 'admin';
    if (access === 'public') return;
    if (!req.principal) {
      const given = tokenOf(req) !== null;
      reply.header('www-authenticate', `Bearer realm="radar"${given ? ', error="invalid_token"' : ''}`);
      reply.code(401).send({
        error: 'Unauthorized',
        message: given ? 'the token is not valid (unknown, malformed or revoked)' : 'an API token is required: Authorization: Bearer <token>',
      });
      return;
    }
    if (!hasScope(req.principal, access)) {
      reply.code(403).send({ error: 'Forbidden', message: `this token lacks the ${access} scope` });
    }
  });
  return { forget: () => cache.clear() };
}
