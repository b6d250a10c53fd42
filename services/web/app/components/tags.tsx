import { useI18n } from '../lib/i18n.js';
import type { LabelScore } from '../lib/types.js';

export const DISTRICT_COLOUR = '#6d28d9';

/** A label as a small chip: its name and, when asked, its score. */
export function Tag({ id, score, colour, showScore }: { id: string; score?: number; colour: string; showScore?: boolean }) {
  const { label } = useI18n();
  return (
    <span class="tag" data-tag={id} style={{ borderColor: colour }}>
      <span class="dot" style={{ background: colour }} aria-hidden="true" />
      {label(id)}
      {showScore && score !== undefined && <span class="tag-score">{score.toFixed(2)}</span>}
    </span>
  );
}

export function ScoreBar({ score }: { score: number }) {
  const pct = Math.round(Math.max(0, Math.min(1, score)) * 100);
  return (
    <span class="score-bar" aria-hidden="true">
      <span style={{ width: `${pct}%` }} />
    </span>
  );
}

export function TagList({ areas, districts, colourOf }: { areas: LabelScore[]; districts: LabelScore[]; colourOf(id: string): string }) {
  return (
    <span class="tags">
      {areas.map((a) => (
        <Tag key={a.id} id={a.id} score={a.score} colour={colourOf(a.id)} showScore />
      ))}
      {districts.map((d) => (
        <Tag key={d.id} id={d.id} score={d.score} colour={DISTRICT_COLOUR} />
      ))}
    </span>
  );
}
