import { randomBytes } from 'node:crypto';
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';

/**
 * Per-host politeness shared by every worker on every machine: at most N requests in flight and
 * a minimum gap between two request starts, per host, held in Redis. One Lua script takes a
 * slot atomically (in-flight leases in a sorted set by expiry, the next allowed start time by
 * Redis's clock) and one ZREM gives it back: two Redis calls per request. A crashed process's
 * slots are freed when their leases expire (the request's own time limit). Waiters queue in
 * their process in order, and one of them at a time asks Redis again: after the gap it was
 * told, when a slot of this process is given back, or every POLL_MS while the host is full.
 *
 * Bottleneck's clustering mode did this before and cost ~1.8 ms of CPU per page across the
 * crawler, the extractor and Redis (several scripts per request, a heartbeat, and a pub/sub
 * message to every process on each release; `pnpm bench pipeline`, BENCHMARKS.md). Without
 * Redis (the CLI, tests) the limits hold in this process, through Bottleneck.
 */
export interface HostLimits {
  /** Requests in flight to one host (HOST_MAX_CONCURRENT). */
  maxConcurrent: number;
  /** Minimum gap between two request starts to one host, ms (HOST_MIN_GAP_MS). */
  minGapMs: number;
}

export interface HostLimiter {
  /** Runs `fn` when the host's limits allow it. `expirationMs` frees the slot if fn never settles. */
  schedule<T>(host: string, fn: () => Promise<T>, opts?: { expirationMs?: number }): Promise<T>;
  /** The limits that apply to a host (overrides included). */
  limitsFor(host: string): HostLimits & { key: string };
  close(): Promise<void>;
}

/**
 * Parses HOST_LIMITS: `host=concurrency/gapMs`, comma-separated (`news.cn=4/250,example.org=1/5000`).
 * An override for `news.cn` also covers its subdomains (`www.news.cn`), which then share one limit.
 */
export function parseHostLimits(spec: string): Map<string, HostLimits> {
  const out = new Map<string, HostLimits>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(\d+)\s*\/\s*(\d+)$/.exec(part);
    if (!m) throw new Error(`HOST_LIMITS entry "${part}" is invalid: expected host=concurrency/gapMs`);
    const maxConcurrent = Number(m[2]);
    if (maxConcurrent < 1) throw new Error(`HOST_LIMITS entry "${part}": concurrency must be at least 1`);
    out.set(m[1]!.toLowerCase(), { maxConcurrent, minGapMs: Number(m[3]) });
  }
  return out;
}

export interface HostLimiterOptions extends HostLimits {
  /** Per-host overrides (parseHostLimits(HOST_LIMITS)). */
  overrides?: Map<string, HostLimits>;
  /** Namespace of the Redis keys (e.g. QUEUE_PREFIX); two installations on one Redis keep apart. */
  prefix?: string;
  /** Redis URL or client for the shared limiter; without it the limits hold in this process only. */
  redis?: string | Redis;
  /** Idle limiters are dropped (and their Redis keys expire) after this long. Default 10 min. */
  idleMs?: number;
}

/** While a host is full, how often one waiter per process asks Redis again (a local release wakes it at once). */
const POLL_MS = 50;

/**
 * Takes a slot: KEYS[1] the host's leases (sorted set, score = expiry in ms), KEYS[2] its next
 * allowed start (ms); ARGV max in flight, gap ms, lease ms, idle ms, lease id. Returns {1, 0}
 * when taken, {2, ms} to wait for the gap, {3, ms} when full (ms until the oldest lease expires).
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local max, gap, lease, idle = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= max then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {3, math.max(1, tonumber(first[2]) - now)}
end
if gap > 0 then
  local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
  if nxt > now then return {2, nxt - now} end
  redis.call('SET', KEYS[2], now + gap, 'PX', gap + idle)
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[5])
redis.call('PEXPIRE', KEYS[1], lease + idle)
return {1, 0}
`;

type AcquireClient = Redis & {
  radarHostAcquire(leases: string, next: string, max: number, gap: number, lease: number, idle: number, id: string): Promise<[number, number]>;
};

/** One host's limits in Redis, with this process's waiters in order. */
class RedisHostSlots {
  private readonly waiting: { leaseMs: number; resolve: (id: string) => void; reject: (e: unknown) => void }[] = [];
  private pumping = false;
  private wake: (() => void) | null = null;
  private closed = false;
  lastUsed = Date.now();
  inFlight = 0;

  constructor(
    private readonly client: AcquireClient,
    private readonly key: string,
    private readonly limits: HostLimits,
    private readonly idleMs: number,
  ) {}

  acquire(leaseMs: number): Promise<string> {
    this.lastUsed = Date.now();
    return new Promise((resolve, reject) => {
      this.waiting.push({ leaseMs, resolve, reject });
      void this.pump();
    });
  }

  release(id: string): void {
    this.inFlight--;
    this.lastUsed = Date.now();
    void this.client.zrem(`${this.key}:leases`, id).catch(() => undefined);
    this.wake?.();
  }

  get idle(): boolean {
    return !this.waiting.length && this.inFlight === 0;
  }

