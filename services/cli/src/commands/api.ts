import { onShutdown, openRuntime } from '@radar/runtime';
import { parse, UsageError, type Command } from './command.js';
import { settingsAndLog } from './context.js';
import { ensureWebBuilt } from './web-build.js';

const HELP = `
usage: pnpm radar api [--port N] [--host ADDRESS]
  Serves the HTTP API alone (no pipeline stages) on HOST:PORT (default 127.0.0.1:8080), on the
  database at DATABASE_URL (its schema must be current: \`pnpm radar migrate\`) and the Redis at
  REDIS_URL. Reference page at /docs, OpenAPI document at /openapi.json, metrics at /metrics.
  Create a token first: pnpm radar tokens create --owner NAME --scope signals:read`;

export const api: Command = {
  name: 'api',
  summary: 'serve the HTTP API alone (PORT, default 8080); reference at /docs',
  async run(argv) {
    const args = parse(argv, { port: { type: 'string' }, host: { type: 'string' } }, HELP);
    if (!args) return 0;
    const overrides: Record<string, string> = {};
    if (args.values.port !== undefined) overrides['PORT'] = args.values.port;
    if (args.values.host !== undefined) overrides['HOST'] = args.values.host;
    if (args.positionals.length) throw new UsageError(`unexpected argument "${args.positionals[0]}"${HELP}`);
    const { settings, log } = settingsAndLog(overrides);
    const rt = await openRuntime(settings, log);
    ensureWebBuilt(log);
    const { serveApi } = await import('@radar/svc-api');
    const app = await serveApi(rt).catch(async (err: unknown) => {
      await rt.close();
      throw err;
    });
    process.stderr.write(`radar api: listening on http://${settings.HOST}:${settings.PORT} (reference: /docs)\n`);
    await new Promise<void>((resolve) =>
      onShutdown(async () => {
        await app.close();
        await rt.close();
        resolve();
      }, log),
    );
    return 0;
  },
};
