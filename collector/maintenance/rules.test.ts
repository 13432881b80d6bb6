import { describe, expect, it } from 'vitest';
import type { MaintenanceStatus } from '../../schemas/index.js';
import { assertRequestable, suppresses } from './rules.js';

const now = new Date('2026-11-10T10:00:00.000Z');
const inH = (h: number) => new Date(now.getTime() + h * 3_600_000).toISOString();

describe('the 24 h rule', () => {
  it.each<[string, number, number, boolean, string | null]>([
    ['25 h ahead', 25, 27, false, null],
    ['exactly 24 h ahead', 24, 26, false, null],
    ['23 h ahead', 23, 25, false, 'at least 24 h before its window (this one is 23.0 h ahead)'],
    ['23 h ahead, emergency', 23, 25, true, null],
    ['already started, emergency', -1, 2, true, null],
    ['already started', -1, 2, false, 'after the window opened'],
    ['end before start', 30, 29, false, 'must be after windowStart'],
    ['end before start, emergency', 1, 1, true, 'must be after windowStart'],
  ])('%s', (_name, startH, endH, emergency, refusal) => {
    const run = () => assertRequestable({ windowStart: inH(startH), windowEnd: inH(endH), emergency }, now);
    if (refusal === null) expect(run).not.toThrow();
    else expect(run).toThrow(refusal);
  });
});

describe('suppression', () => {
  const window = { windowStart: inH(1), windowEnd: inH(3), devices: ['db1', 'sw-core'] };
  it.each<[MaintenanceStatus, string, number, boolean]>([
    ['approved', 'db1', 2, true],
    ['approved', 'db1', 1, true],
    ['approved', 'db1', 3, true],
    ['approved', 'db1', 0.5, false],
    ['approved', 'db1', 3.5, false],
    ['approved', 'web1', 2, false],
    ['requested', 'db1', 2, false],
    ['rejected', 'db1', 2, false],
    ['cancelled', 'sw-core', 2, false],
  ])('%s window, %s at +%s h → %s', (status, device, h, expected) => {
    expect(suppresses({ ...window, status }, device, new Date(inH(h)))).toBe(expected);
  });
});
