import type { Inspection, Lang, MaintenanceRequest, Ticket, Verdict } from '../../../schemas/index.js';
import type { CellValue, ReportDocument } from '../document.js';
import { percent } from '../document.js';
import { checkName, formatTime, verdictLabel, word } from '../labels.js';
import type { ContractYear, Period } from '../period.js';
import { localDay } from '../../../checks/index.js';
import { contractYearSection, meetingsSection, optimisationAdvice, signatureBlock, type PlanDevice } from './plan-sections.js';
import { APPROVED_STATUSES } from '../../maintenance/index.js';
import { isHardwareFault } from './faults.js';
import { availability, downtimeOf } from './health.js';
import { MAINTENANCE_STATUS_TERMS, TICKET_STATUS_TERMS, term } from '../../terms.js';
import { availabilityByMonthChart, faultsBySubjectChart } from './charts.js';

export interface SummaryReportInput {
  site: string;
  siteTitle: string | null;
  timeZone: string;
  lang: Lang;
  now: Date;
  period: Period;
  /** `half` (维护总结, half-yearly) or `annual` (总结报告). */
  scope: 'half' | 'annual';
  /** The device's overall verdict now (final state assessment), and what the optimisation advice reads. */
  devices: (PlanDevice & { state: Verdict })[];
  /** Annual: the contract year the period is (period.ts contractYearPeriod). */
  contractYear?: ContractYear;
  limits?: { cpuPeak: number; memory: number };
  inspections: Pick<Inspection, 'month' | 'status' | 'revision' | 'rows' | 'signedBy' | 'confirmedBy'>[];
  tickets: Ticket[];
  maintenance: MaintenanceRequest[];
}

