import { CHECKS, overallVerdict, resolveThresholds } from '../../checks/index.js';
import { CpuThresholds, MemoryThresholds, type CheckId, type Inspection, type InspectionRow, type Lang, type Ticket, type Verdict } from '../../schemas/index.js';
import { ApiError, notFound, badRequest } from '../errors.js';
import { InspectionsRepository } from '../inspections/index.js';
import { recordDifferences, type DeviceRow, type Repositories, type SiteRow, type StoredResult } from '../repositories/index.js';
import { FirmwareRepository, recommend } from '../equipment/index.js';
import { TicketsRepository } from '../tickets/index.js';
import { buildFaultsReport } from './builders/faults.js';
import { buildHealthReport, type HealthDevice } from './builders/health.js';
import { buildInspectionReport } from './builders/inspection.js';
import { buildPerformanceReport, type PerformanceRow } from './builders/performance.js';
import { buildProductsReport } from './builders/products.js';
import type { ReportDocument, ReportKind } from './document.js';
import { localHalf, offsetMinutes } from '../../checks/index.js';
import type { DailyFigure } from './builders/charts.js';
import { contractYearPeriod, halfPeriod, monthOfTime, monthPeriod, monthsOf, quarterOfTime, quarterPeriod, type Period } from './period.js';
import { buildSummaryReport } from './builders/summary.js';
import type { PlanDevice } from './builders/plan-sections.js';
import { MaintenanceRepository } from '../maintenance/index.js';
import { ReportQueries, type MetricAggregate } from './store.js';
import { localiseRow, type AppliedThresholds } from './wording.js';
import type { Redactor } from '../users/index.js';

/** What report loaders read: the core repositories plus the tickets and inspections aggregates. */
export interface ReportSources {
  repos: Repositories;
  tickets: TicketsRepository;
  inspections: InspectionsRepository;
  queries: ReportQueries;
  maintenance: MaintenanceRepository;
  /** Firmware baselines, for the product list's upgrade column. */
  firmware: FirmwareRepository;
}

export function reportSources(repos: Repositories): ReportSources {
  return { repos, tickets: repos.tickets, inspections: repos.inspections, queries: repos.reportQueries, maintenance: repos.maintenance, firmware: repos.firmware };
}

export interface ReportRequest {
  site: string;
  lang: Lang;
  now: Date;
  /** `YYYY-MM` (inspection, performance, faults); default: the current month. */
  month?: string;
  /** `YYYY-Qn` (health); default: the current quarter. */
  quarter?: string;
  /** Summary: `YYYY-H1|H2` (half-yearly) or a year (annual); default: the current half year. */
  half?: string;
  year?: string;
  /** One ticket's fault handling report. */
  ticket?: number;
  /** Confidentiality: what the reader's role may see (users/confidential.ts). */
  shown: Redactor;
  /** The reader sees only records the engineer has signed (a customer): a draft month is a 404. */
  signedOnly?: boolean;
}

/** Names an aggregate component ("CPU", "system") rather than a core or a pool. */
const AGGREGATE = /^(cpu|cpus|system|total|all|memory)$/i;

/** A device's figure for one metric: the aggregate component's if there is one, else over all components. */
function figure(rows: MetricAggregate[], metric: string): { avg: number | null; peak: number | null; peakAt: number | null; count: number } {
  const mine = rows.filter((r) => r.metric === metric);
  if (!mine.length) return { avg: null, peak: null, peakAt: null, count: 0 };
  const aggregate = mine.filter((r) => AGGREGATE.test(r.component));
  const use = aggregate.length ? aggregate : mine;
  const sum = use.reduce((s, r) => s + r.sum, 0);
  const count = use.reduce((s, r) => s + r.count, 0);
  const top = use.reduce((a, b) => (b.max > a.max ? b : a));
  return { avg: count ? sum / count : null, peak: top.max, peakAt: top.maxAt, count };
}

/**
 * The site's CPU and memory by local day for the performance charts: the mean and peak of the
 * aggregate components when there are any that day (as `figure` does per device), else of all.
 * The CPU peak is the highest window maximum, or of the averages where no maximum was sent.
 */
