import type { CheckResult, Report } from '../../schemas/index.js';

/**
 * The results a report may write: those of the checks it measured or declared a gap for. A report
 * that covers only some checks (a syslog batch is SXKR-006 alone) must not overwrite the device's
 * other latest results — nor its month's inspection rows — with "unknown: not measured". A report
 * that covers nothing at all keeps all six: a device that sent nothing measurable is unknown.
 */
export function coveredResults(report: Report, results: CheckResult[]): CheckResult[] {
  const covered = new Set([...report.measurements.map((m) => m.check), ...report.gaps.map((g) => g.check)]);
  return covered.size === 0 ? results : results.filter((r) => covered.has(r.check));
}