/** 维护总结 (half-yearly) and 总结报告 (annual): the work done, statistics, tickets, parts, final state, advice. */
export function buildSummaryReport(input: SummaryReportInput): ReportDocument {
  const { lang, period, tickets, devices } = input;
  const zh = lang === 'zh';
  const w = (k: Parameters<typeof word>[1]) => word(lang, k);
  const now = input.now.getTime();
  const downtime = tickets.reduce((s, t) => s + downtimeOf(t, period, now), 0);
  const avail = availability(devices.length, downtime, period, now);
  const parts = tickets.flatMap((t) => t.parts.map((p) => ({ t, p })));
  // Approved by the customer, whatever became of the work since (in progress, completed, rolled back).
  const approved = input.maintenance.filter((m) => APPROVED_STATUSES.includes(m.status));
  const signed = input.inspections.filter((i) => i.status !== 'draft').length;
  const confirmed = input.inspections.filter((i) => i.status === 'confirmed').length;
  const state = (v: Verdict) => devices.filter((d) => d.state === v).length;
  const statusWord = (s: string) => (s === 'confirmed' ? w('confirmed') : s === 'signed' ? w('signed') : w('draft'));

  return {
    kind: 'summary',
    lang,
    title: input.scope === 'annual' ? (zh ? '年度总结报告' : 'Annual summary') : zh ? '半年维护总结' : 'Half-yearly maintenance summary',
    site: input.site,
    siteTitle: input.siteTitle,
    timeZone: input.timeZone,
    period: period.label,
    generatedAt: input.now.toISOString(),
    facts: [
      { key: 'devices', label: w('deviceCount'), value: String(devices.length) },
      { key: 'inspections', label: zh ? '月度巡检(已签字/已确认)' : 'Monthly inspections (signed / confirmed)', value: `${signed} / ${confirmed}` },
      { key: 'tickets', label: w('ticketCount'), value: String(tickets.length) },
      { key: 'hardwareFaults', label: w('hardwareFaults'), value: String(tickets.filter(isHardwareFault).length) },
      { key: 'parts', label: w('partsReplaced'), value: String(parts.length) },
      { key: 'maintenance', label: zh ? '已批准维护' : 'Approved maintenance', value: String(approved.length) },
      { key: 'availability', label: w('availability'), value: percent(avail) },
    ],
    sections: [
      ...(input.contractYear ? [contractYearSection(lang, input.contractYear)] : []),
      {
        heading: zh ? '月度巡检记录' : 'Monthly inspections',
        table: {
          columns: [{ label: zh ? '月份' : 'Month' }, { label: w('status') }, { label: w('abnormalItems'), align: 'right' }, { label: w('engineerSignature') }, { label: w('customerSignature') }],
          rows: input.inspections.map((i): CellValue[] => {
            const bad = i.rows.filter((r) => r.verdict === 'abnormal').length;
            return [i.month, `${statusWord(i.status)} (rev. ${i.revision})`, { text: String(bad), tone: bad ? 'abnormal' : 'normal' }, i.signedBy, i.confirmedBy];
          }),
        },
      },
      {
        heading: w('ticketsList'),
        table: {
          columns: [{ label: w('ticket'), width: 0.6 }, { label: w('device') }, { label: w('subject'), width: 1.5 }, { label: w('priority'), width: 0.5 }, { label: w('openedAt') }, { label: w('closedAt') }, { label: w('ticketStatus'), width: 0.7 }],
          rows: tickets.map((t): CellValue[] => [`#${t.id}`, t.device, checkName(lang, t.subject), t.priority, formatTime(t.openedAt, input.timeZone), formatTime(t.events.find((e) => e.event === 'closed')?.at, input.timeZone), term(lang, TICKET_STATUS_TERMS, t.status)]),
        },
      },
      {
        heading: w('partsList'),
        table: {
          columns: [{ label: w('ticket'), width: 0.6 }, { label: w('device') }, { label: w('part'), width: 1.6 }, { label: w('oldSerial') }, { label: w('newSerial') }, { label: w('replacedAt') }],
          rows: parts.map(({ t, p }): CellValue[] => [`#${t.id}`, t.device, p.part, p.oldSerial, p.newSerial, formatTime(p.replacedAt ?? p.at, input.timeZone)]),
        },
      },
      {
        heading: zh ? '维护记录' : 'Maintenance',
        table: {
          columns: [{ label: '#', width: 0.4 }, { label: zh ? '目的' : 'Purpose', width: 2 }, { label: zh ? '工程师' : 'Engineer' }, { label: zh ? '维护窗口' : 'Window', width: 2 }, { label: w('status') }],
          rows: input.maintenance.map((m): CellValue[] => [m.id, m.purpose, m.engineer, `${formatTime(m.windowStart, input.timeZone)} → ${formatTime(m.windowEnd, input.timeZone)}`, term(lang, MAINTENANCE_STATUS_TERMS, m.status)]),
        },
      },
      { heading: w('availability'), chart: availabilityByMonthChart(lang, devices.length, tickets, period, input.timeZone, now) },
      { heading: w('faultDistribution'), chart: faultsBySubjectChart(lang, tickets) },
      {
        heading: w('assessment'),
        paragraphs: [
          zh
            ? `报告期末共 ${devices.length} 台设备：${state('normal')} 台${verdictLabel(lang, 'normal')}，${state('abnormal')} 台${verdictLabel(lang, 'abnormal')}，${state('unknown')} 台${verdictLabel(lang, 'unknown')}。硬件可用率 ${percent(avail)}。`
            : `At the end of the period ${devices.length} devices: ${state('normal')} normal, ${state('abnormal')} abnormal, ${state('unknown')} unknown. Hardware availability ${percent(avail)}.`,
        ],
      },
      ...(input.scope === 'annual' ? [meetingsSection(lang)] : []),
      {
        heading: w('advice'),
        paragraphs: optimisationAdvice(lang, {
          periodEndDay: localDay(period.end - 1, input.timeZone),
          devices,
          tickets,
          availability: avail,
          ...(input.limits ? { limits: input.limits } : {}),
        }),
      },
    ],
    signatures: signatureBlock(lang),
    landscape: true,
  };
}
