import { Type, type Static } from '@sinclair/typebox';
import { FreeText, HostName, SafeLabel, SiteName } from './names.js';
import { Timestamp } from './common.js';

/** Removable media in the window: none, or each one virus-checked before use (attested by the requester). */
export const RemovableMedia = Type.Union([Type.Literal('none'), Type.Literal('virus-checked')], {
  description: '`none`: no USB disk, CD or other removable medium is used; `virus-checked`: every one is scanned before it touches the customer\'s equipment',
});
export type RemovableMedia = Static<typeof RemovableMedia>;

/** 维护申请 (service plan 5.3): a change asked ≥ 24 h ahead (unless emergency), approved by the customer. */
export const MaintenanceRequestInput = Type.Object(
  {
    site: SiteName(),
    purpose: FreeText(4000, 1),
    /** The engineer operating; `recorder` is the second person present, who records — never the same person (400). */
    engineer: SafeLabel(200),
    recorder: SafeLabel(200),
    steps: Type.Array(FreeText(2000, 1), { minItems: 1, maxItems: 200 }),
    hardwareChanges: Type.String({ maxLength: 8000, pattern: FreeText(1).pattern, default: '' }),
    softwareChanges: Type.String({ maxLength: 8000, pattern: FreeText(1).pattern, default: '' }),
    expectedDurationMinutes: Type.Integer({ minimum: 1, maximum: 60 * 24 * 14 }),
    windowStart: Timestamp,
    windowEnd: Timestamp,
    /** Hostnames of the devices the window covers. */
    devices: Type.Array(HostName(), { minItems: 1, maxItems: 5000 }),
    emergency: Type.Boolean({ default: false }),
    /** 应急方案: how the change is rolled back, or service restored, if it goes wrong. Required. */
    rollbackPlan: FreeText(8000, 1),
    /** The customer's representative for this change (present or reachable during the window). */
    customerRepresentative: SafeLabel(200),
    removableMedia: RemovableMedia,
  },
  { additionalProperties: false },
);
export type MaintenanceRequestInput = Static<typeof MaintenanceRequestInput>;

export const MaintenanceRequestPatch = Type.Partial(
  Type.Omit(MaintenanceRequestInput, ['site']),
  { additionalProperties: false },
);
export type MaintenanceRequestPatch = Static<typeof MaintenanceRequestPatch>;

/**
 * requested → approved | rejected | cancelled; approved → in_progress | cancelled;
 * in_progress → completed | rolled_back. rejected, cancelled, completed and rolled_back are final.
 */
export const MAINTENANCE_STATUSES = ['requested', 'approved', 'rejected', 'cancelled', 'in_progress', 'completed', 'rolled_back'] as const;
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
    /** Null on requests filed before the plan's safeguards were recorded (migration 65). */
    rollbackPlan: Type.Union([Type.String(), Type.Null()]),
    customerRepresentative: Type.Union([Type.String(), Type.Null()]),
    removableMedia: Type.Union([RemovableMedia, Type.Null()]),
    /** The execution: who started it and when, when it ended, what was done and how it turned out. */
    startedBy: Type.Union([Type.String(), Type.Null()]),
    actualStart: Type.Union([Timestamp, Type.Null()]),
    finishedBy: Type.Union([Type.String(), Type.Null()]),
    actualEnd: Type.Union([Timestamp, Type.Null()]),
    workDone: Type.Union([Type.String(), Type.Null()]),
    outcome: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type MaintenanceRequest = Static<typeof MaintenanceRequest>;

export const MaintenanceDecision = Type.Object(
  { note: Type.Optional(FreeText(4000)) },
  { additionalProperties: false },
);
export type MaintenanceDecision = Static<typeof MaintenanceDecision>;

/** Starting the approved work: `actualStart` defaults to now and may not be in the future. */
export const MaintenanceStart = Type.Object(
  { actualStart: Type.Optional(Timestamp), note: Type.Optional(FreeText(4000)) },
  { additionalProperties: false },
);
export type MaintenanceStart = Static<typeof MaintenanceStart>;

/** Ending the work — completed, or rolled back by the 应急方案: what was done and the outcome are required. */
export const MaintenanceFinish = Type.Object(
  { actualEnd: Type.Optional(Timestamp), workDone: FreeText(8000, 1), outcome: FreeText(4000, 1) },
  { additionalProperties: false },
);
export type MaintenanceFinish = Static<typeof MaintenanceFinish>;

export const MaintenanceQuery = Type.Object(
  {
    site: Type.Optional(Type.String({ maxLength: 100 })),
    status: Type.Optional(MaintenanceStatus),
    device: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type MaintenanceQuery = Static<typeof MaintenanceQuery>;
