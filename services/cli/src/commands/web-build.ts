import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '@radar/log';

/**
 * The API serves the analyst's page from services/web/dist. A fresh clone has no build yet, so
 * the first `pnpm start` (or `pnpm radar api`) builds it once (a few seconds) instead of serving
 * a 503 page.
 */
export function ensureWebBuilt(log: Logger): void {
  const dist = resolve(import.meta.dirname, '../../../web/dist');
  if (existsSync(join(dist, 'index.html'))) return;
  log.info('building the web page (first start)');
  const res = spawnSync('pnpm', ['--filter', '@radar/web', 'build'], {
    cwd: resolve(import.meta.dirname, '../../../..'),
    stdio: ['ignore', 2, 2],
  });
  if (res.status !== 0) log.warn('the web page could not be built; the API runs without it (`pnpm --filter @radar/web build`)');
}
