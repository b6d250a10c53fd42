import { useState } from 'preact/hooks';
import { excerptRanges, segments, spansFor, type EvidenceItem } from '../../src/shared/evidence.js';
import { useI18n } from '../lib/i18n.js';

interface Props {
  field: string;
  text: string;
  labels: { id: string; evidence: EvidenceItem[] }[];
  colourOf(id: string): string;
  /** Render as a heading-like line (the title) rather than paragraphs. */
  inline?: boolean;
}

/**
 * A field's text with each piece of evidence highlighted (a <mark> naming its labels and
 * terms). A long text shows the passages around its highlights, with a button for the rest.
 */
export function EvidenceText({ field, text, labels, colourOf, inline }: Props) {
  const { t, label } = useI18n();
  const [whole, setWhole] = useState(false);
  const spans = spansFor(field, text.length, labels);
  const ranges = whole ? [[0, text.length] as [number, number]] : excerptRanges(text.length, spans);
  const cut = ranges.length !== 1 || ranges[0]![0] !== 0 || ranges[0]![1] !== text.length;

  const render = (from: number, to: number) =>
    segments(text.slice(from, to), spans.filter((s) => s.end > from && s.start < to).map((s) => ({ ...s, start: Math.max(0, s.start - from), end: Math.min(to, s.end) - from }))).map((seg, i) =>
      seg.mark ? (
        <mark
          key={i}
          class="ev"
          data-labels={seg.mark.labels.join(' ')}
          title={`${seg.mark.labels.map(label).join(', ')}: ${seg.mark.terms.join(', ')}`}
          style={{ backgroundColor: `${colourOf(seg.mark.labels[0]!)}2e`, borderBottomColor: colourOf(seg.mark.labels[0]!) }}
        >
          {seg.text}
        </mark>
      ) : (
        seg.text
      ),
    );

  if (inline) return <span data-field={field}>{render(0, text.length)}</span>;
  return (
    <div class="evidence-text" data-field={field}>
      {ranges.map(([from, to], i) => (
        <p key={i}>
          {from > 0 && <span class="muted">{t('gap')} </span>}
          {render(from, to)}
          {to < text.length && <span class="muted"> {t('gap')}</span>}
        </p>
      ))}
      {cut && (
        <button type="button" class="link-button" onClick={() => setWhole(true)}>
          {t('showAll')}
        </button>
      )}
    </div>
  );
}
