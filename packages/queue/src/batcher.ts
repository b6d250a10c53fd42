/**
 * Turns many concurrent calls into few batched ones, e.g. many store jobs running at once in one
 * worker into one multi-row upsert: PostgreSQL writes ~2k single-row statements per second but
 * tens of thousands of rows per second in multi-row ones.
 *
 * By default there is no timer: a batch starts as soon as a flush slot is free, and whatever
 * arrives while flushes run waits for the next one. An idle worker therefore writes at once (a
 * batch of one, no added latency) and a busy one writes in batches as large as its backlog (up
 * to `maxItems`). With `lingerMs`, a batch that is not full waits up to that long for more
 * items: calls that arrive one at a time (a stage that keeps up with the one before it) are
 * still gathered, at the cost of that much latency.
 */
export interface MicroBatcherOptions {
  /** Largest batch (default 200). */
  maxItems?: number;
  /** Batches written at the same time (default 2: one is written while the next fills). */
  maxInFlight?: number;
  /** How long the first item of a batch that is not full waits for more (default 0: no wait). */
  lingerMs?: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

export class MicroBatcher<T, R> {
  private pending: Pending<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private lingering: NodeJS.Timeout | undefined;
  private readonly maxItems: number;
  private readonly maxInFlight: number;
  private readonly lingerMs: number;

  /**
   * `run` gets a batch and returns one result per item, in order. When it throws for a batch of
   * several, each item is run again alone, so one bad item fails only its own call.
   */
  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    opts: MicroBatcherOptions = {},
  ) {
    this.maxItems = opts.maxItems ?? 200;
    this.maxInFlight = opts.maxInFlight ?? 2;
    this.lingerMs = opts.lingerMs ?? 0;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Calls waiting for a batch (not counting those being written). */
  get waiting(): number {
    return this.pending.length;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || !this.pending.length) return;
    if (this.lingerMs > 0 && this.pending.length < this.maxItems) {
      this.lingering ??= setTimeout(() => {
        this.lingering = undefined;
        this.startFlushes();
      }, this.lingerMs);
      return;
    }
    clearTimeout(this.lingering);
    this.lingering = undefined;
    this.scheduled = true;
    // One turn of the event loop lets the calls made by jobs that started together join in.
    setImmediate(() => {
      this.scheduled = false;
      this.startFlushes();
    });
  }

  private startFlushes(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length) void this.flush(this.pending.splice(0, this.maxItems));
  }

  private async flush(batch: Pending<T, R>[]): Promise<void> {
    this.inFlight++;
    try {
      await this.settle(batch);
    } finally {
      this.inFlight--;
      this.schedule();
    }
  }

  private async settle(batch: Pending<T, R>[]): Promise<void> {
    try {
      const results = await this.run(batch.map((p) => p.item));
      if (results.length !== batch.length) throw new Error(`batch of ${batch.length} returned ${results.length} results`);
      batch.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // Isolate the bad item: every other one still gets written.
      for (const p of batch) await this.settle([p]);
    }
  }
}

/**
 * Reads by id for the jobs running at once: one `fetchMany` for the ids asked within a batch
 * (each asked once), and each call gets its own row, or undefined when there is none.
 */
export function lookupBatcher<T extends { id: number }>(fetchMany: (ids: number[]) => Promise<T[]>): MicroBatcher<number, T | undefined> {
  return new MicroBatcher<number, T | undefined>(async (ids) => {
    const byId = new Map((await fetchMany([...new Set(ids)])).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id));
  });
}
