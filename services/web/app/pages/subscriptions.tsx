import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../lib/api.js';
import { useI18n, type MessageKey } from '../lib/i18n.js';
import type { PageLabels } from '../lib/labels.js';
import { href } from '../lib/route.js';
import type { Channel, Delivery, Subscription, SubscriptionInput, TestResult } from '../lib/types.js';
import { ErrorNote } from '../components/error-note.js';
import { SubscriptionForm } from '../components/subscription-form.js';

const MODE_KEY: Record<string, MessageKey> = { immediate: 'modeImmediate', digest: 'modeDigest', throttle: 'modeThrottle' };
const REFRESH_MS = 5000;

function channelText(c: Channel): string {
  if (c.kind === 'email') return c.config.to ?? '';
  return c.config.url ?? '';
}

/**
 * One's own subscriptions (scope subscriptions:write): create, edit, pause, test and delete;
 * each with its channels' errors and its recent deliveries, refreshed while the page is open.
 */
export function SubscriptionsPage({ labels }: { labels: PageLabels }) {
  const { t, label, dateTime, lang } = useI18n();
  const [subs, setSubs] = useState<Subscription[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<Subscription | 'new' | null>(null);
  const [note, setNote] = useState('');
  const [deliveries, setDeliveries] = useState<Record<number, Delivery[] | ApiError>>({});
  const [tests, setTests] = useState<Record<number, TestResult['results']>>({});
  const [busy, setBusy] = useState<number | null>(null);
  const alive = useRef(true);

  const load = async () => {
    try {
      const r = await api.subscriptions();
      const all = await Promise.all(
        r.data.map((s) =>
          api.deliveries(s.id).then(
            (d) => [s.id, d.data] as const,
            (e: ApiError) => [s.id, e] as const,
          ),
        ),
      );
      if (!alive.current) return;
      setSubs(r.data);
      setDeliveries(Object.fromEntries(all));
      setError(null);
    } catch (e) {
      if (alive.current) setError(e);
    }
  };
  useEffect(() => {
    alive.current = true;
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, []);

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      setNote(done);
      await load();
    } catch (e) {
      setNote('');
      setError(e);
    }
  };
  const save = async (input: SubscriptionInput) => {
    if (editing && editing !== 'new') await api.updateSubscription(editing.id, input);
    else await api.createSubscription(input);
    setEditing(null);
    setNote(t('saved'));
    await load();
  };
  const test = async (s: Subscription) => {
    setBusy(s.id);
    try {
      const r = await api.testSubscription(s.id, lang);
      setTests((all) => ({ ...all, [s.id]: r.results }));
      setNote(t('testSent', { ok: r.results.filter((x) => x.ok).length, n: r.results.length }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const filterSummary = (s: Subscription) => {
    const f = s.filters;
    const areas = (f.areas ?? []).map(label).join(f.areasMatch === 'all' ? ' + ' : ' / ');
    const parts = [
      ...(areas ? [areas] : []),
      ...[...(f.districts ?? []), ...(f.clusters ?? [])].map(label),
      ...(f.beijing ? [t('beijing')] : []),
      ...(f.keywords ? [`“${f.keywords}”`] : []),
      ...(f.sources ?? []),
      ...(f.lang ?? []).map((l) => l.toUpperCase()),
      ...(f.minScore ? [`≥ ${f.minScore}`] : []),
    ];
    return parts.length ? parts.join(' · ') : t('any');
  };

  return (
    <div class={`subs-page${editing ? ' editing' : ''}`}>
      <section aria-labelledby="subs-title">
        <div class="pane-head">
          <h1 id="subs-title">{t('subsTitle')}</h1>
          {!editing && (
            <button type="button" class="primary" onClick={() => setEditing('new')}>
              + {t('newSub')}
            </button>
          )}
        </div>
        <p class="muted">{t('subsHelp')}</p>
        <p class="note" role="status" data-testid="subs-note">
          {note}
        </p>
        {error ? <ErrorNote error={error} scope="subscriptions:write" /> : null}
        {subs && subs.length === 0 && <p class="muted">{t('noSubs')}</p>}
        <ul class="sub-list">
          {subs?.map((s) => {
            const ds = deliveries[s.id];
            const tested = tests[s.id];
            return (
              <li key={s.id} class="card" data-subscription-id={s.id} data-subscription-name={s.name}>
                <div class="sub-head">
                  <h2>{s.name}</h2>
                  <span class={`badge ${s.paused ? 'paused' : 'active'}`} data-state={s.paused ? 'paused' : 'active'}>
                    {s.paused ? t('paused') : t('active')}
                  </span>
                  <span class="muted small">{t(MODE_KEY[s.mode] ?? 'modeImmediate')}</span>
                </div>
                <p class="small">{filterSummary(s)}</p>
                {s.channels.map((c) => {
                  const r = tested?.find((x) => x.channel_id === c.id);
                  return (
                    <div key={c.id} class="channel" data-channel-id={c.id}>
                      <strong>{t(c.kind as MessageKey)}</strong> <span class="muted">{channelText(c)}</span>{' '}
                      {c.paused && <span class="badge paused">{t('channelPaused')}</span>}
                      {r && (
                        <span class={`test-result ${r.ok ? 'ok' : 'bad'}`} data-test-ok={String(r.ok)}>
                          {r.ok ? `✓ ${t('testOk')}` : `✗ ${r.error ?? ''}`}
                        </span>
                      )}
                      {c.last_error && (
                        <span class="error small">
                          {t('lastError')}: {c.last_error} ({dateTime(c.last_error_at)})
                        </span>
                      )}
                    </div>
                  );
                })}
                <div class="actions">
                  <button type="button" onClick={() => setEditing(s)}>
                    {t('edit')}
                  </button>
                  <button type="button" onClick={() => act(() => api.setPaused(s.id, !s.paused), t('saved'))}>
                    {s.paused ? t('resume') : t('pause')}
                  </button>
                  <button type="button" onClick={() => test(s)} disabled={busy === s.id}>
                    {t('test')}
                  </button>
                  <button
                    type="button"
                    class="danger"
                    onClick={() => confirm(t('confirmDelete', { name: s.name })) && act(() => api.deleteSubscription(s.id), t('deleted'))}
                  >
                    {t('delete')}
                  </button>
                </div>
                <h3 class="deliveries-title">{t('deliveries')}</h3>
                {ds instanceof ApiError ? (
                  <ErrorNote error={ds} />
                ) : !ds || ds.length === 0 ? (
                  <p class="muted small">{t('noDeliveries')}</p>
                ) : (
                  <div class="table-scroll deliveries">
                    <table>
                      <thead>
                        <tr>
                          <th scope="col">{t('when')}</th>
                          <th scope="col">{t('channel')}</th>
                          <th scope="col">{t('status')}</th>
                          <th scope="col" class="num">{t('attempts')}</th>
                          <th scope="col">{t('what')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {ds.map((d) => (
                          <tr key={`${d.kind}:${d.id}:${d.channel_id}`} data-delivery-status={d.status}>
                            <td>{dateTime(d.delivered_at ?? d.created_at)}</td>
                            <td>{t(d.channel_kind as MessageKey)}</td>
                            <td class={`status-${d.status}`}>
                              {t(`status_${d.status}` as MessageKey)}
                              {d.last_error && <span class="block small">{d.last_error}</span>}
                            </td>
                            <td class="num">{d.attempts}</td>
                            <td>
                              {d.kind === 'digest' ? (
                                t('digestOf', { n: d.stories })
                              ) : d.signal_id ? (
                                <a href={href('signals', d.signal_id)}>{d.title ?? t('untitled')}</a>
                              ) : (
                                (d.title ?? t('untitled'))
                              )}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      {editing && (
        <SubscriptionForm
          key={editing === 'new' ? 'new' : editing.id}
          labels={labels}
          initial={editing === 'new' ? undefined : editing}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      )}
    </div>
  );
}
