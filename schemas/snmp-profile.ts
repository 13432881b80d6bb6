import { Type, type Static } from '@sinclair/typebox';
import { DeviceKind } from './common.js';
import { ComponentStatus } from './measurement.js';

/*
 * An SNMP vendor profile (checks/sources/snmp/profiles/*.yaml): how to recognise a device family
 * and, per check, which columns to walk and how to read them. Vendor knowledge is data; the walker
 * only interprets these declarations. See checks/sources/snmp/README.md for the full format.
 */

/** A numeric OID without the leading dot: a table column, or a scalar without its `.0`. */
export const Oid = Type.String({ pattern: '^[0-9]+(\\.[0-9]+)+$', maxLength: 200 });

/** One column: its OID, its MIB name (shown in the form's 检查命令), and an optional index suffix. */
export const SnmpColumn = Type.Object(
  {
    oid: Oid,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    /** Only rows whose index ends in `.<suffix>`; the suffix is then dropped from the row key (e.g. QFP interval 3 = 5 min). */
    suffix: Type.Optional(Type.String({ pattern: '^[0-9]+(\\.[0-9]+)*$' })),
  },
  { additionalProperties: false },
);
export type SnmpColumn = Static<typeof SnmpColumn>;

/** Alternatives in order: per row, the first column that has a value is used (HC before 32-bit, Rev before deprecated). */
export const SnmpColumns = Type.Array(SnmpColumn, { minItems: 1, maxItems: 8 });

/**
 * Label templates tried in order; the first whose placeholders all resolve to non-empty text wins.
 * Placeholders: {index}, {i0}, {i1} (index parts), {ent} / {ent@i0} (entPhysicalName of the row's
 * index or of its first part), {col:OID} / {col:OID@i0} (another column of the same row),
 * {entOf:OID} / {entOf:OID@i0} (entPhysicalName of the entity that column points to).
 */
export const SnmpLabel = Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { minItems: 1, maxItems: 6 });

/** Keep only rows whose value in `oid` (same index, or the index's first part with `at: i0`) is one of `in`. */
export const SnmpFilter = Type.Object(
  {
    oid: Oid,
    in: Type.Array(Type.Union([Type.Integer(), Type.String()]), { minItems: 1 }),
    at: Type.Optional(Type.Literal('i0')),
  },
  { additionalProperties: false },
);

/** Which raw values mean which normalised status; values not listed are `unknown`. */
export const SnmpStatusMap = Type.Partial(
  Type.Object({
    ok: Type.Array(Type.Integer()),
    warning: Type.Array(Type.Integer()),
    fault: Type.Array(Type.Integer()),
    absent: Type.Array(Type.Integer()),
    unknown: Type.Array(Type.Integer()),
  }),
  { additionalProperties: false },
);
export type SnmpStatusMap = Static<typeof SnmpStatusMap>;

/** Raw value → the MIB's enum name, kept as the measurement's value (`failed(7)`). */
export const SnmpEnum = Type.Record(Type.String({ pattern: '^-?[0-9]+$' }), Type.String({ maxLength: 60 }));

const RowSelection = {
  label: SnmpLabel,
  where: Type.Optional(Type.Array(SnmpFilter, { maxItems: 4 })),
  /** Only rows whose index (first part) is an entPhysicalIndex of one of these entPhysicalClass values. */
  entityClass: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { minItems: 1 })),
  /** Drop rows whose value is one of these (e.g. 65535 = not supported, 0 = entity without a CPU). */
  skipValues: Type.Optional(Type.Array(Type.Number())),
};

export const SnmpCpuSource = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    /** The device's own long-term average (5-minute); read at the end of the window. */
    average: Type.Optional(SnmpColumns),
    /** The device's short-term value (5-second), sampled across the window. */
    sample: Type.Optional(SnmpColumns),
    /** Skip a row when the named source has rows whose first index part equals this row's key (per-core rows replace the total). */
    coveredBy: Type.Optional(Type.String()),
    /** Used only when no earlier CPU source gave a row. */
    fallback: Type.Optional(Type.Boolean()),
    ...RowSelection,
  },
  { additionalProperties: false },
);

export const SnmpUsageSource = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    metric: Type.Optional(Type.Union([Type.Literal('memory.used'), Type.Literal('swap.used'), Type.Literal('fs.used')])),
    percent: Type.Optional(SnmpColumns),
    used: Type.Optional(SnmpColumns),
    free: Type.Optional(SnmpColumns),
    total: Type.Optional(SnmpColumns),
    ...RowSelection,
  },
  { additionalProperties: false },
);

export const SnmpStateSource = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    metric: Type.Union([Type.Literal('module.state'), Type.Literal('psu.state'), Type.Literal('fan.state'), Type.Literal('ups.state')]),
    state: SnmpColumns,
    enum: SnmpEnum,
    status: SnmpStatusMap,
    /** One measurement listing every row that is not ok/absent (e.g. admin-up ports that are down) instead of one per row. */
    aggregate: Type.Optional(
      Type.Object(
        { component: Type.String({ minLength: 1, maxLength: 200 }), status: ComponentStatus },
        { additionalProperties: false },
      ),
    ),
    ...RowSelection,
  },
  { additionalProperties: false },
);

