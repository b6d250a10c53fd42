/**
 * Publication dates as pages write them: ISO 8601 and its relatives, RFC 2822, English month
 * names, Chinese 年月日, dates in URLs. Output is ISO 8601: a UTC timestamp when the source
 * gives a time of day, a plain calendar date (`2024-05-01`) when it gives only the day.
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

export interface DateOptions {
  /** Offset from UTC in minutes for times written without one (480 for Beijing). Default 0. */
  defaultOffsetMinutes?: number;
  /** Latest acceptable instant, default now + 2 days. */
  now?: Date;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function build(
  y: number, mo: number, d: number,
  time: { h: number; mi: number; s: number; offset: number | null } | null,
  opts: DateOptions,
): string | null {
  const now = opts.now ?? new Date();
  if (y < 1990 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCDate() !== d) return null; // 31 February and friends
  if (!time) {
    if (day.getTime() > now.getTime() + 2 * 86400_000) return null;
    return `${y}-${pad(mo)}-${pad(d)}`;
  }
  if (time.h > 24 || time.mi > 59 || time.s > 60) return null;
  const offset = time.offset ?? opts.defaultOffsetMinutes ?? 0;
  const ms = Date.UTC(y, mo - 1, d, time.h, time.mi, time.s) - offset * 60_000;
  if (ms > now.getTime() + 2 * 86400_000) return null;
  return new Date(ms).toISOString();
}

function offsetOf(zone: string | undefined): number | null {
  if (!zone) return null;
  const z = zone.trim().toUpperCase();
  if (z === 'Z' || z === 'GMT' || z === 'UTC' || z === 'UT') return 0;
  const m = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$/.exec(z);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  const named: Record<string, number> = {
    EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
    BST: 60, CET: 60, CEST: 120, JST: 540, KST: 540, IST: 330, HKT: 480, SGT: 480, AEST: 600, AEDT: 660,
  };
  return named[z] ?? null;
}

function clock(h: string | undefined, mi: string | undefined, s: string | undefined, ampm: string | undefined, zone: string | undefined) {
  if (h === undefined || mi === undefined) return null;
  let hour = Number(h);
  const ap = ampm?.toLowerCase().replace(/\./g, '');
  if (ap === 'pm' && hour < 12) hour += 12;
  if (ap === 'am' && hour === 12) hour = 0;
  return { h: hour, mi: Number(mi), s: Number(s ?? 0), offset: offsetOf(zone) };
}

// 2019-11-19T12:00:00.000+08:00, 2019/11/19 12:00, 2019.11.19, 2019年11月19日 12:00
const NUMERIC =
  /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:T|\s+|日)?\s*(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2})(?:\.\d+)?)?\s*(?:秒)?\s*(Z|[+-]\d{2}:?\d{2}|(?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)?)?)?/i;
// Tue, 19 Nov 2019 12:00:00 GMT; 19 November 2019
const DAY_MONTH =
  /\b(\d{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*([A-Z]{2,4}|[+-]\d{4}|GMT[+-]\d{1,2})?)?/i;
// November 19, 2019 12:00 PM EST
const MONTH_DAY =
  /\b(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*([A-Z]{2,4}|[+-]\d{4}|GMT[+-]\d{1,2})?)?/i;

/** Parses the first date found in `text`, or null. */
export function parseDate(text: string, opts: DateOptions = {}): string | null {
  const s = text.trim();
  if (!s) return null;
  if (/^\d{10}(\d{3})?$/.test(s)) {
    const ms = s.length === 13 ? Number(s) : Number(s) * 1000;
    const d = new Date(ms);
    return d.getUTCFullYear() >= 1990 && ms <= (opts.now ?? new Date()).getTime() + 2 * 86400_000 ? d.toISOString() : null;
  }
  let m = NUMERIC.exec(s);
  if (m) {
    return build(Number(m[1]), Number(m[2]), Number(m[3]), clock(m[4], m[5], m[6], undefined, m[7]), opts);
  }
  m = DAY_MONTH.exec(s);
  if (m) {
    return build(Number(m[3]), MONTHS[m[2]!.toLowerCase()] ?? 0, Number(m[1]), clock(m[4], m[5], m[6], m[7], m[8]), opts);
  }
  m = MONTH_DAY.exec(s);
  if (m) {
    return build(Number(m[3]), MONTHS[m[1]!.toLowerCase()] ?? 0, Number(m[2]), clock(m[4], m[5], m[6], m[7], m[8]), opts);
  }
  return null;
}

/** A date written in the path of a URL: /2019/11/19/, /2019-11-19/, /20191119/, t20191119_. */
export function dateFromUrl(url: string, opts: DateOptions = {}): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const m =
    /\/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:\/|-|_|$)/.exec(path) ??
    /(?:\/|\bt|_)((?:19|20)\d{2})(\d{2})(\d{2})(?:\/|_|\.|$)/.exec(path);
  if (!m) return null;
  return build(Number(m[1]), Number(m[2]), Number(m[3]), null, opts);
}
