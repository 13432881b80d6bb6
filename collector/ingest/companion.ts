/*
 * One server, two sources polled apart: its agent (or SSH) for CPU, memory and OS logs, and its
 * management controller (a BMC or HMC target the collector polls, source `bmc`) for power, fans,
 * temperatures, hardware modules and the hardware log. Each report is judged together with the
 * device's latest report from the other side, by the same rules as a field inspection that reads
 * both at once (checks/run/combine.ts):
 *
 * - an agent's "no IPMI device" gap for SXKR-004/005 does not overwrite the BMC's readings, and a
 *   BMC's report never writes SXKR-001/002 (it does not cover them);
 * - SXKR-003/006, read by both, are judged on both sides' values every time, so a drive the BMC
 *   calls Warning is not "normal again" at each agent report (no ticket flapping between sources).
 *
 * The other side counts while its report is recent (three of the device's intervals, at least six
 * hours): a BMC target deleted long ago no longer speaks for the device.
 */
import { combineReports } from '../../checks/run/index.js';
import type { DeviceIdentity, Gap, Report } from '../../schemas/index.js';
import type { DeviceRow, Repositories } from '../repositories/index.js';
import type { Store } from '../storage/store.js';

const MIN_AGE_MS = 6 * 3600_000;

interface StoredReport {
  id: number;
  report_id: string;
  source: Report['source'];
  window_start: number;
  window_end: number;
  identity: string;
  gaps: string;
}

export function companionJudge(store: Store, repos: Repositories) {
  // `source = 'bmc'` literally, so SQLite uses the partial index of BMC reports (migration 061).
  const latestBmc = `SELECT id, report_id, source, window_start, window_end, identity, gaps FROM reports
     WHERE source = 'bmc' AND device_id = ? AND window_end >= ? ORDER BY window_end DESC LIMIT 1`;
  const latestOs = `SELECT id, report_id, source, window_start, window_end, identity, gaps FROM reports
     WHERE device_id = ? AND window_end >= ? AND source IN ('agent', 'ssh', 'local') ORDER BY window_end DESC LIMIT 1`;
  const load = async (r: StoredReport): Promise<Report> => ({
    id: r.report_id,
    source: r.source,
    window: { start: new Date(r.window_start).toISOString(), end: new Date(r.window_end).toISOString() },
    identity: JSON.parse(r.identity) as DeviceIdentity,
    measurements: await repos.reports.measurements(r.id),
    gaps: JSON.parse(r.gaps) as Gap[],
  });

  /** The report to judge: `report` combined with the other side's latest, or `report` itself. */
  return async (device: DeviceRow, report: Report, nowMs: number): Promise<Report> => {
    if (report.source === 'snmp') return report;
    const since = nowMs - Math.max(MIN_AGE_MS, 3 * (device.effectiveIntervalS ?? 0) * 1000);
    const isBmc = report.source === 'bmc';
    const other = await store.get<StoredReport>(isBmc ? latestOs : latestBmc, [device.id, since]);
    if (!other) return report;
    return isBmc ? combineReports(await load(other), report) : combineReports(report, await load(other));
  };
}
