import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { useI18n } from '../lib/i18n.js';
import { allDistricts, areaColour, type PageLabels } from '../lib/labels.js';
import { href, navigate, type Route } from '../lib/route.js';
import type { StatsResult } from '../lib/types.js';
import { DistrictMap } from '../components/district-map.js';
import { ErrorNote } from '../components/error-note.js';
import { TrendChart } from '../components/trend-chart.js';

const RANGES = { day: ['30', '90'], week: ['26', '52'] } as const;
type Bucket = keyof typeof RANGES;

/** Local start of the day (or of the Monday) of `d`: the buckets the API makes in this time zone. */
export function bucketStart(d: Date, bucket: Bucket): Date {
  const s = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  if (bucket === 'week') s.setDate(s.getDate() - ((s.getDay() + 6) % 7));
  return s;
}

export function bucketStarts(from: Date, to: Date, bucket: Bucket): Date[] {
  const out: Date[] = [];
  for (let s = bucketStart(from, bucket); s < to; s = new Date(s.getFullYear(), s.getMonth(), s.getDate() + (bucket === 'week' ? 7 : 1))) {
    out.push(s);
  }
  return out;
}

/**
 * Counts per area over time (by day or week), counts per district, and the district map shaded
 * for the chosen area and range, with the plan's clusters marked.
 */
export function TrendsPage({ labels, route }: { labels: PageLabels; route: Route }) {
  const { t, label, number } = useI18n();
  const bucket: Bucket = route.query.get('bucket') === 'week' ? 'week' : 'day';
  const span = (RANGES[bucket] as readonly string[]).includes(route.query.get('span') ?? '') ? route.query.get('span')! : RANGES[bucket][0];
  const area = labels.areas.some((a) => a.id === route.query.get('area')) ? route.query.get('area')! : '';
  const cluster = route.query.get('cluster') ?? '';
  const [all, setAll] = useState<StatsResult | null>(null);
  const [forArea, setForArea] = useState<StatsResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [range, setRange] = useState<{ from: Date; to: Date } | null>(null);

  useEffect(() => {
    let alive = true;
    const to = new Date();
    const back = new Date(to);
    back.setDate(back.getDate() - (bucket === 'week' ? 7 * Number(span) : Number(span)) + 1);
    const from = bucketStart(back, bucket);
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    const base = { bucket, tz, from: from.toISOString(), to: to.toISOString() };
    setError(null);
    Promise.all([api.stats(base), area ? api.stats({ ...base, area }) : null]).then(
      ([a, b]) => {
        if (!alive) return;
        setAll(a);
        setForArea(b);
        setRange({ from, to });
      },
      (e: unknown) => alive && setError(e),
    );
    return () => {
      alive = false;
    };
  }, [bucket, span, area]);

  const set = (k: string, v: string) => {
    const q = new URLSearchParams(route.query);
    if (v) q.set(k, v);
    else q.delete(k);
    if (k === 'bucket') q.delete('span');
    navigate(href('trends', null, q), true);
  };

  const starts = range ? bucketStarts(range.from, range.to, bucket) : [];
  const index = new Map(starts.map((s, i) => [s.getTime(), i]));
  const lines = labels.areas.map((a) => {
    const values = starts.map(() => 0);
    for (const s of all?.series ?? []) {
      const i = index.get(new Date(s.start).getTime());
      if (i !== undefined) values[i] = s.areas[a.id] ?? 0;
    }
    return { id: a.id, colour: areaColour(labels, a.id), values, emphasis: a.id === area };
  });
  const districtCounts: Record<string, number> = {};
  for (const s of (area ? forArea : all)?.series ?? []) {
    for (const [d, n] of Object.entries(s.districts)) districtCounts[d] = (districtCounts[d] ?? 0) + n;
  }
  const ranked = allDistricts(labels)
    .map((d) => ({ id: d.id, n: districtCounts[d.id] ?? 0 }))
    .sort((a, b) => b.n - a.n || a.id.localeCompare(b.id));
  const top = Math.max(1, ...ranked.map((r) => r.n));
  const openDistrict = (d: string) => {
    const q: Record<string, string> = { district: d };
    if (area) q.area = area;
    if (bucket === 'day') q.since = `${span}d`;
    navigate(href('signals', null, q));
  };
  const total = (all?.series ?? []).reduce((n, s) => n + s.total, 0);

  return (
    <div class="trends-page">
      <h1>{t('trendsTitle')}</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('filters')}>
        <div class="field">
          <label for="t-area">{t('area')}</label>
          <select id="t-area" value={area} onChange={(e) => set('area', e.currentTarget.value)}>
            <option value="">{t('any')}</option>
            {labels.areas.map((a) => (
              <option key={a.id} value={a.id}>
                {label(a.id)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="t-bucket">{t('bucket')}</label>
          <select id="t-bucket" value={bucket} onChange={(e) => set('bucket', e.currentTarget.value)}>
            <option value="day">{t('byDay')}</option>
            <option value="week">{t('byWeek')}</option>
          </select>
        </div>
        <div class="field">
          <label for="t-span">{t('range')}</label>
          <select id="t-span" value={span} onChange={(e) => set('span', e.currentTarget.value)}>
            {bucket === 'day' ? (
              <>
                <option value="30">{t('last30d')}</option>
                <option value="90">{t('last90d')}</option>
              </>
            ) : (
              <>
                <option value="26">{t('last26w')}</option>
                <option value="52">{t('last52w')}</option>
              </>
            )}
          </select>
        </div>
        <div class="field">
          <label for="t-cluster">{t('cluster')}</label>
          <select id="t-cluster" value={cluster} onChange={(e) => set('cluster', e.currentTarget.value)}>
            <option value="">{t('any')}</option>
            {labels.clusters.map((c) => (
              <option key={c.id} value={c.id}>
                {label(c.id)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {error ? <ErrorNote error={error} scope="signals:read" /> : null}
      <div class="trends-grid">
        <section class="card" aria-labelledby="per-area">
          <h2 id="per-area">
            {t('perArea')} <span class="muted small">({t('total')}: {number(total)})</span>
          </h2>
          {all && (total === 0 ? <p class="muted">{t('noData')}</p> : <TrendChart starts={starts} lines={lines} caption={t('perArea')} />)}
        </section>
        <section class="card map-card" aria-labelledby="map-h">
          <h2 id="map-h">
            {t('mapTitle')}
            {area ? ` · ${label(area)}` : ''}
          </h2>
          <DistrictMap labels={labels} counts={districtCounts} cluster={cluster || undefined} onSelect={openDistrict} />
        </section>
        <section class="card" aria-labelledby="per-district">
          <h2 id="per-district">{t('perDistrict')}</h2>
          <ol class="bars">
            {ranked.map((r) => (
              <li key={r.id} data-district={r.id}>
                <a href={href('signals', null, { district: r.id, ...(area ? { area } : {}) })} class="bar-label">
                  {label(r.id)}
                </a>
                <span class="bar">
                  <span style={{ width: `${(r.n / top) * 100}%` }} />
                </span>
                <span class="num">{number(r.n)}</span>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}