  close(): void {
    this.closed = true;
    this.wake?.();
    for (const w of this.waiting.splice(0)) w.reject(new Error('host limiter closed'));
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.length && !this.closed) {
        const head = this.waiting[0]!;
        const id = randomBytes(8).toString('hex');
        let answer: [number, number];
        try {
          answer = await this.client.radarHostAcquire(
            `${this.key}:leases`, `${this.key}:next`, this.limits.maxConcurrent, this.limits.minGapMs, head.leaseMs, this.idleMs, id,
          );
        } catch (err) {
          // Redis is down: this request fails (its job waits for Redis); the next one asks again.
          this.waiting.shift();
          head.reject(err);
          continue;
        }
        const [status, ms] = answer.map(Number) as [number, number];
        if (status === 1) {
          this.waiting.shift();
          this.inFlight++;
          head.resolve(id);
          continue;
        }
        await new Promise<void>((r) => {
          const timer = setTimeout(r, status === 2 ? ms : Math.min(ms, POLL_MS));
          this.wake = () => {
            clearTimeout(timer);
            r();
          };
        });
        this.wake = null;
      }
    } finally {
      this.pumping = false;
    }
  }
}

/** Creates the per-host limiter; in Redis when `redis` is given, else in process (CLI, tests). */
export function createHostLimiter(opts: HostLimiterOptions): HostLimiter {
  return opts.redis ? createRedisHostLimiter(opts, opts.redis) : createLocalHostLimiter(opts);
}

function limitsLookup(opts: HostLimiterOptions): (hostname: string) => HostLimits & { key: string } {
  const overrides = opts.overrides ?? new Map<string, HostLimits>();
  return (hostname) => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    for (let h = host; h; h = h.includes('.') ? h.slice(h.indexOf('.') + 1) : '') {
      const o = overrides.get(h);
      if (o) return { ...o, key: h };
    }
    return { maxConcurrent: opts.maxConcurrent, minGapMs: opts.minGapMs, key: host };
  };
}

function createRedisHostLimiter(opts: HostLimiterOptions, redis: string | Redis): HostLimiter {
  const idleMs = opts.idleMs ?? 10 * 60_000;
  const prefix = opts.prefix ?? 'radar';
  const limitsFor = limitsLookup(opts);
  // A client of our own (a given one is duplicated), closed by close().
  const client = (typeof redis === 'string' ? new Redis(redis, { maxRetriesPerRequest: null }) : redis.duplicate()) as AcquireClient;
  client.on('error', () => {});
  client.defineCommand('radarHostAcquire', { numberOfKeys: 2, lua: ACQUIRE });
  const hosts = new Map<string, RedisHostSlots>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, h] of hosts) if (now - h.lastUsed > idleMs && h.idle) hosts.delete(id);
  }, Math.min(idleMs, 60_000));
  sweep.unref();
  return {
    limitsFor,
    async schedule(host, fn, o) {
      const l = limitsFor(host);
      // The limits are part of the key: a changed configuration starts afresh rather than
      // counting against leases taken under the old limits. The braces keep a host's two keys
      // in one slot of a Redis Cluster (the script uses both).
      const key = `${prefix}:host:{${l.key}:${l.maxConcurrent}/${l.minGapMs}}`;
      let slots = hosts.get(key);
      if (!slots) hosts.set(key, (slots = new RedisHostSlots(client, key, l, idleMs)));
      const id = await slots.acquire(o?.expirationMs ?? 120_000);
      try {
        return await fn();
      } finally {
        slots.release(id);
      }
    },
    async close() {
      clearInterval(sweep);
      for (const h of hosts.values()) h.close();
      hosts.clear();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** The limits held in this process only (no Redis): Bottleneck. */
function createLocalHostLimiter(opts: HostLimiterOptions): HostLimiter {
  const idleMs = opts.idleMs ?? 10 * 60_000;
  const prefix = opts.prefix ?? 'radar';
  const limitsFor = limitsLookup(opts);
  const limiters = new Map<string, { limiter: Bottleneck; lastUsed: number }>();

  const get = (host: string): Bottleneck => {
    const l = limitsFor(host);
    const id = `${prefix}:host:${l.key}:${l.maxConcurrent}/${l.minGapMs}`;
    let entry = limiters.get(id);
    if (!entry) {
      const limiter = new Bottleneck({ id, maxConcurrent: l.maxConcurrent, minTime: l.minGapMs });
      limiter.on('error', () => {});
      entry = { limiter, lastUsed: Date.now() };
      limiters.set(id, entry);
    }
    entry.lastUsed = Date.now();
    return entry.limiter;
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, e] of limiters) {
      if (now - e.lastUsed > idleMs && e.limiter.empty() && e.limiter.counts().EXECUTING === 0) {
        limiters.delete(id);
        void e.limiter.disconnect(false).catch(() => {});
      }
    }
  }, Math.min(idleMs, 60_000));
  sweep.unref();

  return {
    limitsFor,
    schedule: (host, fn, o) => get(host).schedule({ expiration: o?.expirationMs ?? 120_000 }, fn),
    async close() {
      clearInterval(sweep);
      const all = [...limiters.values()];
      limiters.clear();
      await Promise.all(all.map((e) => e.limiter.stop({ dropWaitingJobs: true }).catch(() => {})));
    },
  };
}
