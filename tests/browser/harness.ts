import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { loadSettings } from '@radar/config';
import { createLogger } from '@radar/log';
import { openRuntime, startHandlers, type Runtime } from '@radar/runtime';
import { createTestDb, testEnv, REPO_ROOT, type TestDb } from '@radar/testkit';
import { loadClassifier, type Classifier } from '../../packages/classifier/src/index.js';
import { alerterHandlers } from '../../services/alerter/src/index.js';
import { buildApi } from '../../services/api/src/index.js';
import { signalRow } from '../../services/classifier/src/signal-row.js';

/** One item of the project's labelled corpus (packages/classifier/corpus). */
export interface CorpusItem {
  id: string;
  lang: string;
  title: string;
  body: string;
  source_url: string;
}

export function readCorpus(file: string): CorpusItem[] {
  const text = readFileSync(resolve(REPO_ROOT, 'packages/classifier/corpus', file), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusItem);
}

/** The API on loopback over its own PostgreSQL schema and Redis prefix, with real classified signals. */
export interface WebStack {
  tdb: TestDb;
  rt: Runtime;
  app: Awaited<ReturnType<typeof buildApi>>;
  base: string;
  tokens: { analyst: string; admin: string };
  feedId: number;
  /**
   * Stores a corpus item as an article of the feed and its signal, classified for real, and
   * (with `alert`) hands it to the alerter as the store stage does; returns the signal id.
   */
  store(item: CorpusItem, publishedAt: Date, opts?: { storyId?: number; alert?: boolean }): Promise<number>;
  close(): Promise<void>;
}

export async function startWebStack(): Promise<WebStack> {
  const tdb = await createTestDb();
  const settings = loadSettings({
    ...testEnv(tdb.schema),
    LOG_LEVEL: 'warn',
    // Webhooks go to a receiver on loopback, which the alerter's SSRF guard refuses by default.
    FETCH_ALLOW_HOSTS: '127.0.0.1',
    ALERT_INDEX_REFRESH_MS: '100',
  });
  const rt = await openRuntime(settings, createLogger(settings.LOG_LEVEL, { test: 'browser' }));
  const app = await buildApi(rt, { streamPollMs: 150, rateLimit: 10_000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const classifier: Classifier = await loadClassifier({});
  // The alerter's workers: match new signals to subscriptions and deliver the alerts.
  const alerter = startHandlers(rt, await alerterHandlers(rt));
  const tokens = {
    analyst: (await rt.repos.tokens.create('mei', ['signals:read', 'subscriptions:write'])).token,
    admin: (await rt.repos.tokens.create('ops', ['admin'])).token,
  };
  // Feeds are never polled here (no workers run): they only own the articles and show health.
  const { feed } = await rt.repos.feeds.add('http://127.0.0.1:9/fintech.xml', 'Beijing fintech wire');
  const broken = (await rt.repos.feeds.add('http://127.0.0.1:9/gone.xml', 'Old district bulletin')).feed;
  await rt.repos.feeds.update(broken.id, { health: 'failing', last_status: 503, last_error: 'HTTP 503 Service Unavailable', error_count: 4 });
  await rt.repos.feeds.update(feed.id, { health: 'ok', last_status: 200, item_count: 60, last_success_at: new Date() });

  const store = async (item: CorpusItem, publishedAt: Date, opts: { storyId?: number; alert?: boolean } = {}): Promise<number> => {
    const url = new URL(item.source_url);
    const { id } = await rt.repos.articles.upsertFromFeed({
      feed_id: feed.id,
      guid: item.id,
      canonical_url: `${item.source_url}#${item.id}`,
      url: item.source_url,
      source: url.host,
      title: item.title,
      summary: item.body.slice(0, 160),
      body: item.body,
      lang: item.lang,
      published_at: publishedAt,
      extract_status: 'feed',
    });
    if (opts.storyId) await rt.repos.articles.setStory(id, opts.storyId);
    const article = (await rt.repos.articles.get(id))!;
    const c = classifier.classify({ id: String(id), title: article.title ?? '', body: article.body ?? '', lang: article.lang ?? undefined });
    const row = signalRow(article, c, { taxonomyVersion: classifier.taxonomyVersion, classifierVersion: classifier.classifierVersion });
    const stored = await rt.repos.signals.upsert(row);
    if (opts.alert && stored.created) await rt.queues.enqueue('match-alerts', { signalId: stored.id });
    return stored.id;
  };

  return {
    tdb,
    rt,
    app,
    base,
    tokens,
    feedId: feed.id,
    store,
    async close() {
      await alerter.close(0);
      await app.close();
      await rt.queues.obliterate().catch(() => undefined);
      await rt.close();
      await tdb.cleanup();
    },
  };
}

/** A webhook receiver on loopback: records every request it gets. */
export interface Receiver {
  url: string;
  requests: { headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
