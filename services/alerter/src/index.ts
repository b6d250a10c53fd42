import type { Handlers } from '@radar/queue';
import type { Runtime } from '@radar/runtime';

/** The alerter's jobs. PLACEHOLDER until the alerts issue lands: no subscriptions are matched. */
export async function alerterHandlers(_rt: Runtime): Promise<Pick<Handlers, 'match-alerts' | 'deliver-alert'>> {
  return {
    'match-alerts': async () => 'skipped',
    'deliver-alert': async () => 'skipped',
  };
}
