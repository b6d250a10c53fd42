import type { Metrics } from '@radar/metrics';
import type { Runtime } from '@radar/runtime';
import type { Vocabulary } from './filters.js';
import type { StreamHub } from './stream-hub.js';

/** What route modules share. */
export interface ApiContext {
  rt: Runtime;
  vocab: Vocabulary;
  metrics: Metrics;
  hub: StreamHub;
  /** Drops this process's cache of verified tokens (after a revocation). */
  forgetTokens(): void;
}
