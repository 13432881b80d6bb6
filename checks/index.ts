/**
 * The inspection engine's public surface: the SXKR catalogue and evaluation. Sources
 * (checks/sources/*) and the runner (checks/run) have their own index files.
 */
import type { CheckResult, Report, ThresholdOverrides, Verdict } from '../schemas/index.js';
import { CHECKS } from './catalog/index.js';
import { combineVerdicts, runCheck, type EvaluateOptions } from './define.js';

export { CHECKS, serviceComponent } from './catalog/index.js';
export { combineVerdicts, defineCheck, type EvaluateOptions } from './define.js';
export { resolveThresholds, formatValue } from './levels.js';
export { reason, reasonOf, said, sayIn, because, SEVERITY_ZH, CPU_FIGURE_ZH, SENSOR_STATE_ZH, type Reason } from './words/index.js';
export type { CheckDefinition, CheckContext, Evaluation } from './types.js';

/** The six results of one report, in catalogue order. Pure: time comes from `now` or the window. */
export function evaluateReport(report: Report, overrides?: ThresholdOverrides, options?: EvaluateOptions): CheckResult[] {
  return CHECKS.map((check) => runCheck(check, report, overrides, options));
}

/** The device's verdict over its six results. */
export function overallVerdict(results: CheckResult[]): Verdict {
  return combineVerdicts(results.map((r) => r.verdict));
}

export function checkById(id: string) {
  return CHECKS.find((c) => c.id === id);
}

export { KIND_TERMS, LANG_TAG, VERDICT_LABELS } from './words/index.js';
export { newReportId } from './report-id.js';
export { scrubAddresses, HIDDEN } from './addresses.js';

/** Exit codes of `inspect` (documented in README): 0 all normal, 1 any abnormal, 3 only unknowns besides normal. */
export function exitCodeFor(verdicts: Verdict[]): 0 | 1 | 3 {
  const v = combineVerdicts(verdicts);
  return v === 'normal' ? 0 : v === 'abnormal' ? 1 : 3;
}

export { renderForm, FORM_COLUMNS } from './form/render.js';
export { displayWidth } from './form/width.js';
export {
  DEFAULT_TIME_ZONE,
  canonicalTimeZone,
  formatLocalTime,
  formatOffset,
  localDay,
  localHalf,
  localMonth,
  localParts,
  localQuarter,
  offsetMinutes,
  zonedInstant,
} from './calendar.js';
export { sourceTextZh } from './words/index.js';
