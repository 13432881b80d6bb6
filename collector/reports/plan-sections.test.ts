import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../schemas/index.js';
import { buildFaultsReport, buildHealthReport, buildInspectionReport, buildSummaryReport, quarterPeriod, renderHtml, renderPdf } from './index.js';
import { contractYearOf, contractYearPeriod } from './period.js';
import type { ReportDocument } from './document.js';

const ticket = (over: Partial<Ticket>): Ticket => ({
  id: 1, site: 's', device: 'db1', deviceKind: 'server', deviceRole: null, deviceModel: null, subject: 'SXKR-004', priority: 'P2', emergency: false,
  status: 'closed', symptom: 'fan', suspectedCause: null, openedAt: '2026-11-10T00:00:00.000Z', openedBy: 'x', recoveredAt: null, emergencyPlanAt: null,
  deadlines: {
    response: { due: null, metAt: null, overdue: false },
    onSite: { due: null, metAt: null, overdue: false },
    recovery: { due: null, metAt: null, overdue: false },
  },
  overdue: false, events: [], serviceReports: [], parts: [], ...over,
});

const base = { site: 's', siteTitle: null, timeZone: 'Asia/Shanghai', now: new Date('2026-12-20T00:00:00Z') };
const headings = (doc: ReportDocument) => doc.sections.map((s) => s.heading);
const section = (doc: ReportDocument, heading: string) => doc.sections.find((s) => s.heading === heading)!;
const texts = (doc: ReportDocument, heading: string) => section(doc, heading).table!.rows.map((r) => r.map((c) => (c !== null && typeof c === 'object' ? c.text : c)));

