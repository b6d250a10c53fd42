/**
 * Feed dates with sane time zones. RFC 822 (RSS), RFC 3339 (Atom, JSON Feed) and the forms
 * Chinese sites write (`2024-05-06 10:00:00`, `2024年5月6日 10:00`) are read; a date without a
 * zone takes `defaultOffsetMin` (the feed's zone: +08:00 for a Chinese-language feed), and the
 * named zones that mean two things (`CST`) are read in that light.
 */

const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  BST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180, WET: 0, WEST: 60,
  JST: 540, KST: 540, HKT: 480, SGT: 480, AEST: 600, AEDT: 660, IST: 330,
  A: -60, M: -720, N: 60, Y: 720,
};

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
};

export interface DateOptions {
  /** Offset from UTC in minutes for a date that names no zone (default 0). */
  defaultOffsetMin?: number;
  /** Read `CST` as China Standard Time (+08:00) rather than US Central (default false). */
  chinaCst?: boolean;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMin: number): Date | null {
  if (y < 100) y += y < 50 ? 2000 : 1900;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - offsetMin * 60_000;
  const date = new Date(t);
  return Number.isNaN(t) ? null : date;
}

function zoneOffset(zone: string | undefined, opts: DateOptions): number | null {
  if (!zone) return null;
  const z = zone.trim();
  const num = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(z);
  if (num) return (num[1] === '-' ? -1 : 1) * (Number(num[2]) * 60 + Number(num[3] ?? 0));
  const up = z.toUpperCase();
  if (up === 'CST' && opts.chinaCst) return 480;
  return ZONES[up] ?? null;
}

/** A Date, or null when the string is not a date this reader knows. */
export function parseDate(input: string | null | undefined, opts: DateOptions = {}): Date | null {
  if (!input) return null;
  const s = input.trim().replace(/\s+/g, ' ');
  if (!s) return null;
  const def = opts.defaultOffsetMin ?? 0;

  // RFC 3339 / ISO 8601, and the `2024-05-06 10:00:00` form without a zone.
  let m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)? ?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(s);
  if (m) {
    const off = m[8] ? zoneOffset(m[8] === 'z' ? 'Z' : m[8], opts) : def;
    const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    return build(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms, off ?? def);
  }
  // 2024/05/06 10:00 and 2024.05.06
  m = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?(?: ?([+-]\d{2}:?\d{2}|[A-Z]{1,5}))?$/i.exec(s);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), 0, zoneOffset(m[7], opts) ?? def);
  // 2024年5月6日 10:00(:00)
  m = /^(\d{4})年(\d{1,2})月(\d{1,2})日 ?(?:(\d{1,2})[:：时](\d{1,2})分?(?:[:：](\d{1,2})秒?)?)?$/.exec(s);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), 0, def);
  // RFC 822 / 2822: [Mon, ]06 May 2024 10:00[:00] [+0800|GMT|CST]
  m = /^(?:[a-z]{2,9},? )?(\d{1,2})[ -]([a-z]{3,9})\.?[ -](\d{2,4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?(?: ?(.+))?$/i.exec(s);
  if (m) {
    const mo = MONTHS[m[2]!.toLowerCase()];
    if (mo) return build(+m[3]!, mo, +m[1]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), 0, zoneOffset(m[7], opts) ?? def);
  }
  // Month-first: Mon May 06 2024 10:00:00 GMT+0800, May 6, 2024 10:00 PM
  m = /^(?:[a-z]{2,9},? )?([a-z]{3,9})\.? (\d{1,2}),? (\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))? ?(am|pm)?)?(?: ?([^()]+?))?(?: \(.*\))?$/i.exec(s);
  if (m) {
    const mo = MONTHS[m[1]!.toLowerCase()];
    let h = +(m[4] ?? 0);
    if (m[7]) h = (h % 12) + (m[7].toLowerCase() === 'pm' ? 12 : 0);
    if (mo) return build(+m[3]!, mo, +m[2]!, h, +(m[5] ?? 0), +(m[6] ?? 0), 0, zoneOffset(m[8], opts) ?? def);
  }
  // Last resort: the engine's own reader, only when the string names a zone (else it would use
  // this machine's zone).
  if (/(?:Z|GMT|UTC|[+-]\d{2}:?\d{2})\b/i.test(s)) {
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return new Date(t);
  }
  return null;
}
