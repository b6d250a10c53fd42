import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { ApiToken, Database } from '../types.js';

/** Every scope a token can carry. `admin` may do everything the others may. */
export const TOKEN_SCOPES = ['signals:read', 'subscriptions:write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** A token as shown to operators: never the secret, never its hash. */
export type TokenInfo = Omit<ApiToken, 'token_hash'>;

const TOKEN_RE = /^rdr_[A-Za-z0-9_-]{43}$/;

/**
 * SHA-256 of the token. A token is 256 random bits, so a fast hash is enough: there is nothing
 * to guess by brute force, unlike a password (which would need a slow hash).
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** True when the string has the shape of a token (checked before any database look-up). */
export function looksLikeToken(token: string): boolean {
  return TOKEN_RE.test(token);
}

/** All SQL about API tokens. Tokens are stored hashed; the secret is shown once, at creation. */
export class TokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates a token and returns its secret (shown once) with its stored description. */
  async create(owner: string, scopes: TokenScope[], name: string | null = null): Promise<{ token: string; info: TokenInfo }> {
    const token = `rdr_${randomBytes(32).toString('base64url')}`;
    const row = await this.db
      .insertInto('api_tokens')
      .values({ token_hash: hashToken(token), prefix: token.slice(0, 12), owner, scopes: [...new Set(scopes)], name })
      .returning(['id', 'prefix', 'owner', 'scopes', 'name', 'created_at', 'last_used_at', 'revoked_at'])
      .executeTakeFirstOrThrow();
    return { token, info: row };
  }

  /** The live (not revoked) token with this secret, if any. */
  async verify(token: string): Promise<TokenInfo | undefined> {
    if (!looksLikeToken(token)) return undefined;
    return this.db
      .selectFrom('api_tokens')
      .select(['id', 'prefix', 'owner', 'scopes', 'name', 'created_at', 'last_used_at', 'revoked_at'])
      .where('token_hash', '=', hashToken(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }

  /** Records a use; callers throttle it (a write per request would be waste). */
  async touch(id: number): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('id', '=', id).execute();
  }

  /** Tokens, newest first, optionally only one owner's and only live ones. */
  list(opts: { owner?: string; includeRevoked?: boolean } = {}): Promise<TokenInfo[]> {
    let q = this.db
      .selectFrom('api_tokens')
      .select(['id', 'prefix', 'owner', 'scopes', 'name', 'created_at', 'last_used_at', 'revoked_at']);
    if (opts.owner !== undefined) q = q.where('owner', '=', opts.owner);
    if (!opts.includeRevoked) q = q.where('revoked_at', 'is', null);
    return q.orderBy('id', 'desc').execute();
  }

  get(id: number): Promise<TokenInfo | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .select(['id', 'prefix', 'owner', 'scopes', 'name', 'created_at', 'last_used_at', 'revoked_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Revokes a token by id or by its printed prefix; false when there was no live one. */
  async revoke(idOrPrefix: number | string): Promise<boolean> {
    const q = this.db.updateTable('api_tokens').set({ revoked_at: sql`now()` }).where('revoked_at', 'is', null);
    const res = await (typeof idOrPrefix === 'number' ? q.where('id', '=', idOrPrefix) : q.where('prefix', '=', idOrPrefix)).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }
}
