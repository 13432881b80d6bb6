import { describe, expect, it } from 'vitest';
import type { MaintenanceStatus } from '../../schemas/index.js';
import { assertRequestable, assertStep, assertTwoPeople, suppresses } from './rules.js';

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
    ['in_progress', 'db1', 2, true],
    ['in_progress', 'db1', 3.5, false],
    ['completed', 'db1', 1.5, true],
    ['completed', 'db1', 2.5, false],
    ['rolled_back', 'db1', 2, true],
    ['rolled_back', 'sw-core', 2.25, false],
  ])('%s window, %s at +%s h → %s', (status, device, h, expected) => {
    // The work, when it has ended, ended at +2 h: suppression stops there.
    expect(suppresses({ ...window, status, actualEnd: inH(2) }, device, new Date(inH(h)))).toBe(expected);
  });
});

describe('the two-person rule', () => {
  it.each<[string, string, boolean]>([
    ['Zhang San', 'Li Si', true],
    ['Zhang San', 'zhang san', false],
    ['张三', ' 张三 ', false],
    ['Zhang San', 'Zhang  San', false],
    ['Ｚｈａｎｇ', 'zhang', false],
  ])('engineer %j, recorder %j → allowed %s', (engineer, recorder, allowed) => {
    const run = () => assertTwoPeople({ engineer, recorder });
    if (allowed) expect(run).not.toThrow();
    else expect(run).toThrow('the recorder must be a second person present');
  });
});

describe('steps', () => {
  it('names the status and what the step needs', () => {
    expect(() => assertStep(3, 'requested', 'start')).toThrow('cannot start maintenance request 3: it is requested, and start needs it approved');
    expect(() => assertStep(3, 'approved', 'cancel')).not.toThrow();
    expect(() => assertStep(3, 'in_progress', 'cancel')).toThrow('cancel needs it requested or approved');
  });
});
