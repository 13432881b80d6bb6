/**
 * A whole site's field inspection as `inspect --site` saves it (`inspections/<site>-<date>/inspection.json`)
 * and `inspect upload` reads it back, possibly days later on another network: so it is a file format,
 * declared here once and validated when read.
 */
import { Type, type Static } from '@sinclair/typebox';
import { SafeLabel, SiteName } from './names.js';
import { CheckId, DeviceKind, Timestamp, Verdict } from './common.js';
import { Report } from './report.js';
import { CheckResult } from './result.js';
import { ThresholdOverrides } from './thresholds.js';

const VerdictCounts = Type.Object(
  { normal: Type.Integer({ minimum: 0 }), abnormal: Type.Integer({ minimum: 0 }), unknown: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

/** One non-normal row of the site summary. */
export const SummaryItem = Type.Object(
  {
    device: Type.String({ minLength: 1, maxLength: 200 }),
    check: CheckId,
    verdict: Verdict,
    actual: Type.String({ maxLength: 4000 }),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type SummaryItem = Static<typeof SummaryItem>;

export const SiteSummary = Type.Object(
  {
    devices: VerdictCounts,
    checks: VerdictCounts,
    /** Abnormal items first, then unknown ones. */
    items: Type.Array(SummaryItem),
  },
  { additionalProperties: false },
);
export type SiteSummary = Static<typeof SiteSummary>;

/** The inventory entry a device was inspected as (no credentials: those never leave the site file). */
export const InspectedDevice = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    kind: DeviceKind,
    host: Type.String({ minLength: 1, maxLength: 255 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    role: Type.Optional(Type.String({ maxLength: 100 })),
    groups: Type.Array(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type InspectedDevice = Static<typeof InspectedDevice>;

/** One device of the run: its report, its six verdicts, and how long it took. */
export const DeviceInspection = Type.Object(
  {
    device: InspectedDevice,
    report: Report,
    results: Type.Array(CheckResult),
    verdict: Verdict,
    /** The device could not be inspected at all (unreachable, authentication, host key). */
    failed: Type.Boolean(),
    durationMs: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type DeviceInspection = Static<typeof DeviceInspection>;

export const SiteInspection = Type.Object(
  {
    site: SiteName(),
    customer: Type.Optional(Type.String({ maxLength: 200 })),
    /** The service contract's number (合同编号) from the inventory. */
    contractNo: Type.Optional(SafeLabel(100)),
    /** The site's IANA time zone the forms print in (absent in files written before it existed: Asia/Shanghai). */
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    startedAt: Timestamp,
    finishedAt: Timestamp,
    durationMs: Type.Integer({ minimum: 0 }),
    concurrency: Type.Integer({ minimum: 1 }),
    windowMs: Type.Integer({ minimum: 0 }),
    /** The site's threshold overrides the results were judged with (to re-render in another language). */
    thresholds: Type.Optional(ThresholdOverrides),
    summary: SiteSummary,
    devices: Type.Array(DeviceInspection, { maxItems: 10_000 }),
  },
  { additionalProperties: false },
);
export type SiteInspection = Static<typeof SiteInspection>;
