import type { Settings } from '@radar/config';
import type { JobName } from '@radar/queue';

/** Jobs run at once per stage in one process, from the settings. */
export function concurrencyFrom(settings: Settings): Record<JobName, number> {
  return {
    'poll-feeds': 1,
    'fetch-feed': settings.CRAWLER_CONCURRENCY,
    'extract-article': settings.EXTRACTOR_CONCURRENCY,
    'classify-article': settings.CLASSIFIER_CONCURRENCY,
    'match-alerts': settings.ALERTER_CONCURRENCY,
    'deliver-alert': settings.ALERTER_CONCURRENCY,
    'send-digests': 1,
    'deliver-digest': settings.ALERTER_CONCURRENCY,
  };
}
