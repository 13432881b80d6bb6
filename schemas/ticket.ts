import { Type, type Static } from '@sinclair/typebox';
import { FreeText, HostName, SafeLabel, SiteName } from './names.js';
import { CheckId, DeviceKind, Timestamp } from './common.js';

/** The fault ticket's life (service plan 4.3): each step is stamped with who and when. */
// Two paths: remote (open → responded → resolved) and on site (… responded → dispatched → on_site → resolved).
export const TICKET_STATUSES = ['open', 'responded', 'dispatched', 'on_site', 'resolved', 'confirmed', 'closed'] as const;
export const TicketStatus = Type.Union(TICKET_STATUSES.map((s) => Type.Literal(s)));
export type TicketStatus = Static<typeof TicketStatus>;

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const Priority = Type.Union(PRIORITIES.map((p) => Type.Literal(p)));
export type Priority = Static<typeof Priority>;

/** What a ticket is about: one of the six checks, `down` (the device went silent) or `manual` (reported by a person). */
export const TicketSubject = Type.Union([CheckId, Type.Literal('down'), Type.Literal('manual')]);
export type TicketSubject = Static<typeof TicketSubject>;

/** One stamped step of the lifecycle, or an event the system recorded (recovered, relapsed). */
export const TicketEvent = Type.Object(
  {
    event: Type.Union([
      ...TICKET_STATUSES.map((s) => Type.Literal(s)),
      Type.Literal('recovered'),
      Type.Literal('relapsed'),
      Type.Literal('emergency_plan'),
      Type.Literal('assigned'),
      Type.Literal('reclassified'),
      Type.Literal('part_needed'),
    ]),
    by: Type.String({ maxLength: 200 }),
    at: Timestamp,
    note: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);
export type TicketEvent = Static<typeof TicketEvent>;

/** 现场服务报告: what one on-site visit did. */
export const ServiceReportInput = Type.Object(
  {
    arrivedAt: Timestamp,
    workDone: FreeText(8000, 1),
    result: Type.Union([Type.Literal('fixed'), Type.Literal('not_fixed'), Type.Literal('partly_fixed')]),
    openIssues: Type.Optional(FreeText(8000)),
    customerEvaluation: Type.Optional(FreeText(4000)),
  },
  { additionalProperties: false },
);
export type ServiceReportInput = Static<typeof ServiceReportInput>;

export const ServiceReport = Type.Composite([
  ServiceReportInput,
  Type.Object({ id: Type.Integer(), by: Type.String(), at: Timestamp }),
]);
export type ServiceReport = Static<typeof ServiceReport>;

/** What became of the replaced (old) part: 更换硬盘交回 — returned to the customer — or kept, destroyed, other. */
export const PART_DISPOSITIONS = ['returned_to_customer', 'kept_by_service_company', 'destroyed', 'other'] as const;
export const PartDisposition = Type.Union(PART_DISPOSITIONS.map((d) => Type.Literal(d)));
export type PartDisposition = Static<typeof PartDisposition>;

/** The old part's disposition, who received it and when (recorded with the part or later). */
export const PartDispositionInput = Type.Object(
  {
    disposition: PartDisposition,
    receivedBy: Type.Optional(SafeLabel(200)),
    receivedAt: Type.Optional(Timestamp),
    dispositionNote: Type.Optional(FreeText(2000)),
  },
  { additionalProperties: false },
);
export type PartDispositionInput = Static<typeof PartDispositionInput>;

/** 备件更换: one part swapped during a hardware fault. */
export const PartReplacementInput = Type.Object(
  {
    part: SafeLabel(300),
    oldSerial: SafeLabel(200),
    newSerial: SafeLabel(200),
    replacedAt: Type.Optional(Timestamp),
    disposition: Type.Optional(PartDisposition),
    receivedBy: Type.Optional(SafeLabel(200)),
    receivedAt: Type.Optional(Timestamp),
    dispositionNote: Type.Optional(FreeText(2000)),
  },
  { additionalProperties: false },
);
export type PartReplacementInput = Static<typeof PartReplacementInput>;

export const PartReplacement = Type.Composite([
  PartReplacementInput,
  Type.Object({ id: Type.Integer(), by: Type.String(), at: Timestamp }),
]);
export type PartReplacement = Static<typeof PartReplacement>;

const Deadline = Type.Object(
  {
    /** When this clock started (opening; dispatch for the on-site clock; arrival for the part clock), null while not running. */
    from: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    due: Type.Union([Timestamp, Type.Null()]),
    /** When it was met (the step's stamp), or null while pending. */
    metAt: Type.Union([Timestamp, Type.Null()]),
    overdue: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const TicketDeadlines = Type.Object(
  {
    response: Deadline,
    onSite: Deadline,
    recovery: Deadline,
    /** The plan's 2-hour spare-part replacement, from arrival on site, when a part is needed. */
    partReplacement: Type.Optional(Deadline),
    /** The emergency plan's deadline set by its owner (met by resolution). */
    emergencyPlan: Type.Optional(Deadline),
  },
  { additionalProperties: false },
);
export type TicketDeadlines = Static<typeof TicketDeadlines>;

export const Ticket = Type.Object(
  {
    id: Type.Integer(),
    site: Type.String(),
    device: Type.Union([Type.String(), Type.Null()], { description: 'hostname: the device key within its site; null for a service request without a device' }),
    deviceKind: Type.Union([DeviceKind, Type.Null()]),
    deviceRole: Type.Union([Type.String(), Type.Null()]),
    deviceModel: Type.Union([Type.String(), Type.Null()]),
    subject: TicketSubject,
    priority: Priority,
    emergency: Type.Boolean(),
    status: TicketStatus,
    symptom: Type.String(),
    suspectedCause: Type.Union([Type.String(), Type.Null()]),
    openedAt: Timestamp,
    openedBy: Type.String(),
    /** When the check turned normal again (or the silent device reported); a person still closes it. */
    recoveredAt: Type.Union([Timestamp, Type.Null()]),
    emergencyPlanAt: Type.Union([Timestamp, Type.Null()]),
    emergencyPlanOwner: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    assignee: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    backup: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    /** Whether a visit is needed (dispatched, or the priority always needs one): the on-site clock runs. */
    visitNeeded: Type.Optional(Type.Boolean()),
    /** The time limits the ticket was opened with (a later profile change applies to new tickets only). */
    sla: Type.Optional(Type.Object({
      responseHours: Type.Number(),
      onSiteHours: Type.Number(),
      onSiteEmergencyHours: Type.Number(),
      recoveryHours: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
      generalRecoveryHours: Type.Number(),
      partReplacementHours: Type.Number(),
    })),
    deadlines: TicketDeadlines,
    overdue: Type.Boolean(),
    events: Type.Array(TicketEvent),
    serviceReports: Type.Array(ServiceReport),
    parts: Type.Array(PartReplacement),
  },
  { additionalProperties: false },
);
export type Ticket = Static<typeof Ticket>;

/** A fault reported by a person (phone call, e-mail). */
export const TicketCreate = Type.Object(
  {
    site: SiteName(),
    /** Omitted: a service request without a device (P4 unless given). A hostname not on record becomes a manual device. */
    device: Type.Optional(HostName()),
    /** The kind of a device not yet on record (default server). */
    deviceKind: Type.Optional(DeviceKind),
    subject: Type.Optional(TicketSubject),
    symptom: FreeText(4000, 1),
    suspectedCause: Type.Optional(FreeText(4000)),
    deviceModel: Type.Optional(SafeLabel(200)),
    priority: Type.Optional(Priority),
    emergency: Type.Optional(Type.Boolean()),
    assignee: Type.Optional(SafeLabel(200)),
    backup: Type.Optional(SafeLabel(200)),
  },
  { additionalProperties: false },
);
export type TicketCreate = Static<typeof TicketCreate>;

/** Assignee and backup engineer: user names with access to the ticket's site; null clears. Omitted: unchanged. */
export const TicketAssignInput = Type.Object(
  {
    assignee: Type.Optional(Type.Union([SafeLabel(200), Type.Null()])),
    backup: Type.Optional(Type.Union([SafeLabel(200), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type TicketAssignInput = Static<typeof TicketAssignInput>;

/** A priority changed after the fact, with the reason (required: it is the contract's record). */
export const TicketReclassifyInput = Type.Object(
  { priority: Priority, reason: FreeText(2000, 1) },
  { additionalProperties: false },
);
export type TicketReclassifyInput = Static<typeof TicketReclassifyInput>;

/** 启动应急预案: who owns the emergency plan and by when the fault must be recovered under it. */
export const EmergencyPlanInput = Type.Object(
  { owner: SafeLabel(200), due: Timestamp, note: Type.Optional(FreeText(4000)) },
  { additionalProperties: false },
);
export type EmergencyPlanInput = Static<typeof EmergencyPlanInput>;

/** A spare part is needed: the part-replacement clock runs from arrival on site. */
export const PartNeededInput = Type.Object(
  { part: Type.Optional(SafeLabel(300)), note: Type.Optional(FreeText(4000)) },
  { additionalProperties: false },
);
export type PartNeededInput = Static<typeof PartNeededInput>;

export const TicketStepInput = Type.Object(
  { note: Type.Optional(FreeText(4000)) },
  { additionalProperties: false },
);
export type TicketStepInput = Static<typeof TicketStepInput>;

/** Query strings arrive as text: numbers and booleans are spelled out here and converted by the route. */
export const TicketQuery = Type.Object(
  {
    site: Type.Optional(Type.String({ maxLength: 100 })),
    device: Type.Optional(Type.String({ maxLength: 255 })),
    /** `active`: every status but closed. */
    status: Type.Optional(Type.Union([TicketStatus, Type.Literal('active')])),
    priority: Type.Optional(Priority),
    overdue: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$', description: '1–9999, default 200' })),
  },
  { additionalProperties: false },
);
export type TicketQuery = Static<typeof TicketQuery>;

/** One priority rule: the first rule matching subject, kind and role gives the priority. */
export const PriorityRule = Type.Object(
  {
    subject: Type.Union([TicketSubject, Type.Literal('*')]),
    kind: Type.Optional(DeviceKind),
    role: Type.Optional(Type.String({ maxLength: 100 })),
    priority: Priority,
  },
  { additionalProperties: false },
);
export type PriorityRule = Static<typeof PriorityRule>;

/** A site's contractual time limits (hours) and ticket settings. Every field has its default. */
export const SlaProfile = Type.Object(
  {
    responseHours: Type.Number({ exclusiveMinimum: 0, default: 0.5 }),
    onSiteHours: Type.Number({ exclusiveMinimum: 0, default: 2 }),
    onSiteEmergencyHours: Type.Number({ exclusiveMinimum: 0, default: 1 }),
    recoveryHours: Type.Object(
      {
        P1: Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Null()], { default: 2 }),
        P2: Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Null()], { default: 4 }),
        P3: Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Null()], { default: 12 }),
        P4: Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Null()], { default: null }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** The plan's general promise: a fault resolved within 8 h — applies to a fault whose priority has no limit of its own (README). */
    generalRecoveryHours: Type.Number({ exclusiveMinimum: 0, default: 8 }),
    /** The plan's spare-part promise: a needed part swapped within 2 h of arrival on site. */
    partReplacementHours: Type.Number({ exclusiveMinimum: 0, default: 2 }),
    /** Priorities that always need a visit: their on-site clock runs from opening. Others only once dispatched; never P4. */
    onSitePriorities: Type.Array(Priority, { default: ['P1'] }),
    /** Priorities that are emergencies (on site within onSiteEmergencyHours). */
    emergencyPriorities: Type.Array(Priority, { default: ['P1'] }),
    /** Rules tried before the built-in mapping (collector/tickets/README.md). */
    priorityRules: Type.Array(PriorityRule, { maxItems: 200, default: [] }),
    /** A device that misses this many expected reports is down. */
    missedReports: Type.Integer({ minimum: 1, maximum: 1000, default: 3 }),
  },
  { additionalProperties: false },
);
export type SlaProfile = Static<typeof SlaProfile>;
export const SlaProfileInput = Type.Partial(SlaProfile, { additionalProperties: false });
export type SlaProfileInput = Static<typeof SlaProfileInput>;

/** Silence settings of one device (null = the site's or the observed default). */
export const DeviceSilenceInput = Type.Object(
  {
    expectedIntervalSeconds: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 31_536_000 }), Type.Null()])),
    missedReports: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 1000 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type DeviceSilenceInput = Static<typeof DeviceSilenceInput>;

export const DeviceLiveness = Type.Object(
  {
    site: Type.String(),
    device: Type.String(),
    lastReportAt: Timestamp,
    expectedIntervalSeconds: Type.Number(),
    missedReports: Type.Integer(),
    silentSince: Type.Union([Timestamp, Type.Null()]),
    state: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  },
  { additionalProperties: false },
);
export type DeviceLiveness = Static<typeof DeviceLiveness>;

/** Numeric ids arrive as path text. */
export const IdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,11}$' }) });
export type IdParams = Static<typeof IdParams>;