async function dailyFigures(sources: ReportSources, site: string, period: Period, zone: string): Promise<{ period: Period; cpu: DailyFigure[]; memory: DailyFigure[] }> {
  const offset = offsetMinutes(period.start, zone) * 60_000;
  const rows = await sources.queries.daily(site, period.start, period.end, offset);
  const days = [...new Set(rows.map((r) => r.day))].sort((a, b) => a - b);
  const pick = (day: number, metric: string) => {
    const mine = rows.filter((r) => r.day === day && r.metric === metric);
    const use = mine.some((r) => r.aggregate) ? mine.filter((r) => r.aggregate) : mine;
    const count = use.reduce((s, r) => s + r.count, 0);
    return count ? { mean: use.reduce((s, r) => s + r.sum, 0) / count, peak: Math.max(...use.map((r) => r.max)) } : null;
  };
  const cpu: DailyFigure[] = [];
  const memory: DailyFigure[] = [];
  for (const day of days) {
    const at = day * 86_400_000 - offset;
    const avg = pick(day, 'cpu.avg');
    const max = pick(day, 'cpu.max');
    if (avg) cpu.push({ at, mean: avg.mean, peak: Math.max(avg.peak, max?.peak ?? -Infinity) });
    const mem = pick(day, 'memory.used');
    if (mem) memory.push({ at, ...mem });
  }
  return { period, cpu, memory };
}

/**
 * The rows of an inspection in `lang` (wording.ts): each row's expected text from the thresholds
 * its result was judged against, or — with no result — the device's thresholds today.
 */
export async function localisedRows(sources: ReportSources, site: SiteRow, rows: InspectionRow[], lang: Lang): Promise<InspectionRow[]> {
  const byReport = new Map<string, Map<string, AppliedThresholds>>();
  const devices = new Map<string, DeviceRow | undefined>();
  for (const row of rows) if (!devices.has(row.device)) devices.set(row.device, await sources.repos.devices.get(site.name, row.device));
  const current = (row: InspectionRow): AppliedThresholds | undefined => {
    const check = CHECKS.find((c) => c.id === row.check);
    const d = devices.get(row.device);
    if (!check) return undefined;
    const identity = { hostname: row.device, kind: d?.kind ?? row.deviceKind ?? 'server', addresses: [], ...(d?.role ? { role: d.role } : {}) };
    return resolveThresholds(row.check, check.thresholds, site.thresholds, identity).applied;
  };
  const out: ReturnType<typeof localiseRow>[] = [];
  for (const row of rows) {
    let applied: AppliedThresholds | undefined;
    if (row.reportId) {
      if (!byReport.has(row.reportId)) byReport.set(row.reportId, await sources.queries.thresholdsOfReport(row.reportId));
      applied = byReport.get(row.reportId)!.get(row.check);
    }
    out.push(localiseRow(lang, row, applied ?? current(row)));
  }
  return out;
}

async function requireSite(sources: ReportSources, name: string): Promise<SiteRow> {
  const site = await sources.repos.sites.get(name);
  if (!site) throw notFound(`no site ${name}`);
  return site;
}

/** Tickets of the site that were open at some time in the period (opened before its end, not closed before its start), as the reader may see them. */
async function ticketsDuring(sources: ReportSources, site: string, period: Period, now: Date, shown: Redactor): Promise<Ticket[]> {
  return (await sources.tickets.list({ site, limit: 1_000_000 }, now))
    .filter((t) => {
      if (Date.parse(t.openedAt) >= period.end) return false;
      const closed = t.events.find((e) => e.event === 'closed')?.at;
      return !closed || Date.parse(closed) >= period.start;
    })
    .sort((a, b) => a.id - b.id)
    .map((t) => shown.ticket(t));
}

/** Builds one report of one site from the database. */
/** The latest results of each device, by device id. */
async function latestOf(sources: ReportSources, devices: readonly DeviceRow[]): Promise<Map<number, StoredResult[]>> {
  const out = new Map<number, StoredResult[]>();
  for (const d of devices) out.set(d.id, await sources.repos.results.latest(d.id));
  return out;
}

/** The period's metric aggregates of every device of the site, by device id. */
async function aggregatesByDevice(sources: ReportSources, site: string, period: Period): Promise<Map<number, MetricAggregate[]>> {
  const byDevice = new Map<number, MetricAggregate[]>();
  for (const a of await sources.queries.performance(site, period.start, period.end)) {
    const list = byDevice.get(a.deviceId) ?? [];
    list.push(a);
    byDevice.set(a.deviceId, list);
  }
  return byDevice;
}

