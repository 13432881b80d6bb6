import { Type, type Static } from '@sinclair/typebox';
import { CheckId, Label, Timestamp } from './common.js';

/**
 * The metric names the checks understand. A source may send others (they are stored and shown),
 * but only these feed an evaluation. See checks/catalog/<check>/README.md for what each means.
 */
export const METRICS = {
  'SXKR-001': ['cpu.avg', 'cpu.max'],
  'SXKR-002': ['memory.used', 'swap.used'],
  'SXKR-003': ['module.state', 'fs.used'],
  'SXKR-004': ['psu.state', 'fan.state', 'ups.state'],
  'SXKR-005': ['temperature', 'thermal.state'],
  'SXKR-006': ['log.scanned', 'log.entry'],
} as const;

/** A state reading normalised by the source (a vendor profile knows what `7` means on its MIB). */
export const ComponentStatus = Type.Union([
  Type.Literal('ok'),
  Type.Literal('warning'),
  Type.Literal('fault'),
  Type.Literal('absent'),
  Type.Literal('unknown'),
]);
export type ComponentStatus = Static<typeof ComponentStatus>;

export const Severity = Type.Union([
  Type.Literal('emergency'),
  Type.Literal('alert'),
  Type.Literal('critical'),
  Type.Literal('error'),
  Type.Literal('warning'),
  Type.Literal('notice'),
  Type.Literal('info'),
  Type.Literal('debug'),
]);
export type Severity = Static<typeof Severity>;

/** The thresholds a device itself reports for a sensor (never invented by us). */
export const DeviceLimits = Type.Object(
  {
    high: Type.Optional(Type.Number()),
    low: Type.Optional(Type.Number()),
    /** Where the device publishes the limit: an OID, an ipmitool column, a sysfs file. */
    source: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);
export type DeviceLimits = Static<typeof DeviceLimits>;

export const Measurement = Type.Object(
  {
    check: CheckId,
    /** What was measured: `CPU0`, `PSU 2`, `/var`, `disk sda`, `Gi1/0/3`, `system`. */
    component: Label(),
    metric: Label(100),
    value: Type.Union([Type.Number(), Type.String({ maxLength: 4000 }), Type.Boolean(), Type.Null()]),
    unit: Type.Optional(Type.String({ maxLength: 20 })),
    /** For state metrics: the source's normalised reading. */
    status: Type.Optional(ComponentStatus),
    /** For temperatures: sensor kind (cpu, inlet, outlet, chassis, disk, psu, board, other). */
    kind: Type.Optional(Type.String({ maxLength: 40 })),
    /** For log entries. */
    severity: Type.Optional(Severity),
    limits: Type.Optional(DeviceLimits),
    /** The exact command, file or OID that produced the value (the form's 检查命令). */
    command: Type.String({ minLength: 1, maxLength: 1000 }),
    at: Timestamp,
    detail: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type Measurement = Static<typeof Measurement>;

/** Something a source tried and could not measure, with why: it makes the check `unknown`. */
export const Gap = Type.Object(
  {
    check: CheckId,
    component: Type.Optional(Label()),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    command: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type Gap = Static<typeof Gap>;
