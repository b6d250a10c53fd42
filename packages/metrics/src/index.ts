import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one process. Two kinds, kept apart so that Prometheus sums stay right
 * when stages run as several processes:
 *
 * - job metrics (durations, failures, outcomes) are counted by the process that ran the job;
 *   every process that runs workers exposes its own (the API on `/metrics`, a stand-alone stage
 *   on `METRICS_PORT`);
 * - system gauges (queue depth, feed health, last fetch status, signals by area) describe the
 *   whole installation; they are read from Redis and PostgreSQL when scraped, and only the API
 *   registers them, so a scrape of a worker process never counts them twice.
 */
export interface Metrics {
  registry: Registry;
  /** Pass as `onJobEnd` to the workers. */
  onJobEnd(name: string, ms: number, outcome: 'completed' | 'failed', status?: string): void;
  /** Counts one HTTP request (the API). */
  observeRequest(method: string, route: string, status: number, ms: number): void;
}

/** What the system gauges read when scraped. */
export interface SystemSources {
  queueDepths(): Promise<Record<string, Record<string, number>>>;
  feedHealth(): Promise<{ health: string; count: number }[]>;
  feedLastStatus(): Promise<{ status: string; count: number }[]>;
  signalsByArea(): Promise<{ area: string; count: number }[]>;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'radar_' });
  const duration = new Histogram({
    name: 'radar_job_duration_seconds',
    help: 'Time a job handler ran, per stage and outcome.',
    labelNames: ['stage', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'radar_job_failures_total',
    help: 'Job attempts that threw (retried or failed for good), per stage.',
    labelNames: ['stage'],
    registers: [registry],
  });
  const outcomes = new Counter({
    name: 'radar_job_outcomes_total',
    help: "Completed jobs per stage and the status the handler returned (for fetch-feed: 'done', 'unchanged', 'failed', 'gone', ...).",
    labelNames: ['stage', 'status'],
    registers: [registry],
  });
  const requests = new Histogram({
    name: 'radar_http_request_duration_seconds',
    help: 'API requests per route pattern, method and status code.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  return {
    registry,
    onJobEnd(name, ms, outcome, status) {
      duration.observe({ stage: name, outcome }, ms / 1000);
      if (outcome === 'failed') failures.inc({ stage: name });
      else outcomes.inc({ stage: name, status: status ?? 'done' });
    },
    observeRequest(method, route, status, ms) {
      requests.observe({ method, route, status: String(status) }, ms / 1000);
    },
  };
}

/**
 * Registers the installation-wide gauges, read from `sources` at each scrape. A source that
 * fails (Redis down) leaves its gauge empty for that scrape instead of failing the scrape.
 */
export function registerSystemMetrics(metrics: Metrics, sources: SystemSources): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'radar_queue_jobs',
    help: 'Jobs in each stage queue by state (waiting, active, delayed, failed, prioritized, completed).',
    labelNames: ['stage', 'state'],
    registers,
    async collect() {
      this.reset();
      const depths = await sources.queueDepths().catch(() => ({}) as Record<string, Record<string, number>>);
      for (const [stage, counts] of Object.entries(depths)) {
        for (const [state, n] of Object.entries(counts)) this.set({ stage, state }, n);
      }
    },
  });
  new Gauge({
    name: 'radar_feeds',
    help: 'Feeds by health (new, ok, slow, failing, gone).',
    labelNames: ['health'],
    registers,
    async collect() {
      this.reset();
      for (const { health, count } of await sources.feedHealth().catch(() => [])) this.set({ health }, count);
    },
  });
  new Gauge({
    name: 'radar_feeds_by_last_status',
    help: "Feeds by the HTTP status code of their last fetch ('none' when no answer: network error or never fetched).",
    labelNames: ['code'],
    registers,
    async collect() {
      this.reset();
      for (const { status, count } of await sources.feedLastStatus().catch(() => [])) this.set({ code: status }, count);
    },
  });
  new Gauge({
    name: 'radar_signals',
    help: 'Stored signals per technology area (a signal with two areas counts in both).',
    labelNames: ['area'],
    registers,
    async collect() {
      this.reset();
      for (const { area, count } of await sources.signalsByArea().catch(() => [])) this.set({ area }, count);
    },
  });
}

/** Serves `GET /metrics` of this process on its own port (a stage run as its own process). */
export async function serveMetrics(metrics: Metrics, port: number, host = '127.0.0.1'): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
