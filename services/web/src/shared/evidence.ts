// Pure helpers of the page (no imports: they compile in Node for tests and in the browser).

/** One piece of evidence as the API returns it. */
export interface EvidenceItem {
  term: string;
  field: string;
  start?: number;
  end?: number;
  weight?: number;
}

/** A highlighted stretch of a field's text and the labels whose evidence covers it. */
export interface Span {
  start: number;
  end: number;
  labels: string[];
  terms: string[];
}

/** A piece of text to render: plain, or highlighted for some labels. */
export interface Segment {
  text: string;
  mark: Span | null;
}

/**
 * The spans of one field, from every label's evidence: offsets outside the text or empty are
 * dropped (the text may have been edited since it was classified), and overlapping spans are
 * merged so that each character is highlighted once, naming every label it is evidence for.
 */
export function spansFor(field: string, textLength: number, labels: { id: string; evidence: EvidenceItem[] }[]): Span[] {
  const raw: Span[] = [];
  for (const l of labels) {
    for (const e of l.evidence) {
      if (e.field !== field || e.start === undefined || e.end === undefined) continue;
      const start = Math.max(0, Math.floor(e.start));
      const end = Math.min(textLength, Math.floor(e.end));
      if (end > start) raw.push({ start, end, labels: [l.id], terms: [e.term] });
    }
  }
  raw.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of raw) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      last.end = Math.max(last.end, s.end);
      for (const id of s.labels) if (!last.labels.includes(id)) last.labels.push(id);
      for (const t of s.terms) if (!last.terms.includes(t)) last.terms.push(t);
    } else {
      out.push({ ...s, labels: [...s.labels], terms: [...s.terms] });
    }
  }
  return out;
}

/** The text cut at the spans' edges, in order; together the segments are the whole text. */
export function segments(text: string, spans: Span[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.start > at) out.push({ text: text.slice(at, s.start), mark: null });
    out.push({ text: text.slice(s.start, s.end), mark: s });
    at = s.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), mark: null });
  return out;
}

/**
 * A long text shortened to the paragraphs around its highlights (with `context` characters
 * either side), so a 20,000-character article shows where the evidence is. Returns the kept
 * ranges of the text; a short text is kept whole.
 */
export function excerptRanges(textLength: number, spans: Span[], context = 400, wholeBelow = 3000): [number, number][] {
  if (textLength <= wholeBelow) return [[0, textLength]];
  if (spans.length === 0) return [[0, wholeBelow]];
  const ranges: [number, number][] = [];
  for (const s of spans) {
    const start = Math.max(0, s.start - context);
    const end = Math.min(textLength, s.end + context);
    const last = ranges[ranges.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  }
  return ranges;
}
