import { describe, expect, it } from 'vitest';
import type { InspectionRow, Ticket } from '../../schemas/index.js';
import { availability, buildHealthReport, buildInspectionReport, downtimeOf, renderCsv, renderHtml, quarterPeriod, monthPeriod } from './index.js';

const row = (device: string, check: InspectionRow['check'], verdict: InspectionRow['verdict'], actual = 'x'): InspectionRow => ({
  device, deviceKind: 'server', check, verdict, actual, expected: 'e', commands: ['cmd'], reason: verdict === 'normal' ? null : `${device} ${check} bad`,
  evaluatedAt: '2026-11-20T00:00:00.000Z', reportId: 'r1', origin: 'report',
});

const ticket = (over: Partial<Ticket>): Ticket => ({
  id: 1, site: 's', device: 'd1', deviceKind: 'server', deviceRole: null, deviceModel: null, subject: 'down', priority: 'P1', emergency: true,
  status: 'closed', symptom: 'down', suspectedCause: null, openedAt: '2026-11-10T00:00:00.000Z', openedBy: 'x', recoveredAt: null, emergencyPlanAt: null,
  deadlines: {
    response: { due: '2026-11-10T00:30:00.000Z', metAt: '2026-11-10T00:10:00.000Z', overdue: false },
    onSite: { due: '2026-11-10T01:00:00.000Z', metAt: '2026-11-10T02:00:00.000Z', overdue: true },
    recovery: { due: '2026-11-10T02:00:00.000Z', metAt: '2026-11-10T06:00:00.000Z', overdue: true },
  },
  overdue: true, events: [{ event: 'resolved', by: 'x', at: '2026-11-10T06:00:00.000Z' }], serviceReports: [], parts: [], ...over,
});

describe('report builders (pure)', () => {
  it('inspection: figures from the rows, the form per device in catalogue order', () => {
    const rows = [row('a', 'SXKR-002', 'normal'), row('a', 'SXKR-001', 'abnormal'), row('b', 'SXKR-001', 'unknown'), row('b', 'SXKR-002', 'normal')];
    const doc = buildInspectionReport({
      site: 's', siteTitle: null, timeZone: 'UTC', lang: 'en', now: new Date('2026-12-01T00:00:00Z'), devices: [],
      inspection: { month: '2026-11', revision: 1, status: 'draft', rows, notes: '', signedBy: null, signedAt: null, confirmedBy: null, confirmedAt: null },
    });
    const facts = Object.fromEntries(doc.facts.map((f) => [f.key, f.value]));
    expect(facts).toMatchObject({ devices: '2', checks: '4', normal: '2', abnormal: '1', unknown: '1', abnormalDevices: '1' });
    const a = doc.sections.find((s) => s.heading === 'a')!;
    expect(a.table!.rows.map((r) => r[0])).toEqual(['SXKR-001', 'SXKR-002']);
    expect(renderHtml(doc)).toContain('<td class="abnormal">abnormal</td>');
  });

  it('availability: downtime clipped to the period, over devices × elapsed time', () => {
    const q = quarterPeriod('2026-Q4', 'UTC');
    const t = ticket({ openedAt: '2026-09-30T18:00:00.000Z' }); // 6 h before the quarter, resolved 06:00 on 10 Nov
    expect(downtimeOf(t, q, Date.parse('2026-12-01T00:00:00Z'))).toBe(Date.parse('2026-11-10T06:00:00Z') - Date.parse('2026-10-01T00:00:00Z'));
    expect(downtimeOf(ticket({ subject: 'SXKR-004' }), q, Date.now())).toBe(0);
    const month = monthPeriod('2026-11', 'UTC');
    expect(availability(10, 3 * 86_400_000, month, month.end)).toBeCloseTo(99, 10);
    expect(availability(0, 0, month, month.end)).toBeNull();
  });

  it('health: SLA met and late counts and mean minutes per stage', () => {
    const doc = buildHealthReport({
      site: 's', siteTitle: null, timeZone: 'UTC', lang: 'en', now: new Date('2026-12-01T00:00:00Z'), period: monthPeriod('2026-11', 'UTC'),
      devices: [{ hostname: 'd1', kind: 'server', latest: { 'SXKR-004': 'abnormal' } }], tickets: [ticket({})],
    });
    const sla = doc.sections.find((s) => s.heading.startsWith('Response and recovery'))!.table!.rows;
    expect(sla.map((r) => r.map((c) => (typeof c === 'object' && c ? c.text : c)))).toEqual([
      ['Response', 1, '0', '10'],
      ['On site', 0, '1', '120'],
      ['Recovery', 0, '1', '360'],
    ]);
    // 6 h down of 30 days for one device
    expect(doc.facts.find((f) => f.key === 'availability')!.value).toBe(`${(100 * (1 - 6 / 720)).toFixed(1)}%`);
  });

  it('CSV cells that a spreadsheet would run as formulas are defused', () => {
    const doc = buildInspectionReport({
      site: 's', siteTitle: null, timeZone: 'UTC', lang: 'zh', now: new Date(), devices: [],
      inspection: { month: '2026-11', revision: 1, status: 'draft', rows: [row('=cmd|calc', 'SXKR-001', 'abnormal')], notes: '', signedBy: null, signedAt: null, confirmedBy: null, confirmedAt: null },
    });
    expect(renderCsv(doc, 0)).toContain("'=cmd|calc");
  });
});
