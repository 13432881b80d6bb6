/*
 * One server, two sources: the operating system (SSH or the agent) for CPU, memory, file systems,
 * services and OS logs, and its management controller for power supplies, fans, temperatures,
 * hardware modules and the hardware event log. The combined report keeps every measurement with
 * the command or URL that produced it, and the gaps that still matter:
 *
 * - SXKR-001/002 belong to the OS: the BMC's gaps there are dropped when the OS measured them.
 * - SXKR-004/005 belong to the BMC: the OS's gaps there ("no IPMI device", "no sensors") are
 *   dropped when the BMC measured them — that is what the BMC is configured for.
 * - SXKR-003/006 are read from both, and every gap of either stays: a BMC that could not be read
 *   leaves the hardware modules and the hardware log unknown, even when the OS's part is normal.
 */
import type { CheckId, Report } from '../../schemas/index.js';

const OS_CHECKS = new Set<CheckId>(['SXKR-001', 'SXKR-002']);
const BMC_CHECKS = new Set<CheckId>(['SXKR-004', 'SXKR-005']);

export function combineReports(os: Report, bmc: Report): Report {
  const measured = (r: Report) => new Set(r.measurements.map((m) => m.check));
  const osMeasured = measured(os);
  const bmcMeasured = measured(bmc);
  const identity = { ...os.identity, addresses: [...os.identity.addresses] };
  for (const key of ['vendor', 'model', 'serial', 'version'] as const) {
    if (!identity[key] && bmc.identity[key]) identity[key] = bmc.identity[key];
  }
  for (const a of bmc.identity.addresses) if (!identity.addresses.includes(a) && identity.addresses.length < 256) identity.addresses.push(a);
  const start = Math.min(Date.parse(os.window.start), Date.parse(bmc.window.start));
  const end = Math.max(Date.parse(os.window.end), Date.parse(bmc.window.end));
  return {
    ...os,
    window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    identity,
    measurements: [...os.measurements, ...bmc.measurements].slice(0, 20_000),
    gaps: [
      ...os.gaps.filter((g) => !(BMC_CHECKS.has(g.check) && bmcMeasured.has(g.check))),
      ...bmc.gaps.filter((g) => !(OS_CHECKS.has(g.check) && osMeasured.has(g.check))),
    ].slice(0, 1000),
  };
}
