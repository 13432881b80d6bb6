import { Type, type Static } from '@sinclair/typebox';
import { CHECK_IDS, Label } from './common.js';
import { ThresholdOverrides, ThresholdSet } from './thresholds.js';

/** Bodies and parameters of the collector's HTTP API (the report itself is schemas/report.ts). */

export const Heartbeat = Type.Object(
  {
    agentId: Label(100),
    site: Type.Optional(Label(100)),
    hostname: Label(255),
    version: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type Heartbeat = Static<typeof Heartbeat>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const SitePatch = Type.Object(
  {
    title: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
    /** Replaces the site's overrides; `{}` clears them. */
    thresholds: Type.Optional(ThresholdOverrides),
    expectedIntervalS: Type.Optional(Nullable(Type.Integer({ minimum: 10, maximum: 90 * 86400 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SitePatch = Static<typeof SitePatch>;

export const DevicePatch = Type.Object(
  {
    role: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    notes: Type.Optional(Nullable(Type.String({ maxLength: 10_000 }))),
    /** Replaces the device's own thresholds; `{}` clears them. */
    thresholds: Type.Optional(ThresholdSet),
    expectedIntervalS: Type.Optional(Nullable(Type.Integer({ minimum: 10, maximum: 90 * 86400 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DevicePatch = Static<typeof DevicePatch>;

export const SiteParams = Type.Object({ site: Label(100) });
export type SiteParams = Static<typeof SiteParams>;
export const DeviceParams = Type.Object({ site: Label(100), hostname: Label(255) });
export type DeviceParams = Static<typeof DeviceParams>;
export const HistoryParams = Type.Object({
  site: Label(100),
  hostname: Label(255),
  check: Type.Union(CHECK_IDS.map((id) => Type.Literal(id))),
});
export type HistoryParams = Static<typeof HistoryParams>;
export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    /** Opaque cursor from the previous page's `next`. */
    cursor: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;
export const ReportParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export type ReportParams = Static<typeof ReportParams>;
export const ProductsQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) },
  { additionalProperties: false },
);
export type ProductsQuery = Static<typeof ProductsQuery>;
