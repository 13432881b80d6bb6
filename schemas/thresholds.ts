import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DEVICE_KINDS } from './common.js';

/*
 * Each check's thresholds, with their defaults written here once. `checks/` reads the defaults
 * from these schemas; site files, the collector's API and its configuration validate against them.
 */

export const CpuThresholds = Type.Object(
  {
    /** Service plan: average CPU over the inspection window ≤ 50 %. */
    avgMax: Type.Number({ minimum: 0, maximum: 100, default: 50 }),
    /** Service plan: maximum CPU within the window ≤ 70 %. */
    peakMax: Type.Number({ minimum: 0, maximum: 100, default: 70 }),
  },
  { additionalProperties: false },
);

export const MemoryThresholds = Type.Object(
  {
    /** Memory in use (servers: excluding page cache and buffers) ≤ 80 %. */
    usedMax: Type.Number({ minimum: 0, maximum: 100, default: 80 }),
  },
  { additionalProperties: false },
);

export const ModuleThresholds = Type.Object(
  {
    /** A file system is abnormal above this use. */
    fsUsedMax: Type.Number({ minimum: 0, maximum: 100, default: 85 }),
    /** systemd units (or Windows services) that must be running, e.g. `sshd`, `oracle`. */
    requiredServices: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { default: [], maxItems: 200 }),
    /** Components never judged (exact names), e.g. a port that is down on purpose. */
    ignore: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { default: [], maxItems: 1000 }),
  },
  { additionalProperties: false },
);

export const PowerThresholds = Type.Object(
  {
    /** Components never judged (exact names). */
    ignore: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { default: [], maxItems: 1000 }),
  },
  { additionalProperties: false },
);

/** Defaults per sensor kind, used only where the device reports no limit of its own (°C). */
export const TemperatureThresholds = Type.Object(
  {
    cpu: Type.Number({ default: 85 }),
    inlet: Type.Number({ default: 40 }),
    outlet: Type.Number({ default: 60 }),
    chassis: Type.Number({ default: 60 }),
    board: Type.Number({ default: 75 }),
    disk: Type.Number({ default: 55 }),
    psu: Type.Number({ default: 70 }),
    other: Type.Number({ default: 70 }),
  },
  { additionalProperties: false },
);

export const LogThresholds = Type.Object(
  {
    /** Entries of this severity or worse count (syslog order: emergency … debug). */
    minSeverity: Type.Union(
      ['emergency', 'alert', 'critical', 'error', 'warning'].map((s) => Type.Literal(s)),
      { default: 'error' },
    ),
    /** Entries whose message contains one of these (case-insensitive) are listed but not counted. */
    ignore: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { default: [], maxItems: 200 }),
  },
  { additionalProperties: false },
);

export const CHECK_THRESHOLDS = {
  'SXKR-001': CpuThresholds,
  'SXKR-002': MemoryThresholds,
  'SXKR-003': ModuleThresholds,
  'SXKR-004': PowerThresholds,
  'SXKR-005': TemperatureThresholds,
  'SXKR-006': LogThresholds,
} as const satisfies Record<string, TSchema>;

export type CpuThresholds = Static<typeof CpuThresholds>;
export type MemoryThresholds = Static<typeof MemoryThresholds>;
export type ModuleThresholds = Static<typeof ModuleThresholds>;
export type PowerThresholds = Static<typeof PowerThresholds>;
export type TemperatureThresholds = Static<typeof TemperatureThresholds>;
export type LogThresholds = Static<typeof LogThresholds>;

/** Partial thresholds for some checks: one level of overrides. */
export const ThresholdSet = Type.Object(
  {
    'SXKR-001': Type.Optional(Type.Partial(CpuThresholds)),
    'SXKR-002': Type.Optional(Type.Partial(MemoryThresholds)),
    'SXKR-003': Type.Optional(Type.Partial(ModuleThresholds)),
    'SXKR-004': Type.Optional(Type.Partial(PowerThresholds)),
    'SXKR-005': Type.Optional(Type.Partial(TemperatureThresholds)),
    'SXKR-006': Type.Optional(Type.Partial(LogThresholds)),
  },
  { additionalProperties: false },
);
export type ThresholdSet = Static<typeof ThresholdSet>;

/**
 * Overrides from least to most specific: site < device kind < device role < device.
 * The most specific level that sets a key wins, and the result records which level that was.
 */
export const ThresholdOverrides = Type.Object(
  {
    site: Type.Optional(ThresholdSet),
    kinds: Type.Optional(
      Type.Object(Object.fromEntries(DEVICE_KINDS.map((k) => [k, Type.Optional(ThresholdSet)])), {
        additionalProperties: false,
      }),
    ),
    roles: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 100 }), ThresholdSet)),
    devices: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 255 }), ThresholdSet)),
  },
  { additionalProperties: false },
);
export type ThresholdOverrides = Static<typeof ThresholdOverrides>;

export const THRESHOLD_LEVELS = ['default', 'site', 'kind', 'role', 'device'] as const;
export type ThresholdLevel = (typeof THRESHOLD_LEVELS)[number];
