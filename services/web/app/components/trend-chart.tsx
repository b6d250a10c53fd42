import { useI18n } from '../lib/i18n.js';

export interface Line {
  id: string;
  colour: string;
  values: number[];
  emphasis?: boolean;
}

const W = 720;
const H = 260;
const PAD = { l: 44, r: 12, t: 12, b: 28 };

/** Whole-number axis steps: 1, 2, 5, 10, 20, 50, ... so that about four of them cover `max`. */
export function axisTicks(max: number): number[] {
  const rough = Math.max(1, max / 4);
  const p = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * p).find((v) => v >= rough) ?? 10 * p;
  const top = Math.max(step, Math.ceil(max / step) * step);
  const out: number[] = [];
  for (let v = 0; v <= top; v += step) out.push(v);
  return out;
}

/** Counts per bucket as one line per series, with a table of the same numbers for screen readers. */
export function TrendChart({ starts, lines, caption }: { starts: Date[]; lines: Line[]; caption: string }) {
  const { t, label, date, shortDate, number } = useI18n();
  const ticks = axisTicks(Math.max(0, ...lines.flatMap((l) => l.values)));
  const max = ticks[ticks.length - 1]!;
  const n = starts.length;
  const x = (i: number) => PAD.l + (n <= 1 ? 0 : (i * (W - PAD.l - PAD.r)) / (n - 1));
  const y = (v: number) => H - PAD.b - (v / max) * (H - PAD.t - PAD.b);
  const every = Math.max(1, Math.ceil(n / 8));

  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={caption} class="chart-svg">
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} class="grid" />
            <text x={PAD.l - 6} y={y(v) + 4} class="axis" text-anchor="end">
              {number(v)}
            </text>
          </g>
        ))}
        {starts.map((s, i) =>
          i % every === 0 ? (
            <text key={i} x={x(i)} y={H - 8} class="axis" text-anchor="middle">
              {shortDate(s.toISOString())}
            </text>
          ) : null,
        )}
        {lines.map((l) => (
          <g key={l.id} class={`series${l.emphasis ? ' emphasis' : ''}`} data-series={l.id}>
            <polyline points={l.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} fill="none" stroke={l.colour} />
            {l.values.map((v, i) =>
              v > 0 ? (
                <circle key={i} cx={x(i)} cy={y(v)} r={n > 60 ? 1.5 : 3} fill={l.colour}>
                  <title>{`${label(l.id)} · ${date(starts[i]!.toISOString())}: ${number(v)}`}</title>
                </circle>
              ) : null,
            )}
          </g>
        ))}
      </svg>
      <figcaption class="legend">
        {lines.map((l) => (
          <span key={l.id} class="legend-item">
            <span class="swatch line" style={{ background: l.colour }} aria-hidden="true" />
            {label(l.id)} ({number(l.values.reduce((a, b) => a + b, 0))})
          </span>
        ))}
      </figcaption>
      <details class="chart-table">
        <summary>{t('showTable')}</summary>
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t('date')}</th>
                {lines.map((l) => (
                  <th key={l.id} scope="col">
                    {label(l.id)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {starts.map((s, i) => (
                <tr key={i}>
                  <th scope="row">{date(s.toISOString())}</th>
                  {lines.map((l) => (
                    <td key={l.id} class="num">
                      {number(l.values[i] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
