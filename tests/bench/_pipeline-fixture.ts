import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT, startNewsSite, syntheticArticles, type NewsSite, type SiteArticle } from '@radar/testkit';
import type { JobQueues } from '@radar/queue';
import type { Database } from '@radar/db';
import { sql, type Kysely } from 'kysely';

/**
 * The fixture of `pnpm bench pipeline`: a news site whose pages are rendered once and then
 * served from memory (so the site's own templating does not eat the CPU the pipeline is being
 * measured on), which notes when each feed was first requested (the start of a poll), and the
 * stage processes spawned as the operators run them.
 */

export interface BenchSite {
  site: NewsSite;
  /** First request time (ms since epoch) of each feed path, e.g. /feeds/f3.xml. */
  feedHits: Map<string, number>;
  close(): Promise<void>;
}

/** A small deterministic PRNG (mulberry32), so every run serves the same articles. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Realistic bodies: testkit's synthetic articles are variants of 14 short demo articles (about
 * 240 characters each), which SimHash rightly groups into one story per ~11 articles. News is
 * mostly distinct stories of a few thousand characters, so each article here also gets six
 * paragraphs drawn from its language's vocabulary (the demo articles' words, or their
 * two-character words): bodies of about 3,000 characters in English and 1,000 in Chinese, and
 * (by SimHash, as the extractor groups them) 998 stories for 1,000 articles.
 */
function lengthen(articles: SiteArticle[]): SiteArticle[] {
  const vocab = { en: new Set<string>(), zh: new Set<string>() };
  for (const a of articles.slice(0, 14)) {
    for (const p of a.paragraphs.slice(1, -1)) {
      if (a.lang === 'en') for (const w of p.toLowerCase().match(/[a-z][a-z-]+/g) ?? []) vocab.en.add(w);
      else for (const w of p.match(/[\u4e00-\u9fff]{2}/g) ?? []) vocab.zh.add(w);
    }
  }
  const words = { en: [...vocab.en], zh: [...vocab.zh] };
  return articles.map((a, i) => {
    const rand = prng(i + 1);
    // Each article draws on a few dozen words of its own: text drawn from one shared vocabulary
    // would average out to one SimHash, and every article would look like a copy of the others.
    const own = Array.from({ length: 40 }, () => words[a.lang][Math.floor(rand() * words[a.lang].length)]!);
    const pick = () => own[Math.floor(rand() * own.length)]!;
    const paragraph = () =>
      a.lang === 'en'
        ? Array.from({ length: 5 }, () => {
            const s = Array.from({ length: 12 }, pick).join(' ');
            return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
          }).join(' ')
        : Array.from({ length: 5 }, () => `${Array.from({ length: 14 }, pick).join('')}。`).join('');
    const extra = Array.from({ length: 6 }, paragraph);
    return { ...a, paragraphs: [...a.paragraphs.slice(0, -1), ...extra, a.paragraphs.at(-1)!] };
  });
}

/**
 * `n` articles in feeds `f0..f{feeds-1}` for the throughput phase, `latencyN` in feeds of
 * `perLatencyFeed` items (`l0..`) for the latency phase, and `warmupN` in feeds of 50 (`w0..`)
 * that go through first. English and Chinese, some GBK.
 */
export function benchArticles(
  n: number,
  feeds: number,
  latencyN: number,
  perLatencyFeed: number,
  warmupN = 0,
): { main: SiteArticle[]; late: SiteArticle[]; warm: SiteArticle[] } {
  const all = lengthen(syntheticArticles(n + latencyN + warmupN, 1));
  const main = all.slice(0, n).map((a, i) => ({ ...a, feed: `f${i % feeds}` }));
  const late = all.slice(n, n + latencyN).map((a, i) => ({ ...a, feed: `l${Math.floor(i / perLatencyFeed)}` }));
  const warm = all.slice(n + latencyN).map((a, i) => ({ ...a, feed: `w${Math.floor(i / 50)}` }));
  return { main, late, warm };
}

