import { useI18n } from '../lib/i18n.js';
import type { PageLabels } from '../lib/labels.js';
import { DISTRICT_SHAPES, MAP_VIEWBOX, pathOf } from './beijing-map-data.js';

const SHADES = ['#dbe9f6', '#a6cbe6', '#6aa5d3', '#2f78b7', '#0b4a8b'];
const EMPTY = '#f1f3f5';

/** The shade class of a count (0 = none, 1..5 = fifths of the largest count). */
export function shadeLevel(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return Math.min(SHADES.length, Math.max(1, Math.ceil((n / max) * SHADES.length)));
}

interface Props {
  labels: PageLabels;
  counts: Record<string, number>;
  /** Cluster whose districts are outlined more strongly. */
  cluster?: string;
  onSelect(district: string): void;
}

/**
 * Beijing's 16 districts shaded by signal count. Each district is a button (Tab to it, Enter
 * or Space to open its signals) whose accessible name says its count; the plan's clusters are
 * numbered on the map and listed beside it.
 */
export function DistrictMap({ labels, counts, cluster, onSelect }: Props) {
  const { t, label, number } = useI18n();
  const max = Math.max(0, ...Object.values(counts));
  const known = new Set(labels.regions.flatMap((r) => r.districts.map((d) => d.id)));
  const clusterNo = new Map<string, number[]>();
  labels.clusters.forEach((c, i) => {
    for (const d of c.districts) clusterNo.set(d, [...(clusterNo.get(d) ?? []), i + 1]);
  });
  const highlighted = new Set(labels.clusters.find((c) => c.id === cluster)?.districts ?? []);
  const step = max > 0 ? max / SHADES.length : 0;

  return (
    <figure class="map">
      <svg viewBox={MAP_VIEWBOX} role="group" aria-labelledby="map-title" class="map-svg">
        <title id="map-title">{t('mapTitle')}</title>
        {DISTRICT_SHAPES.filter((d) => known.has(d.id)).map((d) => {
          const n = counts[d.id] ?? 0;
          const level = shadeLevel(n, max);
          const name = label(d.id);
          const nos = clusterNo.get(d.id);
          const activate = () => onSelect(d.id);
          return (
            <g key={d.id} class={`district${highlighted.has(d.id) ? ' in-cluster' : ''}${nos ? ' cluster-member' : ''}`}>
              <path
                id={`district-${d.id}`}
                data-district={d.id}
                data-count={n}
                data-level={level}
                d={pathOf(d.points)}
                fill={level ? SHADES[level - 1] : EMPTY}
                // Lower case: SVG attributes are case-sensitive, and Preact sets them as written.
                tabindex={0}
                role="button"
                aria-label={t('districtCount', { name, n: number(n) })}
                onClick={activate}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    activate();
                  }
                }}
              >
                <title>{t('districtCount', { name, n: number(n) })}</title>
              </path>
              <text x={d.label[0]} y={d.label[1]} class={`district-name${d.small ? ' small' : ''}${level >= 4 ? ' on-dark' : ''}`} aria-hidden="true">
                {name}
              </text>
              <text x={d.label[0]} y={d.label[1] + (d.small ? 12 : 15)} class={`district-count${d.small ? ' small' : ''}${level >= 4 ? ' on-dark' : ''}`} aria-hidden="true">
                {number(n)}
              </text>
              {nos && (
                <g aria-hidden="true" class="cluster-badges">
                  {nos.map((no, i) => (
                    <g key={no} transform={`translate(${d.label[0] - ((nos.length - 1) * 14) / 2 + i * 14}, ${d.label[1] - (d.small ? 20 : 24)})`}>
                      <circle r="7" />
                      <text y="3.5">{no}</text>
                    </g>
                  ))}
                </g>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <div class="map-legend" aria-hidden="true">
          <span class="swatch" style={{ background: EMPTY }} />0
          {SHADES.map((c, i) => (
            <span key={c} class="legend-step">
              <span class="swatch" style={{ background: c }} />
              {step ? `≤${number(Math.ceil(step * (i + 1)))}` : ''}
            </span>
          ))}
        </div>
        <p class="muted small">{t('mapHelp')} {t('schematic')}</p>
        <h3 class="clusters-title">{t('clusters')}</h3>
        <ol class="cluster-list">
          {labels.clusters.map((c) => (
            <li key={c.id} class={c.id === cluster ? 'current' : ''}>
              {label(c.id)} <span class="muted">({c.districts.map((d) => label(d)).join(', ')})</span>
            </li>
          ))}
        </ol>
      </figcaption>
    </figure>
  );
}
