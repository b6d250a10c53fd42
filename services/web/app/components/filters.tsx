import { useEffect, useState } from 'preact/hooks';
import type { Query } from '../lib/api.js';
import { useI18n } from '../lib/i18n.js';
import { allDistricts, type PageLabels } from '../lib/labels.js';

/** The filter fields of the signals list, as kept in the page's address. */
export const FILTER_KEYS = ['area', 'district', 'cluster', 'source', 'lang', 'min_score', 'since', 'q'] as const;

export const SINCE: Record<string, number> = { '24h': 1, '7d': 7, '30d': 30, '90d': 90 };

/** The API query of the address's filters (`since` becomes `from`, counted from `now`). */
export function apiFilters(params: URLSearchParams, now = Date.now()): Query {
  const q: Query = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (!v) continue;
    if (k === 'since') {
      const days = SINCE[v];
      if (days) q.from = new Date(now - days * 86_400_000).toISOString();
    } else q[k] = v;
  }
  return q;
}

/** Only the filter fields of an address query, in a stable order (a key for effects). */
export function filterParams(params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = params.get(k)?.trim();
    if (v) out.set(k, v);
  }
  return out;
}

interface Props {
  labels: PageLabels;
  params: URLSearchParams;
  onChange(next: URLSearchParams): void;
}

/**
 * Filters by area, district, cluster, source, language, score, time and text. Choices apply at
 * once; typed fields apply on Enter or with the Apply button.
 */
export function FilterBar({ labels, params, onChange }: Props) {
  const { t, label } = useI18n();
  const [source, setSource] = useState(params.get('source') ?? '');
  const [q, setQ] = useState(params.get('q') ?? '');
  const [wide] = useState(() => window.matchMedia('(min-width: 700px)').matches);
  useEffect(() => {
    setSource(params.get('source') ?? '');
    setQ(params.get('q') ?? '');
  }, [params.toString()]);

  const set = (key: string, value: string) => {
    const next = filterParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    onChange(next);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const next = filterParams(params);
    for (const [k, v] of [['source', source.trim().toLowerCase()], ['q', q.trim()]] as const) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    onChange(next);
  };
  const select = (key: string, text: string, options: [string, string][], anyText = t('any')) => (
    <div class="field">
      <label for={`f-${key}`}>{text}</label>
      <select id={`f-${key}`} name={key} value={params.get(key) ?? ''} onChange={(e) => set(key, e.currentTarget.value)}>
        <option value="">{anyText}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );

  const active = filterParams(params).size;
  return (
    // Open on wide screens; on a phone the list comes first and the filters fold away.
    <details class="filter-box" open={wide}>
      <summary>
        {t('filters')}
        {active > 0 && <span class="count-badge">{active}</span>}
      </summary>
      <form class="filters" onSubmit={submit} aria-label={t('filters')} role="search">
        {select('area', t('area'), labels.areas.map((a) => [a.id, label(a.id)]))}
        {select('district', t('district'), allDistricts(labels).map((d) => [d.id, label(d.id)]))}
        {select('cluster', t('cluster'), labels.clusters.map((c) => [c.id, label(c.id)]))}
        {select('lang', t('lang'), [['en', t('langEn')], ['zh', t('langZh')]])}
        {select('min_score', t('minScore'), ['0.5', '0.6', '0.7', '0.8', '0.9'].map((s) => [s, `≥ ${s}`]))}
        {select('since', t('time'), [['24h', t('last24h')], ['7d', t('last7d')], ['30d', t('last30d')], ['90d', t('last90d')]], t('anyTime'))}
        <div class="field">
          <label for="f-source">{t('source')}</label>
          <input id="f-source" name="source" type="text" inputMode="url" placeholder={t('sourcePlaceholder')} value={source} onInput={(e) => setSource(e.currentTarget.value)} />
        </div>
        <div class="field grow">
          <label for="f-q">{t('text')}</label>
          <input id="f-q" name="q" type="search" placeholder={t('textPlaceholder')} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        </div>
        <div class="field buttons">
          <button type="submit" class="primary">
            {t('apply')}
          </button>
          <button type="button" onClick={() => onChange(new URLSearchParams())}>
            {t('reset')}
          </button>
        </div>
      </form>
    </details>
  );
}
