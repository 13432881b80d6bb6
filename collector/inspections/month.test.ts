import { describe, expect, it } from 'vitest';
import { monthBounds, monthOf } from './month.js';

describe('inspection months', () => {
  it.each([
    ['2026-11', 'UTC', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['2026-12', 'UTC', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2024-02', 'UTC', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    // China: midnight is 16:00 UTC the day before.
    ['2026-12', 'Asia/Shanghai', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z'],
    // London: GMT in winter, BST from the last Sunday of March.
    ['2026-04', 'Europe/London', '2026-03-31T23:00:00.000Z', '2026-04-30T23:00:00.000Z'],
  ])('%s in %s spans [%s, %s)', (month, zone, start, end) => {
    const b = monthBounds(month, zone);
    expect(new Date(b.start).toISOString()).toBe(start);
    expect(new Date(b.end).toISOString()).toBe(end);
    expect(monthOf(b.start, zone)).toBe(month);
    expect(monthOf(b.end - 1, zone)).toBe(month);
  });
  it.each(['2026-13', '2026-00', '26-11', '2026-1', 'november'])('refuses %s', (month) => {
    expect(() => monthBounds(month, 'Asia/Shanghai')).toThrow('must be YYYY-MM');
  });
});
