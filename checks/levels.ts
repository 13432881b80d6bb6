import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type {
  AppliedThreshold,
  CheckId,
  ComponentResult,
  ComponentStatus,
  DeviceIdentity,
  Lang,
  Measurement,
  ThresholdLevel,
  ThresholdOverrides,
  ThresholdSet,
} from '../schemas/index.js';
import { because, becauseWith, reason, said } from './words/reasons.js';
import { phrase } from './words/phrases.js';

/**
 * Threshold resolution and the shared wording of results. Every check words its findings through
 * these helpers, so a CPU row and a temperature row read alike ("41.0 °C ≤ 56 °C").
 */

export interface ResolvedThresholds<T> {
  values: T;
  applied: Record<string, AppliedThreshold>;
}

/** The overrides that apply to one device, least specific first. */
function levelsFor(overrides: ThresholdOverrides | undefined, identity: DeviceIdentity): [ThresholdLevel, ThresholdSet | undefined][] {
  return [
    ['site', overrides?.site],
    ['kind', overrides?.kinds?.[identity.kind]],
    ['role', identity.role ? overrides?.roles?.[identity.role] : undefined],
    ['device', overrides?.devices?.[identity.hostname]],
  ];
}

/** Defaults from the schema, then each level in turn: the most specific level setting a key wins. */
export function resolveThresholds<S extends TSchema>(
  check: CheckId,
  schema: S,
  overrides: ThresholdOverrides | undefined,
  identity: DeviceIdentity,
): ResolvedThresholds<Static<S>> {
  const values = Value.Create(schema) as Record<string, unknown>;
  const applied: Record<string, AppliedThreshold> = {};
  for (const key of Object.keys(values)) applied[key] = { value: values[key], from: 'default' };
  for (const [level, set] of levelsFor(overrides, identity)) {
    const forCheck = set?.[check] as Record<string, unknown> | undefined;
    if (!forCheck) continue;
    for (const [key, value] of Object.entries(forCheck)) {
      if (value === undefined) continue;
      values[key] = value;
      applied[key] = { value, from: level };
    }
  }
  return { values: values as Static<S>, applied };
}

/** A value formatted with its unit: 41 → "41.0 °C", 12.345 → "12.3 %". */
export function formatValue(value: number, unit = ''): string {
  const text = Number.isInteger(value) ? value.toFixed(1) : value.toFixed(Math.abs(value) < 1 ? 2 : 1);
  return unit ? `${text} ${unit}` : text;
}

/** A usable percentage or reading; NaN, ±Infinity, non-numbers and values outside `range` are not. */
export function readNumber(m: Measurement, range?: { min: number; max: number }): number | undefined {
  if (typeof m.value !== 'number' || !Number.isFinite(m.value)) return undefined;
  if (range && (m.value < range.min || m.value > range.max)) return undefined;
  return m.value;
}

/**
 * A utilisation: only what no source can produce (negative, NaN) is invalid. Above 100 % is a
 * real reading — AIX computational pages beyond real memory (over-commit, paging), SNMP pools
 * that count shared memory twice — and is judged as measured, never dropped.
 */
export const PERCENT = { min: 0, max: Number.POSITIVE_INFINITY } as const;

/** " (above 100 %: why)" after a utilisation the source reported above 100 %, else "". */
export function beyondFull(value: number, m: Measurement, lang: Lang): string {
  return value > 100 ? ` (${reason(lang, 'beyondFull', m.detail)})` : '';
}

/** Judges `value` against an upper limit (inclusive: exactly at the limit is still normal). */
export function judgeAtMost(value: number, limit: number): 'normal' | 'abnormal' {
  return value <= limit ? 'normal' : 'abnormal';
}

/** A component that could not be judged because its value is unusable. */
export function invalidComponent(m: Measurement, lang: Lang): ComponentResult {
  return {
    component: m.component,
    verdict: 'unknown',
    actual: `${phrase(lang, 'invalid')}: ${String(m.value)}`,
    ...becauseWith(lang, said('invalid', m.metric, m.component, String(m.value)), m.command),
  };
}

/** State readings: ok → normal; absent → normal (an empty slot is no failure); warning/fault → abnormal. */
export function judgeState(m: Measurement, lang: Lang): ComponentResult {
  const status: ComponentStatus = m.status ?? 'unknown';
  const raw = m.value === null || m.value === undefined ? status : String(m.value);
  // Whole literals, no `...base` first: see becauseWith (words/reasons.ts) for why.
  const { component, command } = m;
  switch (status) {
    case 'ok':
      return { component, command, verdict: 'normal', actual: raw };
    case 'absent':
      return { component, command, verdict: 'normal', actual: `${raw} (${phrase(lang, 'absent')})` };
    case 'warning':
    case 'fault':
      return { component, command, verdict: 'abnormal', actual: raw, ...because(lang, said('stateBad', m.component, raw, m.detail)) };
    default:
      return { component, command, verdict: 'unknown', actual: raw, ...because(lang, said('of', m.component, said('stateUnjudged', raw))) };
  }
}
