import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { FetchError } from './errors.js';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * The server-side request forgery guard: feed and page URLs come from users and from feeds, so
 * a URL must not make the crawler talk to this machine, the private network or a cloud metadata
 * service. Only `unicast` (public) addresses pass, unless the allow-list names the host or a
 * range holding the address (the tests and the demo allow `127.0.0.1`).
 */
export class SsrfGuard {
  private readonly hosts = new Set<string>();
  private readonly ranges: [Addr, number][] = [];

  /** @param allow hosts (`example.org`), addresses (`127.0.0.1`) or CIDR ranges (`10.0.0.0/8`). */
  constructor(allow: readonly string[] = []) {
    for (const raw of allow) {
      const entry = raw.trim().toLowerCase();
      if (!entry) continue;
      if (entry.includes('/') && ipaddr.isValidCIDR(entry)) this.ranges.push(ipaddr.parseCIDR(entry));
      else if (ipaddr.isValid(entry)) {
        const a = normalize(ipaddr.parse(entry));
        this.ranges.push([a, a.kind() === 'ipv4' ? 32 : 128]);
      } else this.hosts.add(entry);
    }
  }

  /** True when the host name itself is allowed, whatever it resolves to. */
  hostAllowed(hostname: string): boolean {
    return this.hosts.has(stripBrackets(hostname).toLowerCase());
  }

  /** Why this address is refused, or null when it may be fetched. */
  refusal(address: string): string | null {
    if (!ipaddr.isValid(address)) return `not an IP address: ${address}`;
    const a = normalize(ipaddr.parse(address));
    for (const [net, bits] of this.ranges) {
      if (net.kind() === a.kind() && a.match(net, bits)) return null;
    }
    const range = a.range();
    return range === 'unicast' ? null : `${address} is a ${range} address`;
  }

  /** Throws a FetchError('ssrf') for a literal IP host that is refused. Names are checked at connect time. */
  checkUrl(url: URL): void {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new FetchError('bad-url', `only http and https URLs are fetched, not ${url.protocol}`, { url: url.href });
    }
    const host = stripBrackets(url.hostname);
    if (this.hostAllowed(host)) return;
    if (ipaddr.isValid(host)) {
      const why = this.refusal(host);
      if (why) throw new FetchError('ssrf', `refused ${url.href}: ${why} (not in FETCH_ALLOW_HOSTS)`, { url: url.href });
    } else if (host === 'localhost' || host.endsWith('.localhost')) {
      throw new FetchError('ssrf', `refused ${url.href}: localhost (not in FETCH_ALLOW_HOSTS)`, { url: url.href });
    }
  }

  /**
   * Why a URL a user gives (a feed being added) will never be fetched, or null: not http(s), or
   * a literal IP or localhost outside the allow-list. Said when the feed is added rather than at
   * every poll; a name that resolves to a private address is still refused at connect time.
   */
  urlRefusal(raw: string): string | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return `not a URL: ${raw}`;
    }
    try {
      this.checkUrl(url);
      return null;
    } catch (e) {
      if (e instanceof FetchError) return e.message;
      throw e;
    }
  }

  /**
   * A `dns.lookup` replacement for the socket: the address is checked where the connection is
   * made, so a name that resolves to a public address at check time and a private one later
   * (DNS rebinding) is still refused.
   */
  readonly lookup = (
    hostname: string,
    options: { all?: boolean; family?: number | string } | number,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const opts = typeof options === 'number' ? { family: options } : options;
    dnsLookup(hostname, { ...opts, all: true } as { all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      if (!this.hostAllowed(hostname)) {
        for (const a of addresses) {
          const why = this.refusal(a.address);
          if (why) {
            const e = new FetchError('ssrf', `refused ${hostname}: ${why} (not in FETCH_ALLOW_HOSTS)`) as FetchError &
              NodeJS.ErrnoException;
            return callback(e, '');
          }
        }
      }
      if (opts.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `::ffff:127.0.0.1` is 127.0.0.1. */
function normalize(a: Addr): Addr {
  return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}
