import { loadSettings } from '@radar/config';
import { createLogger } from '@radar/log';
import { onShutdown, openRuntime } from '@radar/runtime';
import { serveApi } from './serve.js';

// `pnpm --filter @radar/svc-api start`: the API alone, on HOST:PORT (refuses an old schema).
const settings = loadSettings();
const log = createLogger(settings.LOG_LEVEL, { service: 'api' });
const rt = await openRuntime(settings, log);
const app = await serveApi(rt);
onShutdown(async () => {
  await app.close();
  await rt.close();
}, log);
