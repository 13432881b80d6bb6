import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, formatLocalTime, localMonth, localQuarter, localHalf, zonedInstant } from './calendar.js';

const at = (iso: string) => new Date(iso).getTime();

describe('a site calendar', () => {
  it('files the last second of November and the first of December, China time, in their own months', () => {
    // 23:59:59 on 30 November in Shanghai is 15:59:59Z; 00:00:00 on 1 December is 16:00:00Z.
    expect(localMonth(at('2026-11-30T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11');
    expect(localMonth(at('2026-11-30T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-12');
    expect(localMonth(at('2026-11-30T16:00:00Z'), 'Europe/London')).toBe('2026-11');
  });
  it('cuts quarters and halves at local midnight', () => {
    expect(localQuarter(at('2026-09-30T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-Q4');
    expect(localQuarter(at('2026-09-30T16:30:00Z'), 'UTC')).toBe('2026-Q3');
    expect(localHalf(at('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-H1');
  });
  it('finds the instant of local midnight, across summer time', () => {
    expect(new Date(zonedInstant('Asia/Shanghai', 2026, 11, 1)).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(new Date(zonedInstant('Europe/London', 2026, 6, 1)).toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(new Date(zonedInstant('Europe/London', 2026, 0, 1)).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    // month index 12 is January of the next year, as with Date.UTC
    expect(new Date(zonedInstant('Asia/Shanghai', 2026, 12, 1)).toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });
  it('prints local time with its offset', () => {
    expect(formatLocalTime(at('2026-11-30T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-01 01:30 +08:00');
    expect(formatLocalTime(at('2026-07-01T12:00:00Z'), 'Europe/London')).toBe('2026-07-01 13:00 +01:00');
    expect(formatLocalTime(at('2026-12-01T12:00:00Z'), 'America/New_York')).toBe('2026-12-01 07:00 -05:00');
  });
  it.each([
    ['Asia/Shanghai', 'Asia/Shanghai'],
    ['asia/shanghai', 'Asia/Shanghai'],
    ['UTC', 'UTC'],
    ['Mars/Olympus', undefined],
    ['+08:00', undefined],
    ['', undefined],
    ['Asia/Shanghai; drop table', undefined],
  ])('%s is %s', (name, expected) => {
    expect(canonicalTimeZone(name)).toBe(expected);
  });
});