/** `pageDelayMs`: each page answers after this long, as remote sites do (0: at once). */
export async function startBenchSite(articles: SiteArticle[], pageKb: number, pageDelayMs = 0): Promise<BenchSite & { pageBytes: number }> {
  const site = await startNewsSite(articles, { pageKb });
  const cache = new Map<string, { type: string; body: Buffer }>();
  const feedHits = new Map<string, number>();
  // Render every page once through the site itself, then serve the bytes.
  let pageBytes = 0;
  const paths = articles.map((a) => `/articles/${a.slug}.html`);
  for (let i = 0; i < paths.length; i += 32) {
    await Promise.all(
      paths.slice(i, i + 32).map(async (p) => {
        const res = await fetch(site.base + p);
        const body = Buffer.from(await res.arrayBuffer());
        pageBytes += body.length;
        cache.set(p, { type: res.headers.get('content-type') ?? 'text/html', body });
      }),
    );
  }
  site.intercept = async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/feeds/') && !feedHits.has(path)) feedHits.set(path, Date.now());
    const hit = cache.get(path);
    if (!hit) return false;
    if (pageDelayMs) await sleep(pageDelayMs);
    res.writeHead(200, { 'content-type': hit.type, 'content-length': hit.body.length });
    res.end(hit.body);
    return true;
  };
  return { site, feedHits, pageBytes: pageBytes / Math.max(1, paths.length), close: () => site.close() };
}

export interface Stage {
  name: 'crawler' | 'extractor' | 'classifier' | 'alerter';
  child: ChildProcess;
}

/** Spawns `services/<name>/src/main.ts` as its own process (stdout ignored, logs on stderr). */
export function spawnStage(name: Stage['name'], env: Record<string, string>, nodeArgs: string[] = []): Stage {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', resolve(REPO_ROOT, `services/${name}/src/main.ts`)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { name, child };
}

/** Peak resident memory of a live process (VmHWM), in MB; undefined once it has exited. */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Waits until every stage queue has `k` workers connected (`extractors` for extraction): the processes are up. */
export async function waitForWorkers(queues: JobQueues, k: number, extractors = k, timeoutMs = 120_000): Promise<void> {
  const names = ['fetch-feed', 'extract-article', 'classify-article', 'match-alerts'] as const;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await Promise.all(names.map((n) => queues.queue(n).getWorkersCount()));
    if (counts.every((c, i) => c >= (names[i] === 'extract-article' ? extractors : k))) return;
    if (Date.now() > deadline) throw new Error(`stage processes did not start: workers per stage ${counts.join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** CPU seconds (user + system) a live process has used so far. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const rest = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Local TCP ports of a process's sockets (to find the PostgreSQL backends serving it). */
export function localPorts(pid: number | undefined): number[] {
  if (!pid) return [];
  try {
    const inodes = new Set<string>();
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]!);
      } catch {
        // closed meanwhile
      }
    }
    const ports: number[] = [];
    for (const line of readFileSync(`/proc/${pid}/net/tcp`, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && inodes.has(f[9]!)) ports.push(parseInt(f[1]!.split(':')[1]!, 16));
    }
    return ports;
  } catch {
    return [];
  }
}

/** The machine's CPU time so far, busy and total, in clock ticks (from /proc/stat). */
export function machineTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * ANALYZE of every table of the bench's schema, after the warm-up: the statistics a running
 * installation has. A fresh schema's tables are empty when the stages' first statements are
 * planned, and PostgreSQL keeps a generic plan (its foreign-key checks' and the plpgsql
 * functions' among them) until the table's statistics change: made on an empty table, the plan
 * of `signal_labels`' check on `signals` was a sequential scan, its cost growing with every
 * signal stored. Autovacuum analyses a table after its first 50 changed rows, within its naptime
 * (a minute), which replans them; a timed phase of 30 s would otherwise measure only that
 * first minute. `--warmup 0` skips it, to measure the cold start.
 */
export async function analyzeSchema(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(db);
  for (const { name } of rows) await sql`analyze ${sql.id(name)}`.execute(db);
}
