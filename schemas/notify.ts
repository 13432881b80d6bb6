import { Type, type Static } from '@sinclair/typebox';
import { Lang, Timestamp } from './common.js';
import { SafeLabel } from './names.js';
import { Priority } from './ticket.js';

/** What the collector tells people about (collector/notify/README.md lists when each is raised). */
export const NOTIFY_EVENTS = [
  'ticket.opened',
  'deadline.near',
  'deadline.overdue',
  'ticket.escalated',
  'device.down',
  'device.up',
  'emergency.started',
  'maintenance.requested',
  'maintenance.decided',
  'inspection.awaiting_confirmation',
  'inspection.unsigned',
  'contract.year_ending',
] as const;
export const NotifyEvent = Type.Union(NOTIFY_EVENTS.map((e) => Type.Literal(e)));
export type NotifyEvent = Static<typeof NotifyEvent>;

/** Who on the rota a message is for; `group`: the channel's own chat group (a robot) or list. */
export const NotifyAudience = Type.Union([Type.Literal('on_duty'), Type.Literal('backup'), Type.Literal('manager'), Type.Literal('group')]);
export type NotifyAudience = Static<typeof NotifyAudience>;
export const RotaRole = Type.Union([Type.Literal('on_duty'), Type.Literal('backup'), Type.Literal('manager')]);
export type RotaRole = Static<typeof RotaRole>;

const ChannelName = SafeLabel(100);

/** A routing rule: this event (or any: `*`) at these priorities (or any) goes to this channel's audience. */
export const NotifyRuleInput = Type.Object(
  {
    event: Type.Union([NotifyEvent, Type.Literal('*')]),
    priorities: Type.Union([Type.Array(Priority, { minItems: 1, maxItems: 4, uniqueItems: true }), Type.Literal('*')]),
    channel: ChannelName,
    audience: NotifyAudience,
    /** The language of a `group` message (a person's own language is on the rota). */
    lang: Type.Optional(Lang),
  },
  { additionalProperties: false },
);
export type NotifyRuleInput = Static<typeof NotifyRuleInput>;
export const NotifyRule = Type.Composite([Type.Object({ id: Type.Integer(), site: Type.String() }), NotifyRuleInput, Type.Object({ lang: Lang })]);
export type NotifyRule = Static<typeof NotifyRule>;

/**
 * One person on the rota in one role. Without `from`/`until` the standing assignment; with them a
 * period (it replaces the standing one while it lasts); with `special` (e.g. 节假日值守) a holiday or
 * special period, which replaces both.
 */
export const RotaEntryInput = Type.Object(
  {
    person: SafeLabel(100),
    email: Type.Optional(Type.String({ pattern: '^[^\\s@<>,;]+@[^\\s@<>,;]+$', maxLength: 254 })),
    lang: Type.Optional(Lang),
    role: RotaRole,
    from: Type.Optional(Timestamp),
    until: Type.Optional(Timestamp),
    special: Type.Optional(SafeLabel(100)),
  },
  { additionalProperties: false },
);
export type RotaEntryInput = Static<typeof RotaEntryInput>;
export const RotaEntry = Type.Composite([Type.Object({ id: Type.Integer(), site: Type.String() }), RotaEntryInput, Type.Object({ lang: Lang })]);
export type RotaEntry = Static<typeof RotaEntry>;

/** One step of the escalation chain: a ticket still not responded to `afterMinutes` after it opened. */
export const EscalationStep = Type.Object(
  {
    afterMinutes: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 }),
    audience: RotaRole,
    channel: ChannelName,
  },
  { additionalProperties: false },
);
export type EscalationStep = Static<typeof EscalationStep>;
export const EscalationChain = Type.Object({ steps: Type.Array(EscalationStep, { maxItems: 10 }) }, { additionalProperties: false });
export type EscalationChain = Static<typeof EscalationChain>;

const TimeOfDay = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

/** A site's notification settings; every field has its default (stored: only what was set). */
export const NotifySettings = Type.Object(
  {
    /** Quiet hours hold P3/P4 and non-ticket messages until they end; P1/P2 are never held. Times of day in the site's time zone. */
    quietHours: Type.Optional(Type.Object({ start: TimeOfDay, end: TimeOfDay }, { additionalProperties: false })),
    /** Fractions of each deadline at which "deadline near" is sent (overdue is always sent). */
    deadlineFractions: Type.Array(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }), { maxItems: 5, default: [0.5, 0.8] }),
    /** Events of one kind and priority within this window go out as one message. */
    groupWindowSeconds: Type.Integer({ minimum: 0, maximum: 3600, default: 60 }),
    /** The contract year's first day (MM-DD): "contract year ending" is sent 15 days before it comes round. */
    contractStart: Type.Optional(Type.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' })),
    /** How many days before the month ends an unsigned inspection record is reminded of. */
    monthEndDays: Type.Integer({ minimum: 0, maximum: 10, default: 2 }),
  },
  { additionalProperties: false },
);
export type NotifySettings = Static<typeof NotifySettings>;

/** A message that could not be delivered (dead letter), or any outbox row. */
export const OutboxEntry = Type.Object({
  id: Type.Integer(),
  site: Type.String(),
  kind: Type.String(),
  channel: Type.String(),
  recipient: Type.String(),
  lang: Lang,
  priority: Type.Union([Priority, Type.Null()]),
  title: Type.String(),
  events: Type.Integer(),
  state: Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('dead')]),
  attempts: Type.Integer(),
  createdAt: Timestamp,
  nextAt: Timestamp,
  sentAt: Type.Union([Timestamp, Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});
export type OutboxEntry = Static<typeof OutboxEntry>;
export const OutboxQuery = Type.Object(
  { state: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('sending'), Type.Literal('sent'), Type.Literal('dead')])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
  { additionalProperties: false },
);
export type OutboxQuery = Static<typeof OutboxQuery>;
