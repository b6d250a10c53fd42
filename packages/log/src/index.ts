import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs, always on stderr (fd 2): commands that print JSON lines own stdout.
 * Field names are fixed across services: feedId, articleId, signalId, jobId, stage.
 */
export function createLogger(level: string = 'info', bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings } }, pino.destination({ fd: 2, sync: true }));
}
