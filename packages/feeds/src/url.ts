/**
 * URL canonicalisation for dedup: two URLs of one page map to one string. The canonical URL is
 * a key, not an address to fetch: it folds `http` into `https` (the same page is served on both)
 * and drops parameters that only track who clicked.
 */

/** Query parameters that identify a campaign or a click, never the page. */
const TRACKING_EXACT = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'igsh',
  'mc_cid',
  'mc_eid',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'oly_anon_id',
  'oly_enc_id',
  'vero_id',
  'rb_clickid',
  's_cid',
  'ncid',
  'cmpid',
  'ref_src',
  'ref_url',
  // Chinese platforms: Alibaba's spm/scm, WeChat's share markers, Bilibili's share ids.
  'spm',
  'scm',
  'spm_id_from',
  'share_source',
  'share_medium',
  'share_plat',
  'share_session_id',
  'share_tag',
  'share_from',
  'share_token',
  'sharer_sharetime',
  'sharer_shareid',
  'isappinstalled',
  'vd_source',
  'wfr',
  'chksm',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hmsr', 'hmpl', 'hmcu', 'hmkw', 'hmci', '__twitter', 'ga_', '_ga'];

/** `from` is a share marker on WeChat/Weibo-style links but a real parameter elsewhere (`from=20`). */
const SHARE_FROM = new Set(['timeline', 'singlemessage', 'groupmessage', 'message', 'share', 'weibo', 'wechat']);

function isTracking(name: string, value: string): boolean {
  const n = name.toLowerCase();
  if (n === 'from') return SHARE_FROM.has(value.toLowerCase());
  return TRACKING_EXACT.has(n) || TRACKING_PREFIXES.some((p) => n.startsWith(p));
}

/**
 * The canonical form of a URL, or null when it is not an absolute http(s) URL.
 * - scheme `https` (http and https of one page are one page), host lower-case without a
 *   trailing dot, default ports dropped, fragment dropped;
 * - tracking parameters (utm_*, fbclid, gclid, spm, ...) removed, the others sorted;
 * - the path's percent-escapes upper-cased, an empty path made `/`.
 * @param base resolves a relative URL first.
 */
export function canonicalizeUrl(url: string, base?: string): string | null {
  let u: URL;
  try {
    u = new URL(url.trim(), base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const wasHttp = u.protocol === 'http:';
  u.protocol = 'https:';
  // An explicit :443 on an http URL, or :80 after folding http into https, is a default port.
  if (u.port === '443' || (wasHttp && u.port === '80')) u.port = '';
  u.hostname = u.hostname.replace(/\.$/, '');
  u.hash = '';
  u.username = '';
  u.password = '';
  const kept = [...u.searchParams].filter(([k, v]) => !isTracking(k, v));
  kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  u.search = '';
  for (const [k, v] of kept) u.searchParams.append(k, v);
  u.pathname = u.pathname.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
  let out = u.href;
  if (out.endsWith('?')) out = out.slice(0, -1);
  return out;
}

/** Resolves `href` against `base`; null when it is not a usable http(s) URL. */
export function resolveUrl(href: string | null | undefined, base?: string | null): string | null {
  if (!href) return null;
  const trimmed = href.trim();
  if (!trimmed) return null;
  try {
    const u = new URL(trimmed, base ?? undefined);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
