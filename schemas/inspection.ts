import { Type, type Static } from '@sinclair/typebox';
import { FreeText, SiteName } from './names.js';
import { CheckId, DeviceKind, Timestamp, Verdict } from './common.js';
import { InspectionForm } from './result.js';
import { Said } from './said.js';

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
    /** The reason as key and arguments, worded for the reader (absent in rows frozen before it). */
    why: Type.Optional(Said),
    /** null: the device is on record but has no result for this check in the month. */
    evaluatedAt: Type.Union([Timestamp, Type.Null()]),
    /** Which report it came from, and whether it was received by the collector or uploaded by the field CLI. */
    reportId: Type.Union([Type.String(), Type.Null()]),
    origin: Type.Union([Type.Literal('report'), Type.Literal('field'), Type.Literal('none')]),
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
    /** The remarks written in the sign-off and confirmation dialogs. */
    signRemark: Type.Union([Type.String(), Type.Null()]),
    confirmRemark: Type.Union([Type.String(), Type.Null()]),
    locked: Type.Boolean(),
    revisions: Type.Array(
      Type.Object({ revision: Type.Integer(), status: InspectionStatus, confirmedAt: Type.Union([Timestamp, Type.Null()]) }),
    ),
  },
  { additionalProperties: false },
);
export type Inspection = Static<typeof Inspection>;

/** The body of a sign-off or confirmation: an optional remark, kept on the revision and audited. */
export const InspectionRemark = Type.Object(
  { remark: Type.Optional(FreeText(2_000)) },
  { additionalProperties: false },
);
export type InspectionRemark = Static<typeof InspectionRemark>;

export const InspectionNotes = Type.Object(
  { notes: FreeText(20_000) },
  { additionalProperties: false },
);
export const InspectionAmend = Type.Object(
  { reason: FreeText(4000, 1) },
  { additionalProperties: false },
);
export const InspectionUploadResult = Type.Object({
  accepted: Type.Array(Type.String()),
  duplicates: Type.Array(Type.String()),
});
export type InspectionUploadResult = Static<typeof InspectionUploadResult>;

export const InspectionParams = Type.Object({ site: SiteName(), month: InspectionMonth });
export type InspectionParams = Static<typeof InspectionParams>;
export const InspectionQuery = Type.Object(
  { revision: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$' })) },
  { additionalProperties: false },
);
export const InspectionUpload = Type.Array(InspectionForm, { minItems: 1, maxItems: 1000 });

export type InspectionMonth = Static<typeof InspectionMonth>;
export type InspectionNotes = Static<typeof InspectionNotes>;
export type InspectionAmend = Static<typeof InspectionAmend>;
export type InspectionQuery = Static<typeof InspectionQuery>;
export type InspectionUpload = Static<typeof InspectionUpload>;
