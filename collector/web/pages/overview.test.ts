import { describe, expect, it } from 'vitest';
import type { InspectionStatus } from '../../../schemas/index.js';
import { DEFAULT_SIGN_OFF_DUE_DAY, unsignedMonth } from './overview.js';

describe('the unsigned month', () => {
  const records: Record<string, InspectionStatus> = { '2026-10': 'confirmed', '2026-11': 'draft', '2027-01': 'signed' };
  it.each<[string, number, string | null]>([
    ['2026-12-05T23:59:59.000Z', DEFAULT_SIGN_OFF_DUE_DAY, null],
    ['2026-12-06T00:00:00.000Z', DEFAULT_SIGN_OFF_DUE_DAY, '2026-11'],
    ['2026-12-01T00:00:00.000Z', 0, '2026-11'],
    ['2026-12-20T00:00:00.000Z', 28, null],
    ['2026-11-20T00:00:00.000Z', 5, null], // October confirmed
    ['2027-02-10T00:00:00.000Z', 5, null], // January signed
    ['2027-01-10T00:00:00.000Z', 5, '2026-12'], // December has no record at all
  ])('at %s, due on day %i → %s', (now, dueDay, expected) => {
    expect(unsignedMonth(Date.parse(now), dueDay, (m) => records[m], Date.parse('2026-09-01T00:00:00.000Z'), 'UTC')).toBe(expected);
  });

  it('a site with no device on record before this month has no month to sign', () => {
    const now = Date.parse('2026-12-10T00:00:00.000Z');
    expect(unsignedMonth(now, 5, () => undefined, Date.parse('2026-12-01T00:00:00.000Z'), 'UTC')).toBeNull();
    expect(unsignedMonth(now, 5, () => undefined, null, 'UTC')).toBeNull();
    expect(unsignedMonth(now, 5, () => undefined, Date.parse('2026-11-30T23:59:59.000Z'), 'UTC')).toBe('2026-11');
  });
});
