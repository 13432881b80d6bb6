import { describe, expect, it } from 'vitest';
import { monthBounds, monthOf } from './month.js';

describe('inspection months', () => {
  it.each([
    ['2026-11', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'],
    ['2026-12', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['2024-02', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
  ])('%s spans [%s, %s)', (month, start, end) => {
    const b = monthBounds(month);
    expect(new Date(b.start).toISOString()).toBe(start);
    expect(new Date(b.end).toISOString()).toBe(end);
    expect(monthOf(b.start)).toBe(month);
    expect(monthOf(b.end - 1)).toBe(month);
  });
  it.each(['2026-13', '2026-00', '26-11', '2026-1', 'november'])('refuses %s', (month) => {
    expect(() => monthBounds(month)).toThrow('must be YYYY-MM');
  });
});
