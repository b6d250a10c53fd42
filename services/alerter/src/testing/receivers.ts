import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import Fastify, { type FastifyInstance } from 'fastify';
import Parser from 'rss-parser';
import { verifyWebhook, WEBHOOK_HEADERS } from '@radar/alerts';
import { atomRoute, type AtomRouteOptions } from '../atom-route.js';

// Real receivers on loopback for the alerter's tests and benchmark: nothing here is mocked.

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
  /** The signature checked out against the receiver's secret (null: no secret given). */
  verified: boolean | null;
  /** The idempotency key header. */
  key: string | undefined;
  /** Status answered. */
  status: number;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  /** Every request, answered or not. */
  requests: ReceivedRequest[];
  /** Requests answered 2xx. */
  delivered(): ReceivedRequest[];
  /** Decides the status of each request (default 200); set to inject failures. */
  respond: (req: Omit<ReceivedRequest, 'status'>, seen: number) => number;
  /** Stops listening (connections refused) until up(). */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

/** An HTTP receiver that checks every webhook's HMAC signature with `secret`. */
export async function startWebhookReceiver(secret?: string, port = 0): Promise<WebhookReceiver> {
  let server: Server | undefined;
  const seenByKey = new Map<string, number>();
  const r: WebhookReceiver = {
    url: '',
    port,
    requests: [],
    delivered: () => r.requests.filter((q) => q.status >= 200 && q.status < 300),
    respond: () => 200,
    async down() {
      if (!server) return;
      const s = server;
      server = undefined;
      s.closeAllConnections();
      await new Promise((res) => s.close(res));
    },
    async up() {
      if (server) return;
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = JSON.parse(body);
          } catch {
            /* not JSON */
          }
          const h = req.headers;
          const key = h[WEBHOOK_HEADERS.idempotencyKey] as string | undefined;
          const verified = secret
            ? verifyWebhook(secret, body, h[WEBHOOK_HEADERS.timestamp] as string | undefined, h[WEBHOOK_HEADERS.signature] as string | undefined)
            : null;
          const base = { path: req.url ?? '/', headers: h, body, json, verified, key, at: Date.now() };
          const n = (seenByKey.get(key ?? body) ?? 0) + 1;
          seenByKey.set(key ?? body, n);
          const status = verified === false ? 401 : r.respond(base, n);
          r.requests.push({ ...base, status });
          res.writeHead(status, { 'content-type': 'text/plain' });
          res.end(status < 300 ? 'ok' : 'no');
        });
      });
      await new Promise<void>((res) => server!.listen(r.port, '127.0.0.1', () => res()));
      r.port = (server.address() as AddressInfo).port;
      r.url = `http://127.0.0.1:${r.port}/hook`;
    },
    close: () => r.down(),
  };
  await r.up();
  return r;
}

export interface SmtpReceiver {
  url: string;
  mails: ParsedMail[];
  close(): Promise<void>;
}

/** A real SMTP server (the smtp-server package) that parses each message it accepts. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    // Loopback only, for tests: no TLS, no login.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((m) => {
          mails.push(m);
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  server.on('error', () => {});
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((res) => server.close(() => res())) };
}

/** A tiny HTTP server with only the Atom route, as the API will register it. */
export async function startAtomServer(opts: AtomRouteOptions): Promise<{ base: string; app: FastifyInstance }> {
  const app = Fastify({ logger: false });
  await app.register(atomRoute, opts);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  return { base, app };
}

/** Reads a feed as a feed reader would (rss-parser). */
export async function readFeed(url: string): Promise<{ title?: string | undefined; items: { title?: string | undefined; link?: string | undefined; id?: string | undefined }[] }> {
  return new Parser().parseURL(url);
}
