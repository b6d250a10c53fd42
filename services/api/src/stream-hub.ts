import type { SignalQueryRepository } from '@radar/db';
import type { Logger } from '@radar/log';

/**
 * One poller per API process for all stream readers: every `pollMs` it asks the database for
 * the newest settled stream position (one index probe), and only when that moves does it wake
 * the readers, each of which then runs its own filtered query. Idle readers cost nothing.
 */
export class StreamHub {
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private head = '';
  private ticking = false;

  constructor(
    private readonly queries: SignalQueryRepository,
    private readonly pollMs: number,
    private readonly log: Logger,
  ) {}

  /** Calls `wake` whenever new signals may be there; returns the unsubscribe function. */
  subscribe(wake: () => void): () => void {
    this.listeners.add(wake);
    if (!this.timer) this.timer = setInterval(() => void this.tick(), this.pollMs);
    return () => {
      this.listeners.delete(wake);
      if (!this.listeners.size && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  get readers(): number {
    return this.listeners.size;
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const head = await this.queries.streamHead();
      if (head !== this.head) {
        this.head = head;
        for (const wake of this.listeners) wake();
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'stream poll failed; retrying');
    } finally {
      this.ticking = false;
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }
}
