import { loadSettings, type Settings } from '@radar/config';
import { createLogger, type Logger } from '@radar/log';
import { openRuntime, type Runtime, type RuntimeOptions } from '@radar/runtime';

/** Settings from the environment; `defaults` yield to it, `overrides` win over it. */
export function settingsAndLog(
  overrides: Record<string, string> = {},
  defaults: Record<string, string> = {},
): { settings: Settings; log: Logger } {
  const settings = loadSettings({ ...defaults, ...process.env, ...overrides });
  return { settings, log: createLogger(settings.LOG_LEVEL, { service: 'cli' }) };
}

/** Opens the runtime for one command and always closes it. */
export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>, opts: RuntimeOptions = {}): Promise<T> {
  const { settings, log } = settingsAndLog();
  const rt = await openRuntime(settings, log, opts);
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
