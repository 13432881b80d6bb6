import type { Static, TSchema } from '@sinclair/typebox';
import type { CheckId, ComponentResult, DeviceIdentity, Gap, Lang, Measurement, Verdict } from '../schemas/index.js';

/** What an evaluation may know besides the measurements: no clock, no I/O, all passed in. */
export interface CheckContext {
  now: Date;
  identity: DeviceIdentity;
  /** Gaps the source reported for this check. */
  gaps: Gap[];
  lang: Lang;
  /** The site's time zone for times written into a result's text; absent: as the source gave them. */
  timeZone?: string;
}

/** What a check's `evaluate` returns; `defineCheck` completes it into a CheckResult. */
export interface Evaluation {
  components: ComponentResult[];
  /** One line for the form's 实际结果; derived from the components when absent. */
  actual?: string;
}

export interface CheckDefinition<S extends TSchema = TSchema> {
  id: CheckId;
  name: { zh: string; en: string };
  /** 检查期待结果 for the form, given the effective thresholds. */
  expected: { [L in Lang]: (t: Static<S>) => string };
  /** The threshold schema; its `default`s are the check's defaults (written once, in schemas/). */
  thresholds: S;
  /** Pure: measurements of this check only (never empty), thresholds, context → components. */
  evaluate(measurements: Measurement[], thresholds: Static<S>, ctx: CheckContext): Evaluation;
}

export type { Verdict };
