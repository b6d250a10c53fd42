import { DateTime, IANAZone } from 'luxon';

export type DeliveryMode = 'immediate' | 'digest' | 'throttle';

export interface DigestSchedule {
  /** 'hour': every hour at the minute of `at`; 'day': every day at `at`. */
  every: 'hour' | 'day';
  /** HH:MM in the subscription's time zone. */
  at: string;
  /** IANA time zone, e.g. Asia/Shanghai. */
  timezone: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function validTime(at: string): boolean {
  return HHMM.test(at);
}

export function validTimezone(tz: string): boolean {
  return IANAZone.isValidZone(tz);
}

/**
 * The first digest time strictly after `after`. Days are counted in the subscription's time
 * zone, so a daily digest at 08:00 stays at 08:00 local time across daylight-saving changes (a
 * time that does not exist that day moves forward, as luxon does).
 */
export function nextDigestAt(s: DigestSchedule, after: Date): Date {
  const m = HHMM.exec(s.at);
  if (!m) throw new Error(`digest time must be HH:MM, not "${s.at}"`);
  if (!validTimezone(s.timezone)) throw new Error(`unknown time zone "${s.timezone}"`);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  const from = DateTime.fromJSDate(after, { zone: s.timezone });
  if (s.every === 'hour') {
    let t = from.set({ minute, second: 0, millisecond: 0 });
    if (t <= from) t = t.plus({ hours: 1 });
    return t.toJSDate();
  }
  let t = from.set({ hour, minute, second: 0, millisecond: 0 });
  if (t <= from) t = from.plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 });
  return t.toJSDate();
}

/**
 * Whether a new alert is sent now or kept for the next digest. A throttled subscription sends
 * at most `perHour` alerts in any hour; the rest go into its next digest.
 */
export function dispositionFor(mode: DeliveryMode, sentInLastHour: number, perHour: number | null): 'immediate' | 'digest' {
  if (mode === 'immediate') return 'immediate';
  if (mode === 'digest') return 'digest';
  return sentInLastHour < (perHour ?? Infinity) ? 'immediate' : 'digest';
}
