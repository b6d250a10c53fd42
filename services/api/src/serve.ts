import type { FastifyInstance } from 'fastify';
import type { Runtime } from '@radar/runtime';
import { buildApi, type ApiOptions } from './app.js';

/** Builds the API and listens on HOST:PORT from the settings; returns the listening app. */
export async function serveApi(rt: Runtime, opts: ApiOptions & { host?: string; port?: number } = {}): Promise<FastifyInstance> {
  const app = await buildApi(rt, opts);
  const host = opts.host ?? rt.settings.HOST;
  const port = opts.port ?? rt.settings.PORT;
  try {
    await app.listen({ host, port });
  } catch (err) {
    await app.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      throw Object.assign(new Error(`port ${port} on ${host} is in use; set PORT to another one`), { userError: true });
    }
    throw err;
  }
  rt.log.info({ url: `http://${host}:${port}`, docs: `http://${host}:${port}/docs` }, 'API listening');
  return app;
}