export const SnmpThresholdTable = Type.Object(
  {
    /** Rows are indexed `<sensor index>.<threshold index>`. */
    severity: SnmpColumn,
    relation: SnmpColumn,
    value: SnmpColumn,
    /** Severities that make a limit (e.g. major 20, critical 30). */
    limitSeverities: Type.Array(Type.Integer(), { minItems: 1 }),
    highRelations: Type.Array(Type.Integer(), { minItems: 1 }),
    lowRelations: Type.Array(Type.Integer(), { minItems: 1 }),
    ignoreValues: Type.Optional(Type.Array(Type.Number())),
  },
  { additionalProperties: false },
);

export const SnmpTemperatureSource = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    value: SnmpColumns,
    /** Device threshold columns at the same index; absent or a skip value → no device limit. */
    high: Type.Optional(SnmpColumns),
    low: Type.Optional(SnmpColumns),
    ignoreLimits: Type.Optional(Type.Array(Type.Number())),
    /** value × 10^(3 × (exponent − 9)) ÷ 10^precision (ENTITY-SENSOR SI scale); or a fixed divisor. */
    exponent: Type.Optional(SnmpColumn),
    precision: Type.Optional(SnmpColumn),
    divisor: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    thresholds: Type.Optional(SnmpThresholdTable),
    /** The device's own sensor state; rows whose state maps to `absent` are skipped. */
    state: Type.Optional(
      Type.Object({ column: SnmpColumn, enum: SnmpEnum, status: SnmpStatusMap }, { additionalProperties: false }),
    ),
    /** Sensor kind by label: the first pattern (case-insensitive regex) that matches; else `defaultKind`. */
    kinds: Type.Optional(Type.Array(Type.Tuple([Type.String(), Type.String()]))),
    defaultKind: Type.Optional(Type.String()),
    ...RowSelection,
  },
  { additionalProperties: false },
);

export const SnmpLogSource = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    /** A scalar that exists when the device implements the log table (even when empty). */
    probe: SnmpColumn,
    severity: SnmpColumn,
    /** Raw severity → syslog severity name. */
    severities: Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.String()),
    text: SnmpLabel,
    /** Entry time as sysUpTime ticks (hundredths of a second since boot). */
    uptime: SnmpColumn,
  },
  { additionalProperties: false },
);

export const SnmpInventory = Type.Object(
  {
    vendor: Type.Optional(Type.String({ maxLength: 100 })),
    /** Entity indexes to prefer for the device's own model and serial, after chassis-class entities. */
    entityIndexes: Type.Optional(Type.Array(Type.Integer())),
    serial: Type.Optional(SnmpColumns),
    model: Type.Optional(SnmpColumns),
    firmware: Type.Optional(SnmpColumns),
    /** Regexes over sysDescr; group 1 is the value. */
    modelFromDescr: Type.Optional(Type.String()),
    versionFromDescr: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const SnmpProfile = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9-]+$', maxLength: 60 }),
    description: Type.String({ maxLength: 300 }),
    kind: DeviceKind,
    /** When several profiles match, the highest priority wins (generic = 0). */
    priority: Type.Integer({ minimum: 0, maximum: 1000 }),
    detect: Type.Object(
      {
        sysObjectID: Type.Optional(Type.Array(Oid, { minItems: 1 })),
        sysDescr: Type.Optional(Type.String()),
        sysDescrNot: Type.Optional(Type.String()),
        /** A scalar OID (with .0) that must answer. */
        probe: Type.Optional(Type.String({ pattern: '^[0-9]+(\\.[0-9]+)+$' })),
      },
      { additionalProperties: false },
    ),
    /** Profiles whose check sources are appended after this profile's own (detection and inventory are not inherited). */
    include: Type.Optional(Type.Array(Type.String(), { maxItems: 4 })),
    inventory: Type.Optional(SnmpInventory),
    cpu: Type.Optional(Type.Array(SnmpCpuSource)),
    memory: Type.Optional(Type.Array(SnmpUsageSource)),
    filesystems: Type.Optional(Type.Array(SnmpUsageSource)),
    states: Type.Optional(Type.Array(SnmpStateSource)),
    temperature: Type.Optional(Type.Array(SnmpTemperatureSource)),
    log: Type.Optional(Type.Array(SnmpLogSource)),
    /** Checks this family cannot answer over SNMP, with why: they become gaps (unknown), never normal. */
    unsupported: Type.Optional(
      Type.Array(
        Type.Object({ check: Type.String({ pattern: '^SXKR-00[1-6]$' }), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      ),
    ),
  },
  { additionalProperties: false },
);
export type SnmpProfile = Static<typeof SnmpProfile>;
export type SnmpCpuSource = Static<typeof SnmpCpuSource>;
export type SnmpUsageSource = Static<typeof SnmpUsageSource>;
export type SnmpStateSource = Static<typeof SnmpStateSource>;
export type SnmpTemperatureSource = Static<typeof SnmpTemperatureSource>;
export type SnmpLogSource = Static<typeof SnmpLogSource>;
export type SnmpThresholdTable = Static<typeof SnmpThresholdTable>;
export type SnmpInventory = Static<typeof SnmpInventory>;
export type Oid = Static<typeof Oid>;
export type SnmpColumns = Static<typeof SnmpColumns>;
export type SnmpLabel = Static<typeof SnmpLabel>;
export type SnmpFilter = Static<typeof SnmpFilter>;
export type SnmpEnum = Static<typeof SnmpEnum>;
