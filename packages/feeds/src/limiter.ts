import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';

/**
 * Per-host politeness shared by every worker on every machine: at most N requests in flight and
 * a minimum gap between two request starts, per host, held in Redis by Bottleneck's clustering
 * mode (its Lua scripts make the check-and-reserve atomic; a crashed process's slots are freed by
 * its heartbeat expiring). Bottleneck is used rather than a home-made semaphore because it
 * handles both limits, queueing and dead clients; rate-limiter-flexible only limits rates.
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

/** Creates the per-host limiter; in Redis when `redis` is given, else in process (CLI, tests). */
export function createHostLimiter(opts: HostLimiterOptions): HostLimiter {
  const idleMs = opts.idleMs ?? 10 * 60_000;
  const prefix = opts.prefix ?? 'radar';
  const overrides = opts.overrides ?? new Map<string, HostLimits>();
  // A client of our own (a given one is duplicated), closed by close().
  const client =
    typeof opts.redis === 'string' ? new Redis(opts.redis, { maxRetriesPerRequest: null }) : opts.redis?.duplicate();
  const connection = client ? new Bottleneck.IORedisConnection({ client, Redis } as Bottleneck.IORedisConnectionOptions) : undefined;
  const limiters = new Map<string, { limiter: Bottleneck; lastUsed: number }>();

  const limitsFor = (hostname: string): HostLimits & { key: string } => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    for (let h = host; h; h = h.includes('.') ? h.slice(h.indexOf('.') + 1) : '') {
      const o = overrides.get(h);
      if (o) return { ...o, key: h };
    }
    return { maxConcurrent: opts.maxConcurrent, minGapMs: opts.minGapMs, key: host };
  };

  const get = (host: string): Bottleneck => {
    const l = limitsFor(host);
    // The limits are part of the id: Bottleneck keeps the settings of an existing Redis key, so
    // a changed configuration must use a new key rather than silently inherit the old limits.
    const id = `${prefix}:host:${l.key}:${l.maxConcurrent}/${l.minGapMs}`;
    let entry = limiters.get(id);
    if (!entry) {
      const limiter = new Bottleneck({
        id,
        maxConcurrent: l.maxConcurrent,
        minTime: l.minGapMs,
        ...(connection ? { datastore: 'ioredis', connection, clearDatastore: false, timeout: idleMs } : {}),
      });
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
      if (connection) await connection.disconnect(false).catch(() => {});
    },
  };
}
