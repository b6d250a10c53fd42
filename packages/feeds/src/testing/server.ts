import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A local HTTP server on 127.0.0.1 for tests; routes by path. Unknown paths answer 404. */
export async function startServer(routes: Record<string, Route>): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[path];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    void Promise.resolve(route(req, res)).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export const TEST_SETTINGS = {
  USER_AGENT: 'RadarTest/1.0 (+https://example.org/radar)',
  FETCH_TIMEOUT_MS: 800,
  FETCH_BODY_TIMEOUT_MS: 1500,
  FETCH_MAX_BYTES: 1024 * 1024,
  FETCH_ALLOW_HOSTS: ['127.0.0.1'],
  POLL_MIN_INTERVAL_S: 300,
  POLL_MAX_INTERVAL_S: 86400,
};

export function rss(items: { title: string; link: string; guid?: string; date?: string; description?: string }[], title = 'Test feed'): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>${title}</title><link>https://example.org/</link><language>en</language>
${items
  .map(
    (i) =>
      `<item><title>${i.title}</title><link>${i.link}</link>${i.guid ? `<guid>${i.guid}</guid>` : ''}${i.date ? `<pubDate>${i.date}</pubDate>` : ''}${i.description ? `<description><![CDATA[${i.description}]]></description>` : ''}</item>`,
  )
  .join('\n')}
</channel></rss>`;
}
