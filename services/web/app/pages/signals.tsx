import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, queryString } from '../lib/api.js';
import { useI18n } from '../lib/i18n.js';
import { areaColour, type PageLabels } from '../lib/labels.js';
import { href, navigate, type Route } from '../lib/route.js';
import { openStream, type StreamStatus } from '../lib/stream.js';
import type { Signal } from '../lib/types.js';
import { apiFilters, FilterBar, filterParams } from '../components/filters.js';
import { TagList } from '../components/tags.js';
import { SignalDetailPanel } from '../components/signal-detail.js';
import { ErrorNote } from '../components/error-note.js';

const PAGE = 30;

/**
 * The live list: the newest signals matching the filters, then every new one as the stream
 * brings it (marked new until the filters change). A signal opens beside the list (over it on
 * a phone); the address holds the filters and the open signal.
 */
export function SignalsPage({ labels, route }: { labels: PageLabels; route: Route }) {
  const { t, label, dateTime } = useI18n();
  const params = filterParams(route.query);
  const key = params.toString();
  const [items, setItems] = useState<Signal[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [announce, setAnnounce] = useState('');
  const query = useMemo(() => apiFilters(params), [key]);
  const seen = useRef(new Set<number>());
  const tr = useRef(t);
  tr.current = t;
  const colourOf = (id: string) => areaColour(labels, id);
  const openId = route.page === 'signals' && route.id ? Number(route.id) : null;

  useEffect(() => {
    let stop: (() => void) | undefined;
    let alive = true;
    setItems([]);
    setCursor(null);
    setFresh(new Set());
    setError(null);
    setLoading(true);
    seen.current = new Set();
    api
      .signals({ ...query, limit: PAGE })
      .then((page) => {
        if (!alive) return;
        for (const s of page.data) seen.current.add(s.id);
        setItems(page.data);
        setCursor(page.next_cursor);
        setLoading(false);
        // Resume after the newest signal shown, so nothing stored in between is missed.
        const since = page.data[0]?.id ?? null;
        stop = openStream<Signal>(`/v1/signals/stream${queryString(query)}`, since, {
          onEvent(s) {
            if (seen.current.has(s.id)) return;
            seen.current.add(s.id);
            setItems((list) => [s, ...list].sort((a, b) => b.id - a.id));
            setFresh((f) => new Set(f).add(s.id));
            setAnnounce(tr.current('newSignalAnnounce', { title: s.title ?? tr.current('untitled') }));
          },
          onStatus: (st) => setStatus(st),
        });
      })
      .catch((e: unknown) => {
        if (!alive) return;
        setError(e);
        setLoading(false);
        setStatus('stopped');
      });
    return () => {
      alive = false;
      stop?.();
    };
  }, [key]);

  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await api.signals({ ...query, limit: PAGE, cursor });
      const add = page.data.filter((s) => !seen.current.has(s.id));
      for (const s of add) seen.current.add(s.id);
      setItems((list) => [...list, ...add]);
      setCursor(page.next_cursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  const statusText = { connecting: t('connecting'), live: t('live'), reconnecting: t('reconnecting'), stopped: t('offline') }[status];
  return (
    <div class={`signals-page${openId ? ' has-detail' : ''}`}>
      <section class="list-pane" aria-labelledby="signals-title">
        <div class="pane-head">
          <h1 id="signals-title">{t('signalsTitle')}</h1>
          <span class={`live-status ${status}`} data-status={status}>
            <span class="pulse" aria-hidden="true" />
            {statusText}
          </span>
          {fresh.size > 0 && <span class="new-count">{t('newSignals', { n: fresh.size })}</span>}
        </div>
        <FilterBar labels={labels} params={params} onChange={(next) => navigate(href('signals', null, next))} />
        <p class="visually-hidden" aria-live="polite" aria-label={t('liveRegion')}>
          {announce}
        </p>
        {error ? <ErrorNote error={error} scope="signals:read" /> : null}
        <ol class="signal-list" aria-busy={loading}>
          {items.map((s) => (
            <li key={s.id} class={`signal${fresh.has(s.id) ? ' fresh' : ''}${openId === s.id ? ' open' : ''}`} data-signal-id={s.id}>
              <a class="signal-title" href={href('signals', s.id, params)} aria-current={openId === s.id ? 'true' : undefined} lang={s.lang === 'zh' ? 'zh-CN' : s.lang ?? undefined}>
                {s.title ?? t('untitled')}
              </a>
              <div class="signal-meta">
                <span class="source">{s.source}</span>
                <time dateTime={s.occurred_at}>{dateTime(s.occurred_at)}</time>
                {s.lang && <span class="lang-code">{s.lang}</span>}
                {s.beijing.value && <span class="bj">{label('beijing') === 'beijing' ? t('beijing') : label('beijing')}</span>}
              </div>
              <TagList areas={s.areas} districts={s.districts} colourOf={colourOf} />
            </li>
          ))}
        </ol>
        {!loading && !error && items.length === 0 && <p class="muted empty">{t('noSignals')}</p>}
        {loading && <p class="muted">{t('loading')}</p>}
        {cursor && !loading && (
          <button type="button" class="more" onClick={more}>
            {t('loadMore')}
          </button>
        )}
      </section>
      {openId && (
        <SignalDetailPanel
          id={openId}
          labels={labels}
          onClose={() => navigate(href('signals', null, params))}
          linkTo={(id) => href('signals', id, params)}
        />
      )}
    </div>
  );
}

