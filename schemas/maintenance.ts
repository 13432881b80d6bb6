import { Type, type Static } from '@sinclair/typebox';
import { FreeText, HostName, SafeLabel, SiteName } from './names.js';
import { Timestamp } from './common.js';

/** 维护申请 (service plan 5.3): a change asked ≥ 24 h ahead (unless emergency), approved by the customer. */
export const MaintenanceRequestInput = Type.Object(
  {
    site: SiteName(),
    purpose: FreeText(4000, 1),
    /** The engineer operating; `recorder` is the second person present, who records. */
    engineer: SafeLabel(200),
    recorder: Type.Optional(SafeLabel(200, 0)),
    steps: Type.Array(FreeText(2000, 1), { minItems: 1, maxItems: 200 }),
    hardwareChanges: Type.String({ maxLength: 8000, pattern: FreeText(1).pattern, default: '' }),
    softwareChanges: Type.String({ maxLength: 8000, pattern: FreeText(1).pattern, default: '' }),
    expectedDurationMinutes: Type.Integer({ minimum: 1, maximum: 60 * 24 * 14 }),
    windowStart: Timestamp,
    windowEnd: Timestamp,
    /** Hostnames of the devices the window covers. */
    devices: Type.Array(HostName(), { minItems: 1, maxItems: 5000 }),
    emergency: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type MaintenanceRequestInput = Static<typeof MaintenanceRequestInput>;

export const MaintenanceRequestPatch = Type.Partial(
  Type.Omit(MaintenanceRequestInput, ['site']),
  { additionalProperties: false },
);
export type MaintenanceRequestPatch = Static<typeof MaintenanceRequestPatch>;

export const MAINTENANCE_STATUSES = ['requested', 'approved', 'rejected', 'cancelled'] as const;
export const MaintenanceStatus = Type.Union(MAINTENANCE_STATUSES.map((s) => Type.Literal(s)));
export type MaintenanceStatus = Static<typeof MaintenanceStatus>;

export const MaintenanceRequest = Type.Object(
  {
    id: Type.Integer(),
    site: Type.String(),
    purpose: Type.String(),
    engineer: Type.String(),
    recorder: Type.Union([Type.String(), Type.Null()]),
    steps: Type.Array(Type.String()),
    hardwareChanges: Type.String(),
    softwareChanges: Type.String(),
    expectedDurationMinutes: Type.Integer(),
    windowStart: Timestamp,
    windowEnd: Timestamp,
    devices: Type.Array(Type.String()),
    emergency: Type.Boolean(),
    status: MaintenanceStatus,
    requestedBy: Type.String(),
    requestedAt: Timestamp,
    decidedBy: Type.Union([Type.String(), Type.Null()]),
    decidedAt: Type.Union([Timestamp, Type.Null()]),
    decisionNote: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type MaintenanceRequest = Static<typeof MaintenanceRequest>;

export const MaintenanceDecision = Type.Object(
  { note: Type.Optional(FreeText(4000)) },
  { additionalProperties: false },
);
export type MaintenanceDecision = Static<typeof MaintenanceDecision>;

export const MaintenanceQuery = Type.Object(
  {
    site: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(MaintenanceStatus),
    device: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type MaintenanceQuery = Static<typeof MaintenanceQuery>;
