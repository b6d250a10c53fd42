import { useEffect, useState } from 'preact/hooks';
import { samplesOf } from '../../src/shared/prometheus.js';
import { api } from '../lib/api.js';
import { useI18n, type MessageKey } from '../lib/i18n.js';
import type { FailedJob, Feed } from '../lib/types.js';
import { ErrorNote } from '../components/error-note.js';

const STATES: [string, MessageKey][] = [
  ['waiting', 'waiting'],
  ['active', 'activeJobs'],
  ['delayed', 'delayed'],
  ['failed', 'failed'],
];
const REFRESH_MS = 10_000;
const HEALTH = ['new', 'ok', 'slow', 'failing', 'gone'];

/**
 * Feeds with their health and last error (admin scope), the backlog of each stage's queue (read
 * from /metrics, which the API computes on each scrape), and the jobs that failed for good.
 */
export function OperatorsPage() {
  const { t, dateTime, number } = useI18n();
  const [feeds, setFeeds] = useState<Feed[] | null>(null);
  const [feedsError, setFeedsError] = useState<unknown>(null);
  const [queues, setQueues] = useState<Map<string, Record<string, number>> | null>(null);
  const [queuesError, setQueuesError] = useState<unknown>(null);
  const [failed, setFailed] = useState<FailedJob[] | null>(null);
  const [note, setNote] = useState('');

  const load = () => {
    api.feeds().then((r) => { setFeeds(r.data); setFeedsError(null); }, setFeedsError);
    api.failedJobs().then((r) => setFailed(r.data), () => setFailed(null));
    api.metrics().then(
      (text) => {
        const m = new Map<string, Record<string, number>>();
        for (const s of samplesOf(text, 'radar_queue_jobs')) {
          const stage = s.labels.stage ?? '?';
          m.set(stage, { ...(m.get(stage) ?? {}), [s.labels.state ?? '?']: s.value });
        }
        setQueues(m);
        setQueuesError(null);
      },
      setQueuesError,
    );
  };
  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const poll = async (id: number) => {
    try {
      await api.pollFeed(id);
      setNote(t('queued'));
    } catch (e) {
      setFeedsError(e);
    }
  };
  const retry = async () => {
    try {
      const r = await api.retryFailed();
      setNote(t('retried', { n: r.retried }));
      load();
    } catch (e) {
      setFeedsError(e);
    }
  };

  return (
    <div class="ops-page">
      <h1>{t('opsTitle')}</h1>
      <p class="visually-hidden" aria-live="polite">
        {note}
      </p>
      {note && <p class="note">{note}</p>}
      <section class="card" aria-labelledby="queues-h">
        <h2 id="queues-h">{t('queues')}</h2>
        {queuesError ? <ErrorNote error={queuesError} /> : null}
        {queues && (
          <div class="table-scroll">
            <table class="queues">
              <thead>
                <tr>
                  <th scope="col">{t('stage')}</th>
                  {STATES.map(([s, k]) => (
                    <th key={s} scope="col" class="num">
                      {t(k)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {[...queues.entries()].map(([stage, c]) => (
                  <tr key={stage} data-stage={stage}>
                    <th scope="row">{stage}</th>
                    {STATES.map(([s]) => (
                      <td key={s} class={`num${s === 'failed' && (c[s] ?? 0) > 0 ? ' bad' : ''}`}>
                        {number(c[s] ?? 0)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="feeds-h">
        <h2 id="feeds-h">{t('feeds')}</h2>
        {feedsError ? <ErrorNote error={feedsError} scope="admin" /> : null}
        {feeds && feeds.length === 0 && <p class="muted">{t('noFeeds')}</p>}
        {feeds && feeds.length > 0 && (
          <div class="table-scroll">
            <table class="feeds">
              <thead>
                <tr>
                  <th scope="col">{t('feeds')}</th>
                  <th scope="col">{t('health')}</th>
                  <th scope="col" class="num">{t('lastStatus')}</th>
                  <th scope="col" class="num">{t('errors')}</th>
                  <th scope="col" class="num">{t('items')}</th>
                  <th scope="col">{t('lastSuccess')}</th>
                  <th scope="col">{t('nextPoll')}</th>
                  <th scope="col">{t('lastError')}</th>
                  <th scope="col"><span class="visually-hidden">{t('pollNow')}</span></th>
                </tr>
              </thead>
              <tbody>
                {feeds.map((f) => (
                  <tr key={f.id} data-feed-id={f.id}>
                    <td class="feed-name">
                      <span>{f.title ?? f.url}</span>
                      {f.title && <span class="muted small block">{f.url}</span>}
                    </td>
                    <td>
                      <span class={`health ${f.health}`} data-health={f.health}>
                        {HEALTH.includes(f.health) ? t(`health_${f.health}` as MessageKey) : f.health}
                      </span>
                    </td>
                    <td class="num">{f.last_status ?? '–'}</td>
                    <td class="num">{number(f.error_count)}</td>
                    <td class="num">{number(f.item_count)}</td>
                    <td>{dateTime(f.last_success_at)}</td>
                    <td>{dateTime(f.next_poll_at)}</td>
                    <td class="error-cell">{f.last_error ?? ''}</td>
                    <td>
                      <button type="button" onClick={() => poll(f.id)}>
                        {t('pollNow')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="failed-h">
        <h2 id="failed-h">{t('failedJobs')}</h2>
        {failed && failed.length === 0 && <p class="muted">{t('noFailed')}</p>}
        {failed && failed.length > 0 && (
          <>
            <button type="button" onClick={retry}>
              {t('retryAll')}
            </button>
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('stage')}</th>
                    <th scope="col">ID</th>
                    <th scope="col" class="num">{t('attempts')}</th>
                    <th scope="col">{t('when')}</th>
                    <th scope="col">{t('reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {failed.map((j) => (
                    <tr key={`${j.stage}:${j.id}`}>
                      <td>{j.stage}</td>
                      <td><code>{j.id}</code></td>
                      <td class="num">{j.attempts}</td>
                      <td>{dateTime(j.failed_at)}</td>
                      <td class="error-cell">{j.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
