/**
 * Runs `stop` once on SIGTERM or SIGINT; a second signal exits at once. Workers drain inside
 * `stop` (finish or release their jobs) before connections close.
 */
export function onShutdown(stop: (signal: string) => Promise<void>, log?: { info: (o: object, m: string) => void }): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    log?.info({ signal }, 'shutting down');
    stop(signal)
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
