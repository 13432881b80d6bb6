import { Type, type Static } from '@sinclair/typebox';
import { CheckId, Timestamp, Verdict } from './common.js';
import { Report } from './report.js';
import { Said } from './said.js';

/** One threshold key as applied: its value and the override level it came from. */
export const AppliedThreshold = Type.Object(
  {
    value: Type.Unknown(),
    from: Type.Union(['default', 'site', 'kind', 'role', 'device', 'device-limit'].map((l) => Type.Literal(l))),
  },
  { additionalProperties: false },
);
export type AppliedThreshold = Static<typeof AppliedThreshold>;

export const ComponentResult = Type.Object(
  {
    component: Type.String({ maxLength: 200 }),
    verdict: Verdict,
    /** What was found, worded for the form: `41.0 °C (limit 56 °C, device)`. */
    actual: Type.String({ maxLength: 4000 }),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
    /** The reason as the catalogue's key and arguments, worded in the reader's language when read (absent in results stored before it). */
    why: Type.Optional(Said),
    command: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ComponentResult = Static<typeof ComponentResult>;

/** The verdict of one check on one device: one row of the inspection form. */
export const CheckResult = Type.Object(
  {
    check: CheckId,
    verdict: Verdict,
    /** 实际结果: the summary of what was found. */
    actual: Type.String({ maxLength: 4000 }),
    /** 检查期待结果, in the form's language at evaluation time (both are in the catalogue). */
    expected: Type.String({ maxLength: 1000 }),
    threshold: Type.Record(Type.String(), AppliedThreshold),
    /** Why abnormal or unknown; absent when normal. */
    reason: Type.Optional(Type.String({ maxLength: 4000 })),
    /** `reason` as the catalogue's key and arguments (see ComponentResult.why). */
    why: Type.Optional(Said),
    /** 检查命令: every command or OID that fed this result. */
    commands: Type.Array(Type.String({ maxLength: 1000 })),
    components: Type.Array(ComponentResult),
    evaluatedAt: Timestamp,
  },
  { additionalProperties: false },
);
export type CheckResult = Static<typeof CheckResult>;

/** What `inspect --json` prints and what the field CLI uploads: the report and its verdicts. */
export const InspectionForm = Type.Object(
  {
    report: Report,
    results: Type.Array(CheckResult),
  },
  { additionalProperties: false },
);
export type InspectionForm = Static<typeof InspectionForm>;
