import { describe, expect, it } from 'vitest';
import { dateFromUrl, parseDate } from './dates.js';

const now = new Date('2025-01-01T00:00:00Z');

describe('parseDate', () => {
  it.each([
    ['2019-11-19T12:00:00Z', '2019-11-19T12:00:00.000Z'],
    ['2019-11-19T20:00:00+08:00', '2019-11-19T12:00:00.000Z'],
    ['2019-11-19T20:00:00.123+0800', '2019-11-19T12:00:00.000Z'],
    ['Tue, 19 Nov 2019 12:00:00 GMT', '2019-11-19T12:00:00.000Z'],
    ['November 19, 2019 7:05 PM EST', '2019-11-20T00:05:00.000Z'],
    ['Nov. 19, 2019', '2019-11-19'],
    ['19 November 2019', '2019-11-19'],
    ['2019-11-19', '2019-11-19'],
    ['1574164800', '2019-11-19T12:00:00.000Z'],
  ])('%s -> %s', (input, expected) => {
    expect(parseDate(input, { now })).toBe(expected);
  });

  it('reads Chinese dates, local times taken as Beijing time when asked', () => {
    expect(parseDate('发布时间：2024年03月15日 09:00', { now: new Date('2025-01-01'), defaultOffsetMinutes: 480 })).toBe('2024-03-15T01:00:00.000Z');
    expect(parseDate('2024年3月5日', { now })).toBe('2024-03-05');
    expect(parseDate('2024-05-06 10:32:15', { now, defaultOffsetMinutes: 480 })).toBe('2024-05-06T02:32:15.000Z');
  });

  it('refuses impossible and future dates', () => {
    expect(parseDate('2019-02-31', { now })).toBeNull();
    expect(parseDate('2031-01-01', { now })).toBeNull();
    expect(parseDate('no date here', { now })).toBeNull();
  });
});

describe('dateFromUrl', () => {
  it('finds dates in common URL layouts', () => {
    expect(dateFromUrl('https://a.example/2019/11/19/story-slug/', { now })).toBe('2019-11-19');
    expect(dateFromUrl('http://www.gov.example.cn/zwgk/202403/t20240315_4567890.shtml', { now })).toBe('2024-03-15');
    expect(dateFromUrl('https://a.example/news/123456', { now })).toBeNull();
  });
});
