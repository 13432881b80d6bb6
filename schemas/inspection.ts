import { Type, type Static } from '@sinclair/typebox';
import { CheckId, DeviceKind, Timestamp, Verdict } from './common.js';

/** A month of inspection, `YYYY-MM` (UTC). */
export const InspectionMonth = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });

/** One row of the monthly inspection record: the latest result of one device × check in the month. */
export const InspectionRow = Type.Object(
  {
    device: Type.String(),
    deviceKind: Type.Union([DeviceKind, Type.Null()]),
    check: CheckId,
    verdict: Verdict,
    actual: Type.String(),
    expected: Type.String(),
    commands: Type.Array(Type.String()),
    reason: Type.Union([Type.String(), Type.Null()]),
    evaluatedAt: Timestamp,
    /** Which report it came from, and whether it was uploaded by the field CLI. */
    reportId: Type.String(),
    origin: Type.Union([Type.Literal('report'), Type.Literal('field')]),
  },
  { additionalProperties: false },
);
export type InspectionRow = Static<typeof InspectionRow>;

export const INSPECTION_STATUSES = ['draft', 'signed', 'confirmed'] as const;
export const InspectionStatus = Type.Union(INSPECTION_STATUSES.map((s) => Type.Literal(s)));
export type InspectionStatus = Static<typeof InspectionStatus>;

export const Inspection = Type.Object(
  {
    site: Type.String(),
    month: InspectionMonth,
    revision: Type.Integer({ minimum: 1 }),
    status: InspectionStatus,
    /** Live while a draft; frozen at the engineer's sign-off. */
    rows: Type.Array(InspectionRow),
    notes: Type.String(),
    amendmentReason: Type.Union([Type.String(), Type.Null()]),
    signedBy: Type.Union([Type.String(), Type.Null()]),
    signedAt: Type.Union([Timestamp, Type.Null()]),
    confirmedBy: Type.Union([Type.String(), Type.Null()]),
    confirmedAt: Type.Union([Timestamp, Type.Null()]),
    locked: Type.Boolean(),
    revisions: Type.Array(
      Type.Object({ revision: Type.Integer(), status: InspectionStatus, confirmedAt: Type.Union([Timestamp, Type.Null()]) }),
    ),
  },
  { additionalProperties: false },
);
export type Inspection = Static<typeof Inspection>;

export const InspectionNotes = Type.Object(
  { notes: Type.String({ maxLength: 20_000 }) },
  { additionalProperties: false },
);
export const InspectionAmend = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 4000 }) },
  { additionalProperties: false },
);
export const InspectionUploadResult = Type.Object({
  accepted: Type.Array(Type.String()),
  duplicates: Type.Array(Type.String()),
});
export type InspectionUploadResult = Static<typeof InspectionUploadResult>;
