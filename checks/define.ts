import type { TSchema } from '@sinclair/typebox';
import type {
  CheckResult,
  ComponentResult,
  Lang,
  Report,
  Said,
  ThresholdOverrides,
  Verdict,
} from '../schemas/index.js';
import { resolveThresholds } from './levels.js';
import { phrase } from './words/phrases.js';
import { because, said } from './words/reasons.js';
import type { CheckDefinition, CheckContext } from './types.js';

/** Declares a check once; the type parameter ties `expected` and `evaluate` to its threshold schema. */
export function defineCheck<S extends TSchema>(definition: CheckDefinition<S>): CheckDefinition<S> {
  return definition;
}

const MAX_SUMMARY_PARTS = 4;

/** abnormal beats unknown beats normal; nothing judged is unknown. */
export function combineVerdicts(verdicts: Verdict[]): Verdict {
  if (verdicts.length === 0) return 'unknown';
  if (verdicts.includes('abnormal')) return 'abnormal';
  if (verdicts.includes('unknown')) return 'unknown';
  return 'normal';
}

function summarise(components: ComponentResult[], verdict: Verdict): string {
  // Show the components that explain the verdict first: abnormal ones for an abnormal check.
  const shown = verdict === 'normal' ? components : components.filter((c) => c.verdict === verdict);
  const parts = shown.slice(0, MAX_SUMMARY_PARTS).map((c) => (c.component ? `${c.component}: ${c.actual}` : c.actual));
  if (shown.length > MAX_SUMMARY_PARTS) parts.push(`… (+${shown.length - MAX_SUMMARY_PARTS})`);
  return parts.join('; ');
}

function unique(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))];
}

/** A check's reason: its components' distinct reasons, and what was said when every one of them has it. */
function checkReason(lang: Lang, explaining: ComponentResult[]): { reason: string; why?: Said } {
  const seen = new Map<string, Said | undefined>();
  for (const c of explaining) if (c.reason && !seen.has(c.reason)) seen.set(c.reason, c.why);
  if (seen.size === 0) return because(lang, said('nothingMeasured'));
  const whys = [...seen.values()];
  const reason = [...seen.keys()].join('; ');
  if (whys.some((w) => w === undefined)) return { reason };
  return { reason, why: whys.length === 1 ? whys[0]! : said('joined', whys as Said[]) };
}

export interface EvaluateOptions {
  now?: Date;
  lang?: Lang;
  /** The site's time zone: a time a check writes into its text (a log entry's) is local there. Absent: as the source gave it. */
  timeZone?: string;
}

/** Runs one check over a report: its measurements, its gaps, the device's effective thresholds. */
export function runCheck<S extends TSchema>(
  check: CheckDefinition<S>,
  report: Report,
  overrides: ThresholdOverrides | undefined,
  options: EvaluateOptions = {},
): CheckResult {
  const lang = options.lang ?? 'en';
  const now = options.now ?? new Date(report.window.end);
  const measurements = report.measurements.filter((m) => m.check === check.id);
  const gaps = (report.gaps ?? []).filter((g) => g.check === check.id);
  const { values, applied } = resolveThresholds(check.id, check.thresholds, overrides, report.identity);
  const ctx: CheckContext = { now, identity: report.identity, gaps, lang, ...(options.timeZone ? { timeZone: options.timeZone } : {}) };

  // A gap about the check as a whole has no component name: the row itself is the component.
  const gapComponents: ComponentResult[] = gaps.map((g) => ({
    component: g.component ?? '',
    verdict: 'unknown',
    actual: phrase(lang, 'notMeasured'),
    // The source's words are stored as they came; a reader's language words them (source-phrases.ts).
    reason: g.reason,
    why: said('source', g.reason),
    ...(g.command ? { command: g.command } : {}),
  }));

  const evaluation = measurements.length > 0 ? check.evaluate(measurements, values, ctx) : { components: [] };
  const components = [...evaluation.components, ...gapComponents];
  const verdict = combineVerdicts(components.map((c) => c.verdict));

  const explained = verdict === 'normal' ? undefined : checkReason(lang, components.filter((c) => c.verdict === verdict));

  // Built in steps, in the order the stored JSON has always had: a literal that adds properties
  // after a spread (`...explained, commands, …`) costs ~1 µs on Node 20 (becauseWith, words/reasons.ts).
  const result: CheckResult = {
    check: check.id,
    verdict,
    actual: evaluation.actual ?? (summarise(components, verdict) || phrase(lang, 'notMeasured')),
    expected: check.expected[lang](values),
    threshold: applied,
  } as CheckResult;
  if (explained) {
    result.reason = explained.reason;
    if (explained.why !== undefined) result.why = explained.why;
  }
  result.commands = unique([...measurements.map((m) => m.command), ...gaps.map((g) => g.command)]);
  result.components = components;
  result.evaluatedAt = now.toISOString();
  return result;
}