describe("the plan's sections (pure)", () => {
  const period = quarterPeriod('2026-Q4', 'Asia/Shanghai');
  const health = (lang: 'zh' | 'en', devices: Parameters<typeof buildHealthReport>[0]['devices'], tickets: Ticket[] = []) =>
    buildHealthReport({ ...base, lang, period, devices, tickets, limits: { cpuPeak: 70, memory: 80 } });

  it('health: environment lists each PSU, fan and sensor; a device without them reads no data, never normal', () => {
    const doc = health('en', [
      {
        hostname: 'db1', kind: 'server', latest: { 'SXKR-004': 'abnormal', 'SXKR-005': 'normal' }, measured: ['SXKR-004', 'SXKR-005'],
        components: [
          { check: 'SXKR-004', component: 'PSU 2', verdict: 'abnormal', actual: 'failed' },
          { check: 'SXKR-005', component: 'Inlet', verdict: 'normal', actual: '24.0 °C' },
        ],
      },
      { hostname: 'sw1', kind: 'switch', latest: {}, measured: [] },
    ]);
    expect(headings(doc)).toEqual(expect.arrayContaining(['Environment (temperatures, power, fans)', 'Disk cache (controllers, cache, batteries)', 'Optimisation advice']));
    const env = texts(doc, 'Environment (temperatures, power, fans)');
    expect(env).toContainEqual(['db1', 'Power supplies and fans', 'PSU 2', 'failed', 'abnormal']);
    expect(env).toContainEqual(['db1', 'Operating temperature', 'Inlet', '24.0 °C', 'normal']);
    expect(env).toContainEqual(['sw1', '—', '—', 'no data', 'no data']);
    expect(section(doc, 'Environment (temperatures, power, fans)').paragraphs!.join()).toContain('sw1');
    // No controller, cache or battery recorded anywhere: said, not a table of nothing.
    expect(section(doc, 'Disk cache (controllers, cache, batteries)').table).toBeUndefined();
    expect(section(doc, 'Disk cache (controllers, cache, batteries)').paragraphs![0]).toMatch(/no disk controller, cache or cache battery data/);
    expect(doc.signatures!.map((s) => s.label)).toEqual(['Service engineer', 'Customer representative']);
    // No device at all in the period: the section says so, without an empty table.
    const none = section(health('en', []), 'Environment (temperatures, power, fans)');
    expect(none.table).toBeUndefined();
    expect(none.paragraphs![0]).toMatch(/^No device reported power, fan or temperature data/);
  });

  it('health: disk cache from the controller, cache and battery modules of SXKR-003 only', () => {
    const doc = health('zh', [
      {
        hostname: 'db1', kind: 'server', latest: { 'SXKR-003': 'abnormal' }, measured: ['SXKR-003'],
        components: [
          { check: 'SXKR-003', component: 'Smart Array P440ar cache', verdict: 'normal', actual: 'OK' },
          { check: 'SXKR-003', component: 'BBU', verdict: 'abnormal', actual: 'battery failed' },
          { check: 'SXKR-003', component: 'eth0', verdict: 'normal', actual: 'up' },
          { check: 'SXKR-004', component: 'UPS battery', verdict: 'normal', actual: 'OK' },
        ],
      },
    ]);
    const rows = texts(doc, '磁盘缓存(控制器、缓存、电池)');
    expect(rows.map((r) => r[2])).toEqual(['Smart Array P440ar cache', 'BBU']);
    expect(rows[1]![4]).toBe('不正常');
  });

  it('health: optimisation advice from repeated faults, utilisation, warranty and abnormal hardware', () => {
    const doc = health('en', [
      { hostname: 'db1', kind: 'server', latest: {}, measured: ['SXKR-001'], cpuPeak: 93.5, memPeak: 50, warrantyUntil: '2027-02-01' },
      { hostname: 'db2', kind: 'server', latest: {}, measured: ['SXKR-001'], cpuPeak: 10, memPeak: 85, warrantyUntil: '2026-06-30' },
      { hostname: 'db3', kind: 'server', latest: {}, measured: ['SXKR-001'], warrantyUntil: '2028-01-01' },
      { hostname: 'ups1', kind: 'ups', latest: {}, measured: [] },
    ], [ticket({ id: 1 }), ticket({ id: 2 }), ticket({ id: 3, device: 'db3' })]);
    const advice = section(doc, 'Optimisation advice').paragraphs!.join('\n');
    expect(advice).toContain('db1: 2 tickets in the period');
    expect(advice).toContain('db1: CPU peaked at 93.5 %');
    expect(advice).toContain('db2: memory peaked at 85.0 %');
    expect(advice).toContain('db2: the warranty ended on 2026-06-30');
    expect(advice).toContain('db1: the warranty ends on 2027-02-01');
    expect(advice).toContain('ups1: no check data at all');
    expect(advice).not.toContain('db3');
    // Nothing found: "none", not an empty section.
    expect(section(health('zh', [{ hostname: 'a', kind: 'server', latest: {}, measured: ['SXKR-001'] }]), '优化建议').paragraphs).toEqual(['无']);
  });

  it('monthly: backup record says there is no source and leaves rows to fill; management advice from the month', () => {
    const doc = buildInspectionReport({
      ...base, lang: 'zh', devices: [],
      inspection: { month: '2026-11', revision: 1, status: 'draft', rows: [], notes: '', signedBy: null, signedAt: null, confirmedBy: null, confirmedAt: null },
    });
    const backup = section(doc, '备份记录');
    expect(backup.paragraphs![0]).toContain('本系统中无备份记录');
    expect(backup.table!.rows[0]![0]).toEqual({ text: '无记录', tone: 'unknown' });
    expect(backup.table!.rows).toHaveLength(4);
    expect(section(doc, '管理建议').paragraphs!.join()).toContain('尚未经工程师签字');
    expect(headings(doc)).toContain('系统状态评估');
  });

  it('annual: the contract year from the site start, meeting records without a source said so, advice, signatures', () => {
    const year = contractYearPeriod('2026', '03-01', 'Asia/Shanghai');
    expect([year.firstDay, year.lastDay, year.label, year.configured]).toEqual(['2026-03-01', '2027-02-28', '2026-03-01~2027-02-28', true]);
    expect(new Date(year.start).toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(contractYearPeriod('2026', undefined, 'UTC')).toMatchObject({ label: '2026', firstDay: '2026-01-01', lastDay: '2026-12-31', configured: false });
    expect(contractYearOf(Date.parse('2027-02-28T15:59:00Z'), '03-01', 'Asia/Shanghai')).toBe('2026');
    expect(contractYearOf(Date.parse('2027-02-28T16:00:00Z'), '03-01', 'Asia/Shanghai')).toBe('2027');
    expect(() => contractYearPeriod('26', '03-01', 'UTC')).toThrow(/YYYY/);
    const doc = buildSummaryReport({
      ...base, lang: 'en', period: year, scope: 'annual', contractYear: year,
      devices: [{ hostname: 'db1', kind: 'server', state: 'normal', measured: ['SXKR-001'] }], inspections: [], tickets: [ticket({ id: 1 }), ticket({ id: 2 })], maintenance: [],
    });
    expect(headings(doc)[0]).toBe('Contract year');
    expect(section(doc, 'Contract year').paragraphs!.join()).toContain('2026-03-01 to 2027-02-28');
    expect(section(doc, 'Meeting records').paragraphs![0]).toContain('no meeting records for this period on file');
    expect(section(doc, 'Advice').paragraphs!.join()).toContain('db1: 2 tickets');
    expect(doc.signatures).toHaveLength(2);
    const calendar = buildSummaryReport({ ...base, lang: 'zh', period: contractYearPeriod('2026', undefined, 'UTC'), scope: 'annual', contractYear: contractYearPeriod('2026', undefined, 'UTC'), devices: [], inspections: [], tickets: [], maintenance: [] });
    expect(section(calendar, '合同年度').paragraphs!.join()).toContain('按日历年统计');
  });

  it('faults: one ticket is signed by who resolved it and who confirmed it; a month leaves blanks', () => {
    const t = ticket({ events: [{ event: 'resolved', by: 'wang', at: '2026-11-10T03:00:00.000Z' }, { event: 'confirmed', by: '李经理', at: '2026-11-10T05:00:00.000Z' }] });
    const one = buildFaultsReport({ ...base, lang: 'zh', period: '#1', tickets: [t], single: true });
    expect(one.signatures).toEqual([
      { label: '服务方工程师', name: 'wang', at: '2026-11-10 11:00 +08:00' },
      { label: '客户代表签字', name: '李经理', at: '2026-11-10 13:00 +08:00' },
    ]);
    const month = buildFaultsReport({ ...base, lang: 'zh', period: '2026-11', tickets: [t] });
    expect(month.signatures!.map((s) => s.name)).toEqual([null, null]);
  });

  it('HTML and PDF carry the cover (customer, contract number or "not on record"), the new sections and the signature block', async () => {
    const doc = { ...health('zh', [{ hostname: 'db1', kind: 'server', latest: {}, measured: [] }]), cover: { customer: '爱客银行', contractNo: null } };
    const page = renderHtml(doc);
    expect(page).toContain('<dd data-cover="customer">爱客银行</dd>');
    expect(page).toContain('<dd data-cover="contractNo" class="unknown">未登记</dd>');
    expect(page).toContain('<h2>运行环境(温度、电源、风扇)</h2>');
    expect(page).toMatch(/<div class="signatures"><div data-signature="服务方工程师">服务方工程师: [\u00a0]+<br>日期: /);
    const { execFileSync } = await import('node:child_process');
    const pdf = await renderPdf({ ...doc, cover: { customer: '爱客银行', contractNo: 'HT-2026-017' } });
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString();
    for (const s of ['客户名称: 爱客银行', '合同编号: HT-2026-017', '运行环境', '磁盘缓存', '优化建议', '服务方工程师: ________________', '客户代表签字']) expect(text).toContain(s);
  });
});
