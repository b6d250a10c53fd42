import { describe, expect, it } from 'vitest';
import { samplesOf } from './prometheus.js';

describe('samplesOf', () => {
  it('reads the samples of one metric and skips the rest', () => {
    const text = [
      '# HELP radar_queue_jobs Jobs in each stage queue by state.',
      '# TYPE radar_queue_jobs gauge',
      'radar_queue_jobs{stage="extract-article",state="waiting"} 12',
      'radar_queue_jobs{stage="extract-article",state="active"} 2',
      'radar_queue_jobs_total 99',
      'radar_feeds{health="ok"} 3',
      'radar_queue_jobs{stage="odd \\"name\\"",state="failed"} NaN',
      'radar_queue_jobs{stage="store",state="failed"} 1',
    ].join('\n');
    expect(samplesOf(text, 'radar_queue_jobs')).toEqual([
      { labels: { stage: 'extract-article', state: 'waiting' }, value: 12 },
      { labels: { stage: 'extract-article', state: 'active' }, value: 2 },
      { labels: { stage: 'store', state: 'failed' }, value: 1 },
    ]);
    expect(samplesOf(text, 'radar_feeds')).toEqual([{ labels: { health: 'ok' }, value: 3 }]);
  });
});
