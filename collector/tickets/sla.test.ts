import { describe, expect, it } from 'vitest';
import { ValidationError, type Priority, type TicketEvent } from '../../schemas/index.js';
import { alwaysOnSite, anyOverdue, deadlines, DEFAULT_SLA, isEmergency, recoveryLimit, slaProfile, type DeadlineInput } from './sla.js';

const opened = '2026-11-01T08:00:00.000Z';
const at = (h: number) => new Date(Date.parse(opened) + h * 3_600_000);
const iso = (h: number) => at(h).toISOString();
const ev = (event: TicketEvent['event'], h: number) => ({ event, at: iso(h) });

describe('SLA profile', () => {
  it('has the contract defaults', () => {
    expect(DEFAULT_SLA).toMatchObject({
      responseHours: 0.5,
      onSiteHours: 2,
      onSiteEmergencyHours: 1,
      recoveryHours: { P1: 2, P2: 4, P3: 12, P4: null },
      missedReports: 3,
      emergencyPriorities: ['P1'],
      generalRecoveryHours: 8,
      partReplacementHours: 2,
      onSitePriorities: ['P1'],
    });
  });
  it('keeps the defaults a site does not override', () => {
    const p = slaProfile({ responseHours: 0.25, recoveryHours: { P3: 24 } });
    expect(p.responseHours).toBe(0.25);
    expect(p.recoveryHours).toEqual({ P1: 2, P2: 4, P3: 24, P4: null });
    expect(p.onSiteHours).toBe(2);
  });
  it('refuses a bad profile naming the field', () => {
    expect(() => slaProfile({ responseHours: -1 })).toThrow(ValidationError);
    expect(() => slaProfile({ responseHours: -1 })).toThrow('/responseHours');
  });
  it('P1 is an emergency by default', () => {
    expect(isEmergency('P1', DEFAULT_SLA)).toBe(true);
    expect(isEmergency('P2', DEFAULT_SLA)).toBe(false);
  });
});

describe('deadlines', () => {
  type Case = [string, Priority, boolean, { event: TicketEvent['event']; at: string }[], string | null, number, Record<string, [number | null, boolean]>, Partial<DeadlineInput>?];
  // [name, priority, emergency, events, recoveredAt, now (h after opening), {deadline: [due h, overdue]}, more input]
  // The on-site clock runs from `visitFrom` (dispatch, or opening when the priority always needs a visit).
  const visit = (h: number) => ({ visitFrom: iso(h) });
  const cases: Case[] = [
    ['fresh P2 (no visit needed yet: no on-site clock)', 'P2', false, [], null, 0.1, { response: [0.5, false], onSite: [null, false], recovery: [4, false] }],
    ['no response after 40 min', 'P2', false, [], null, 0.67, { response: [0.5, true], onSite: [null, false], recovery: [4, false] }],
    ['responded in time', 'P2', false, [ev('responded', 0.4)], null, 1, { response: [0.5, false], onSite: [null, false], recovery: [4, false] }],
    ['fixed remotely in 20 minutes: nothing on-site overdue at 2 h', 'P2', false, [ev('responded', 0.1), ev('resolved', 0.33)], null, 3, { onSite: [null, false], recovery: [4, false] }],
    ['dispatched at 1 h: on site due 2 h later', 'P2', false, [ev('responded', 0.1), ev('dispatched', 1)], null, 2.5, { onSite: [3, false] }, visit(1)],
    ['dispatched, late arrival', 'P2', false, [ev('responded', 0.1), ev('dispatched', 1), ev('on_site', 3.5)], null, 4, { onSite: [3, true] }, visit(1)],
    ['P4 never has an on-site clock, even dispatched', 'P4', false, [ev('responded', 0.1), ev('dispatched', 1)], null, 100, { onSite: [null, false], recovery: [null, false] }, visit(1)],
    ['part needed: 2 h from arrival', 'P2', false, [ev('on_site', 1)], null, 3.5, { partReplacement: [3, true] }, { ...visit(0), partNeededAt: iso(1.5) }],
    ['part swapped in time', 'P2', false, [ev('on_site', 1)], null, 3.5, { partReplacement: [3, false] }, { ...visit(0), partNeededAt: iso(1.5), partReplacedAt: iso(2.5) }],
    ['part needed before arrival: clock waits for the arrival', 'P2', false, [], null, 9, { partReplacement: [null, false] }, { partNeededAt: iso(0.5) }],
    ['emergency plan with its deadline', 'P2', false, [ev('on_site', 1)], null, 7, { emergencyPlan: [6, true] }, { emergencyPlanAt: iso(2), emergencyPlanDue: iso(6) }],
    ['responded late stays overdue', 'P2', false, [ev('responded', 0.6)], null, 1, { response: [0.5, true] }],
    ['emergency on site within 1 h', 'P1', true, [ev('responded', 0.1)], null, 1.5, { onSite: [1, true], recovery: [2, false] }, visit(0)],
    ['emergency met', 'P1', true, [ev('responded', 0.1), ev('on_site', 0.9)], null, 1.5, { onSite: [1, false] }, visit(0)],
    ['P3 recovery 12 h', 'P3', false, [ev('responded', 0.1), ev('on_site', 1)], null, 13, { recovery: [12, true] }],
    ['recovered by itself in time', 'P3', false, [], iso(3), 13, { recovery: [12, false] }],
    ['resolved in time', 'P2', false, [ev('responded', 0.1), ev('on_site', 1), ev('resolved', 3.5)], null, 30, { recovery: [4, false] }],
    ['P4 has no recovery deadline', 'P4', false, [], null, 1000, { recovery: [null, false] }],
  ];
  it.each(cases)('%s', (_name, priority, emergency, events, recoveredAt, nowH, expected, more = {}) => {
    const d = deadlines({ openedAt: opened, priority, emergency, events, recoveredAt, ...more }, DEFAULT_SLA, at(nowH));
    for (const [key, [dueH, overdue]] of Object.entries(expected)) {
      const got = d[key as keyof typeof d]!;
      expect(got.due, key).toBe(dueH === null ? null : iso(dueH));
      expect(got.overdue, key).toBe(overdue);
    }
    expect(anyOverdue(d)).toBe(Object.values(d).some((x) => x.overdue));
  });

  it('the general 8 h promise applies to a fault whose priority has no limit of its own, never to P4', () => {
    const p = slaProfile({ recoveryHours: { P3: null } });
    expect(recoveryLimit('P3', p)).toBe(8);
    expect(recoveryLimit('P2', p)).toBe(4);
    expect(recoveryLimit('P4', p)).toBeNull();
    expect(alwaysOnSite('P1', p)).toBe(true);
    expect(alwaysOnSite('P4', slaProfile({ onSitePriorities: ['P1', 'P4'] }))).toBe(false);
  });
});
