import { CHECK_IDS, type Lang, type Ticket, type Verdict } from '../../../schemas/index.js';
import type { CellValue, ReportDocument } from '../document.js';
import { percent } from '../document.js';
import { checkName, verdictLabel, word } from '../labels.js';
import { overlap, type Period } from '../period.js';
import { isHardwareFault, resultLabel } from './faults.js';
import { kindTerm } from '../../terms.js';
import { localDay } from '../../../checks/index.js';
import { diskCacheSection, environmentSection, optimisationSection, signatureBlock, type PlanDevice } from './plan-sections.js';
import { availabilityByMonthChart, faultsBySubjectChart } from './charts.js';

export interface HealthDevice extends PlanDevice {
  /** The latest verdict of each check (absent: never measured). */
  latest: Partial<Record<(typeof CHECK_IDS)[number], Verdict>>;
}

export interface HealthReportInput {
  site: string;
  siteTitle: string | null;
  timeZone: string;
  lang: Lang;
  now: Date;
  period: Period;
  devices: HealthDevice[];
  /** Tickets opened in the period or still open during it. */
  tickets: Ticket[];
  /** The site's utilisation limits (SXKR-001 peakMax, SXKR-002 usedMax), for the optimisation advice. */
  limits?: { cpuPeak: number; memory: number };
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** How long a "device down" ticket kept its device down within the period, ms. */
export function downtimeOf(t: Ticket, period: Period, now: number): number {
  if (t.subject !== 'down') return 0;
  const start = Date.parse(t.openedAt);
  const ended = t.recoveredAt ?? t.events.find((e) => e.event === 'resolved' || e.event === 'closed')?.at ?? null;
  const end = ended ? Date.parse(ended) : Math.min(now, period.end);
  return overlap(period, start, end);
}

/** Hardware availability % over the period: 1 − downtime ÷ (devices × period); null with no devices. */
export function availability(deviceCount: number, downtimeMs: number, period: Period, now: number): number | null {
  const span = Math.min(period.end, Math.max(now, period.start)) - period.start;
  if (deviceCount === 0 || span <= 0) return null;
  return Math.max(0, 100 * (1 - downtimeMs / (deviceCount * span)));
}

type Stage = 'response' | 'onSite' | 'recovery';

/** Of the tickets whose deadline for this stage is known: met in time, late, and the mean time taken. */
export function slaFigures(tickets: Ticket[], stage: Stage) {
  let within = 0;
  let over = 0;
  let sum = 0;
  let n = 0;
  for (const t of tickets) {
    const d = t.deadlines[stage];
    if (d.metAt) {
      // Each clock from its own start: the on-site clock from dispatch, the part clock from arrival.
      sum += Date.parse(d.metAt) - Date.parse(d.from ?? t.openedAt);
      n++;
    }
    if (!d.due) continue;
    if (d.overdue || (d.metAt !== null && Date.parse(d.metAt) > Date.parse(d.due))) over++;
    else if (d.metAt !== null) within++;
  }
  return { within, over, averageMinutes: n ? sum / n / MINUTE : null };
}

/** 健康报告: hardware state and availability, fault distribution, repair types, SLA figures. */
export function buildHealthReport(input: HealthReportInput): ReportDocument {
  const { lang, period, tickets, devices } = input;
  const w = (k: Parameters<typeof word>[1]) => word(lang, k);
  const now = input.now.getTime();
  const kindOf = new Map(devices.map((d) => [d.hostname, d.kind]));

  const downtime = new Map<string, number>();
  for (const t of tickets) {
    const ms = downtimeOf(t, period, now);
    if (ms > 0 && t.device) downtime.set(t.device, (downtime.get(t.device) ?? 0) + ms);
  }
  const totalDown = [...downtime.values()].reduce((s, x) => s + x, 0);
  const avail = availability(devices.length, totalDown, period, now);

  // Fault distribution: subject × device kind.
  const kinds = [...new Set([...devices.map((d) => d.kind), ...tickets.map((t) => t.deviceKind ?? kindOf.get(t.device ?? '') ?? 'other')])].sort();
  const subjects = [...CHECK_IDS, 'down', 'manual'];
  const distribution = subjects
    .map((s) => {
      const mine = tickets.filter((t) => t.subject === s);
      return [s, mine, kinds.map((k) => mine.filter((t) => (t.deviceKind ?? kindOf.get(t.device ?? '') ?? 'other') === k).length)] as const;
    })
    .filter(([, mine]) => mine.length > 0)
    .map(([s, mine, perKind]): CellValue[] => [checkName(lang, s), ...perKind, mine.length]);

  const visits = tickets.flatMap((t) => t.serviceReports);
  const partsCount = tickets.reduce((s, t) => s + t.parts.length, 0);
  const repairRows: CellValue[][] = (['fixed', 'partly_fixed', 'not_fixed'] as const).map((r) => [resultLabel(lang, r), visits.filter((v) => v.result === r).length]);
  repairRows.push([w('partReplacement'), partsCount]);

  const stages: [Stage, Parameters<typeof word>[1]][] = [['response', 'response'], ['onSite', 'onSite'], ['recovery', 'recovery']];
  const slaRows = stages.map(([stage, label]): CellValue[] => {
    const f = slaFigures(tickets, stage);
    return [w(label), f.within, { text: String(f.over), tone: f.over ? 'abnormal' : 'normal' }, f.averageMinutes === null ? '—' : f.averageMinutes.toFixed(0)];
  });

  const hardwareChecks = ['SXKR-003', 'SXKR-004', 'SXKR-005'] as const;
  const stateRows = hardwareChecks.map((c): CellValue[] => {
    const n = (v: Verdict) => devices.filter((d) => d.latest[c] === v).length;
    const none = devices.filter((d) => d.latest[c] === undefined).length;
    return [c, checkName(lang, c), n('normal'), { text: String(n('abnormal')), tone: n('abnormal') ? 'abnormal' : 'normal' }, n('unknown') + none];
  });

  return {
    kind: 'health',
    lang,
    title: w('healthTitle'),
    site: input.site,
    siteTitle: input.siteTitle,
    timeZone: input.timeZone,
    period: period.label,
    generatedAt: input.now.toISOString(),
    facts: [
      { key: 'devices', label: w('deviceCount'), value: String(devices.length) },
      { key: 'availability', label: w('availability'), value: percent(avail), tone: avail !== null && avail < 99.9 ? 'abnormal' : 'normal' },
      { key: 'tickets', label: w('ticketCount'), value: String(tickets.length) },
      { key: 'hardwareFaults', label: w('hardwareFaults'), value: String(tickets.filter(isHardwareFault).length) },
      { key: 'parts', label: w('partsReplaced'), value: String(partsCount) },
    ],
    sections: [
      {
        heading: w('hardwareState'),
        table: {
          columns: [
            { label: w('colId'), width: 0.8 },
            { label: w('colItem'), width: 2 },
            { label: verdictLabel(lang, 'normal'), align: 'right' },
            { label: verdictLabel(lang, 'abnormal'), align: 'right' },
            { label: verdictLabel(lang, 'unknown'), align: 'right' },
          ],
          rows: stateRows,
        },
      },
      environmentSection(lang, devices),
      diskCacheSection(lang, devices),
      {
        heading: w('availability'),
        paragraphs: [w('availabilityNote')],
        chart: availabilityByMonthChart(lang, devices.length, tickets, period, input.timeZone, now),
        table: {
          columns: [{ label: w('device'), width: 2 }, { label: w('kind') }, { label: w('downtime'), align: 'right' }, { label: w('availability'), align: 'right' }],
          rows: [...downtime]
            .sort((a, b) => b[1] - a[1])
            .map(([host, ms]): CellValue[] => [host, kindTerm(lang, kindOf.get(host) ?? ''), (ms / HOUR).toFixed(2), percent(availability(1, ms, period, now))]),
        },
      },
      {
        heading: w('faultDistribution'),
        table: {
          columns: [{ label: w('subject'), width: 2 }, ...kinds.map((k) => ({ label: kindTerm(lang, k), align: 'right' as const })), { label: w('total'), align: 'right' }],
          rows: distribution,
        },
        chart: faultsBySubjectChart(lang, tickets),
      },
      { heading: w('repairTypes'), table: { columns: [{ label: w('repairTypes'), width: 2 }, { label: w('count'), align: 'right' }], rows: repairRows } },
      {
        heading: w('slaTitle'),
        table: {
          columns: [{ label: w('metric'), width: 1.5 }, { label: w('withinSla'), align: 'right' }, { label: w('overSla'), align: 'right' }, { label: w('average'), align: 'right' }],
          rows: slaRows,
        },
      },
      optimisationSection(lang, {
        periodEndDay: localDay(period.end - 1, input.timeZone),
        devices,
        tickets,
        availability: avail,
        ...(input.limits ? { limits: input.limits } : {}),
      }),
    ],
    signatures: signatureBlock(lang),
  };
}