/** The site's utilisation limits: SXKR-001's peak and SXKR-002's used maximum, after its overrides. */
function siteLimits(site: SiteRow): { cpuPeak: number; memory: number } {
  const identity = { hostname: '*', kind: 'server' as const, addresses: [] };
  const cpu = resolveThresholds('SXKR-001', CpuThresholds, site.thresholds, identity).values;
  const memory = resolveThresholds('SXKR-002', MemoryThresholds, site.thresholds, identity).values;
  return { cpuPeak: cpu.peakMax, memory: memory.usedMax };
}

const HARDWARE_CHECKS: readonly CheckId[] = ['SXKR-003', 'SXKR-004', 'SXKR-005'];

/** What the plan's sections read of a device: its hardware components, measured checks, warranty and the period's peaks. */
function planDevice(latest: StoredResult[], d: DeviceRow, aggregates: MetricAggregate[], shown: Redactor): Omit<PlanDevice, 'hostname' | 'kind'> {
  const cpu = [figure(aggregates, 'cpu.max').peak, figure(aggregates, 'cpu.avg').peak].filter((x): x is number => x !== null);
  return {
    components: latest
      .filter((r) => HARDWARE_CHECKS.includes(r.check))
      .flatMap((r) => r.result.components.map((c) => ({ check: r.check, component: shown.text(c.component), verdict: c.verdict, actual: shown.text(c.actual) }))),
    measured: latest.map((r) => r.check),
    warrantyUntil: d.warrantyUntil,
    cpuPeak: cpu.length ? Math.max(...cpu) : null,
    memPeak: figure(aggregates, 'memory.used').peak,
  };
}

/** A month not signed yet (published()'s 404) reads as absent; any other failure stays one. */
const unsigned = (err: unknown): null => {
  if (err instanceof ApiError && err.statusCode === 404) return null;
  throw err;
};

export async function loadReport(sources: ReportSources, kind: ReportKind, req: ReportRequest): Promise<ReportDocument> {
  const site = await requireSite(sources, req.site);
  // The cover's customer and contract number, one place for every kind.
  return { ...(await buildReport(sources, kind, req, site)), cover: { customer: site.title, contractNo: site.contractNo } };
}

