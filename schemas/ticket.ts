import { Type, type Static } from '@sinclair/typebox';
import { FreeText, HostName, SafeLabel, SiteName } from './names.js';
import { CheckId, DeviceKind, Timestamp } from './common.js';

/** The fault ticket's life (service plan 4.3): each step is stamped with who and when. */
export const TICKET_STATUSES = ['open', 'responded', 'on_site', 'resolved', 'confirmed', 'closed'] as const;
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

/** 备件更换: one part swapped during a hardware fault. */
export const PartReplacementInput = Type.Object(
  {
    part: SafeLabel(300),
    oldSerial: SafeLabel(200),
    newSerial: SafeLabel(200),
    replacedAt: Type.Optional(Timestamp),
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
    due: Type.Union([Timestamp, Type.Null()]),
    /** When it was met (the step's stamp), or null while pending. */
    metAt: Type.Union([Timestamp, Type.Null()]),
    overdue: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const TicketDeadlines = Type.Object(
  { response: Deadline, onSite: Deadline, recovery: Deadline },
  { additionalProperties: false },
);
export type TicketDeadlines = Static<typeof TicketDeadlines>;

export const Ticket = Type.Object(
  {
    id: Type.Integer(),
    site: Type.String(),
    device: Type.String({ description: 'hostname: the device key within its site' }),
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
    device: HostName(),
    subject: Type.Optional(TicketSubject),
    symptom: FreeText(4000, 1),
    suspectedCause: Type.Optional(FreeText(4000)),
    deviceModel: Type.Optional(SafeLabel(200)),
    priority: Type.Optional(Priority),
    emergency: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type TicketCreate = Static<typeof TicketCreate>;

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
