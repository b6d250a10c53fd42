import { parseFilters, SubscriptionIndex, type IndexOptions, type IndexedSubscription } from '@radar/alerts';
import type { Repositories } from '@radar/db';
import type { Logger } from '@radar/log';

/**
 * The matching index of this process, rebuilt when the subscriptions change. A cheap version
 * query (count, id sum, newest update) runs at most every `refreshMs`; a rebuild loads the
 * active subscriptions once. Concurrent jobs share one rebuild.
 */
export class IndexCache {
  private index: SubscriptionIndex | undefined;
  private version = '';
  private checkedAt = 0;
  private pending: Promise<SubscriptionIndex> | undefined;

  constructor(
    private readonly repos: Pick<Repositories, 'subscriptions'>,
    private readonly refreshMs: number,
    private readonly log: Logger,
    private readonly opts: IndexOptions = {},
  ) {}

  async get(): Promise<SubscriptionIndex> {
    if (this.index && Date.now() - this.checkedAt < this.refreshMs) return this.index;
    this.pending ??= this.refresh().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async refresh(): Promise<SubscriptionIndex> {
    const version = await this.repos.subscriptions.version();
    this.checkedAt = Date.now();
    if (this.index && version === this.version) return this.index;
    const t0 = performance.now();
    const subs: IndexedSubscription[] = [];
    for (const row of await this.repos.subscriptions.active()) {
      try {
        subs.push({ id: row.id, filters: parseFilters(row.filters) });
      } catch (err) {
        // Stored filters were validated when written; one that no longer parses must not stop
        // every other subscription from matching.
        this.log.error({ subscriptionId: row.id, err: (err as Error).message }, 'subscription filters are invalid; skipped');
      }
    }
    this.index = new SubscriptionIndex(subs, this.opts);
    this.version = version;
    this.log.info({ ms: Math.round(performance.now() - t0), ...this.index.stats() }, 'subscription index built');
    return this.index;
  }
}