async function buildReport(sources: ReportSources, kind: ReportKind, req: ReportRequest, site: SiteRow): Promise<ReportDocument> {
  const zone = site.timeZone;
  const base = { site: site.name, siteTitle: site.title, timeZone: zone, lang: req.lang, now: req.now };
  const month = req.month ?? monthOfTime(req.now.getTime(), zone);
  const devices = await sources.repos.devices.listBySite(site.name);

  switch (kind) {
    case 'inspection': {
      monthPeriod(month, zone);
      const stored = req.signedOnly ? await sources.inspections.published(site.name, month) : await sources.inspections.get(site.name, month);
      const inspection = { ...stored, rows: (await localisedRows(sources, site, stored.rows, req.lang)).map((r) => req.shown.row(r)) };
      return buildInspectionReport({ ...base, inspection, devices: devices.map((d) => ({ hostname: d.hostname, kind: d.kind, model: d.model, serial: d.serial })) });
    }
    case 'products': {
      const baselines = await sources.firmware.baselinesOf(site.name);
      const latestResults = await latestOf(sources, devices);
      return buildProductsReport({
        ...base,
        showAddresses: req.shown.showsConfiguration,
        devices: devices.map((d) => {
          const latest = latestResults.get(d.id)!;
          const state: Verdict = latest.length ? overallVerdict(latest.map((r) => r.result)) : 'unknown';
          return { ...d, state, differences: recordDifferences(d), recommendation: recommend(d, baselines) };
        }),
      });
    }
    case 'performance': {
      const period = monthPeriod(month, zone);
      const byDevice = await aggregatesByDevice(sources, site.name, period);
      const rows: PerformanceRow[] = devices.map((d) => {
        const aggs = byDevice.get(d.id) ?? [];
        const cpuAvg = figure(aggs, 'cpu.avg');
        const cpuMax = figure(aggs, 'cpu.max');
        const mem = figure(aggs, 'memory.used');
        // The peak is the highest of the window maxima, or of the averages when no maximum was sent.
        const cpuPeak = cpuMax.peak !== null && (cpuAvg.peak === null || cpuMax.peak >= cpuAvg.peak) ? cpuMax : cpuAvg;
        return {
          hostname: d.hostname,
          kind: d.kind,
          cpuAvg: cpuAvg.avg,
          cpuPeak: cpuPeak.peak,
          cpuPeakAt: cpuPeak.peakAt,
          memAvg: mem.avg,
          memPeak: mem.peak,
          memPeakAt: mem.peakAt,
          samples: cpuAvg.count + mem.count,
        };
      });
      return buildPerformanceReport({ ...base, month, devices: rows, limits: siteLimits(site), daily: await dailyFigures(sources, site.name, period, zone) });
    }
    case 'faults': {
      if (req.ticket !== undefined) {
        // Another site's ticket is answered as a missing one (tickets/repository.ts).
        await sources.tickets.siteFor(req.ticket, site.name);
        const t = req.shown.ticket((await sources.tickets.get(req.ticket, req.now)));
        return buildFaultsReport({ ...base, period: `#${t.id}`, tickets: [t], single: true });
      }
      const period = monthPeriod(month, zone);
      return buildFaultsReport({ ...base, period: month, tickets: await ticketsDuring(sources, site.name, period, req.now, req.shown) });
    }
    case 'health': {
      const period = quarterPeriod(req.quarter ?? quarterOfTime(req.now.getTime(), zone), zone);
      const counted = devices.filter((d) => d.firstSeen < period.end);
      const latestResults = await latestOf(sources, counted);
      const aggregates = await aggregatesByDevice(sources, site.name, period);
      const healthDevices: HealthDevice[] = counted.map((d) => {
        const latest = latestResults.get(d.id)!;
        return {
          hostname: d.hostname,
          kind: d.kind,
          latest: Object.fromEntries(latest.map((r) => [r.check, r.verdict])) as Partial<Record<CheckId, Verdict>>,
          ...planDevice(latest, d, aggregates.get(d.id) ?? [], req.shown),
        };
      });
      return buildHealthReport({ ...base, period, devices: healthDevices, tickets: await ticketsDuring(sources, site.name, period, req.now, req.shown), limits: siteLimits(site) });
    }
    case 'summary': {
      const now = req.now;
      // Annual: the contract year from the site's contract start (notification settings), else the calendar year.
      const contractStart = req.year ? (await sources.repos.notify.settings(site.name)).contractStart : undefined;
      const contractYear = req.year ? contractYearPeriod(req.year, contractStart, zone) : undefined;
      const period = contractYear ?? halfPeriod(req.half ?? localHalf(now.getTime(), zone), zone);
      const months = monthsOf(period, zone).filter((m) => monthPeriod(m, zone).start <= now.getTime());
      const counted = devices.filter((d) => d.firstSeen < period.end);
      const latestResults = await latestOf(sources, counted);
      const aggregates = await aggregatesByDevice(sources, site.name, period);
      return buildSummaryReport({
        ...base,
        period,
        scope: req.year ? 'annual' : 'half',
        ...(contractYear ? { contractYear } : {}),
        limits: siteLimits(site),
        devices: counted.map((d) => {
          const latest = latestResults.get(d.id)!;
          return { hostname: d.hostname, kind: d.kind, state: latest.length ? overallVerdict(latest.map((r) => r.result)) : 'unknown', ...planDevice(latest, d, aggregates.get(d.id) ?? [], req.shown) };
        }),
        // A customer's summary counts only signed records (a month whose draft is all there is, is left out).
        inspections: (await Promise.all(months.map((m) => (req.signedOnly ? sources.inspections.published(site.name, m).catch(unsigned) : sources.inspections.get(site.name, m)))))
          .filter((i): i is Inspection => i !== null && (i.rows.length > 0 || i.status !== 'draft'))
          .map((i) => ({ ...i, rows: i.rows.map((r) => req.shown.row(r)) })),
        tickets: await ticketsDuring(sources, site.name, period, now, req.shown),
        maintenance: (await sources.maintenance.list({ site: site.name })).filter((m) => Date.parse(m.windowStart) < period.end && Date.parse(m.windowEnd) >= period.start),
      });
    }
    default:
      throw badRequest('unknown_report', `unknown report ${String(kind)}`);
  }
}
