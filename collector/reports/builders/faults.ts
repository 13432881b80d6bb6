import type { Lang, Ticket } from '../../../schemas/index.js';
import type { CellValue, ReportDocument, Section } from '../document.js';
import { checkName, formatTime, word } from '../labels.js';
import { symptomText } from '../wording.js';
import { PART_DISPOSITION_TERMS, SERVICE_RESULT_TERMS, TICKET_STATUS_TERMS, term } from '../../terms.js';
import { signatureBlock } from './plan-sections.js';

export interface FaultsReportInput {
  site: string;
  siteTitle: string | null;
  timeZone: string;
  lang: Lang;
  now: Date;
  /** `2026-11`, or `ticket 12` for one ticket's report. */
  period: string;
  tickets: Ticket[];
  /** One ticket's report: its signature block carries who resolved it and who confirmed it for the customer. */
  single?: boolean;
}

export const HARDWARE_SUBJECTS: ReadonlySet<string> = new Set(['SXKR-003', 'SXKR-004', 'down']);

/** A hardware fault: a module, power or fan fault, a device down, or any ticket where a part was swapped. */
export const isHardwareFault = (t: Ticket): boolean => HARDWARE_SUBJECTS.has(t.subject) || t.parts.length > 0;

const stamp = (t: Ticket, event: string): string | null => t.events.find((e) => e.event === event)?.at ?? null;

export function resultLabel(lang: Lang, result: 'fixed' | 'not_fixed' | 'partly_fixed'): string {
  return term(lang, SERVICE_RESULT_TERMS, result);
}

/** 故障处理报告: what failed, what was done on site, what was replaced with which serial numbers. */
export function buildFaultsReport(input: FaultsReportInput): ReportDocument {
  const { lang, tickets } = input;
  const w = (k: Parameters<typeof word>[1]) => word(lang, k);
  const parts = tickets.flatMap((t) => t.parts.map((p) => ({ t, p })));
  const sections: Section[] = [
    {
      heading: w('ticketsList'),
      table: {
        columns: [
          { label: w('ticket'), width: 0.6 },
          { label: w('device'), width: 1.3 },
          { label: w('model'), width: 1.2 },
          { label: w('subject'), width: 1.4 },
          { label: w('priority'), width: 0.5 },
          { label: w('symptom'), width: 2.4 },
          { label: w('openedAt'), width: 1.3 },
          { label: w('recoveredAt'), width: 1.3 },
          { label: w('closedAt'), width: 1.3 },
          { label: w('ticketStatus'), width: 0.8 },
        ],
        rows: tickets.map((t): CellValue[] => [
          `#${t.id}`,
          t.device,
          t.deviceModel,
          checkName(lang, t.subject),
          t.priority,
          symptomText(lang, t.symptom),
          formatTime(t.openedAt, input.timeZone),
          formatTime(t.recoveredAt ?? stamp(t, 'resolved'), input.timeZone),
          formatTime(stamp(t, 'closed'), input.timeZone),
          { text: term(lang, TICKET_STATUS_TERMS, t.status), tone: t.status === 'closed' ? 'normal' : t.overdue ? 'abnormal' : 'unknown' },
        ]),
      },
    },
    {
      heading: w('partsList'),
      ...(parts.length
        ? {
            table: {
              columns: [
                { label: w('ticket'), width: 0.6 },
                { label: w('device'), width: 1.3 },
                { label: w('part'), width: 2 },
                { label: w('oldSerial'), width: 1.4 },
                { label: w('newSerial'), width: 1.4 },
                { label: w('replacedAt'), width: 1.3 },
                { label: w('by'), width: 1 },
                { label: w('disposition'), width: 1.4 },
                { label: w('receivedBy'), width: 1.3 },
              ],
              rows: parts.map(({ t, p }): CellValue[] => [
                `#${t.id}`,
                t.device,
                p.part,
                p.oldSerial,
                p.newSerial,
                formatTime(p.replacedAt ?? p.at, input.timeZone),
                p.by,
                // Missing data is never normal: a part without a recorded disposition says so.
                p.disposition ? term(lang, PART_DISPOSITION_TERMS, p.disposition) : { text: w('dispositionMissing'), tone: 'unknown' },
                p.disposition ? [p.receivedBy, formatTime(p.receivedAt, input.timeZone)].filter(Boolean).join(' · ') : '',
              ]),
            },
          }
        : { paragraphs: [w('none')] }),
    },
  ];
  const visits = tickets.flatMap((t) => t.serviceReports.map((r) => ({ t, r })));
  if (visits.length) {
    sections.push({
      heading: w('serviceReports'),
      table: {
        columns: [
          { label: w('ticket'), width: 0.6 },
          { label: w('device'), width: 1.2 },
          { label: w('arrivedAt'), width: 1.3 },
          { label: w('workDone'), width: 3 },
          { label: w('result'), width: 0.8 },
          { label: w('openIssues'), width: 1.6 },
          { label: w('evaluation'), width: 1.4 },
          { label: w('by'), width: 0.9 },
        ],
        rows: visits.map(({ t, r }): CellValue[] => [
          `#${t.id}`,
          t.device,
          formatTime(r.arrivedAt, input.timeZone),
          r.workDone,
          { text: resultLabel(lang, r.result), tone: r.result === 'fixed' ? 'normal' : 'abnormal' },
          r.openIssues ?? '',
          r.customerEvaluation ?? '',
          r.by,
        ]),
      },
    });
  }
  return {
    kind: 'faults',
    lang,
    title: w('faultsTitle'),
    site: input.site,
    siteTitle: input.siteTitle,
    timeZone: input.timeZone,
    period: input.period,
    generatedAt: input.now.toISOString(),
    facts: [
      { key: 'tickets', label: w('ticketCount'), value: String(tickets.length) },
      { key: 'hardwareFaults', label: w('hardwareFaults'), value: String(tickets.filter(isHardwareFault).length) },
      { key: 'parts', label: w('partsReplaced'), value: String(parts.length) },
    ],
    sections,
    signatures: faultSignatures(lang, input.single ? input.tickets[0] : undefined, input.timeZone),
    landscape: true,
  };
}

/** The signature block: for one ticket, the engineer who resolved it and the customer's representative who confirmed it. */
function faultSignatures(lang: Lang, t: Ticket | undefined, zone: string) {
  const last = (event: string) => (t ? [...t.events].reverse().find((e) => e.event === event) : undefined);
  const signed = (e: Ticket['events'][number] | undefined) => (e ? { name: e.by, at: formatTime(e.at, zone) } : null);
  return signatureBlock(lang, { engineer: signed(last('resolved')), customer: signed(last('confirmed')) });
}
