import { Type, type Static } from '@sinclair/typebox';
import { CHECK_IDS, Label } from './common.js';
import { FreeText, HostName, SafeLabel, SiteName } from './names.js';
import { ThresholdOverrides, ThresholdSet } from './thresholds.js';

/** Bodies and parameters of the collector's HTTP API (the report itself is schemas/report.ts). */

export const Heartbeat = Type.Object(
  {
    agentId: Label(100),
    site: Type.Optional(SiteName()),
    hostname: HostName(),
    version: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type Heartbeat = Static<typeof Heartbeat>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** The service contract's number (合同编号), printed on report covers: one line of printable characters. */
const ContractNo = () => SafeLabel(100);

export const SitePatch = Type.Object(
  {
    title: Type.Optional(Nullable(FreeText(200))),
    /** The service contract's number (合同编号), printed on report covers. */
    contractNo: Type.Optional(Nullable(ContractNo())),
    notes: Type.Optional(Nullable(FreeText(10_000))),
    /** Replaces the site's overrides; `{}` clears them. */
    thresholds: Type.Optional(ThresholdOverrides),
    expectedIntervalS: Type.Optional(Nullable(Type.Integer({ minimum: 10, maximum: 90 * 86400 }))),
    /** IANA time zone, e.g. `Asia/Shanghai` (the default) or `Europe/London`; checked against Intl's tz database. */
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone name; months are cut and times printed in it' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type SitePatch = Static<typeof SitePatch>;

/** What the dashboard's contract form sets: the customer's name and the contract number (null clears one). */
export const SiteContract = Type.Object(
  {
    title: Type.Optional(Nullable(SafeLabel(200))),
    contractNo: Type.Optional(Nullable(ContractNo())),
  },
  { additionalProperties: false },
);
export type SiteContract = Static<typeof SiteContract>;

export const DevicePatch = Type.Object(
  {
    role: Type.Optional(Nullable(SafeLabel(100))),
    notes: Type.Optional(Nullable(FreeText(10_000))),
    /** Replaces the device's own thresholds; `{}` clears them. */
    thresholds: Type.Optional(ThresholdSet),
    expectedIntervalS: Type.Optional(Nullable(Type.Integer({ minimum: 10, maximum: 90 * 86400 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DevicePatch = Static<typeof DevicePatch>;

export const SiteParams = Type.Object({ site: SiteName() });
export type SiteParams = Static<typeof SiteParams>;
export const DeviceParams = Type.Object({ site: SiteName(), hostname: HostName() });
export type DeviceParams = Static<typeof DeviceParams>;
export const HistoryParams = Type.Object({
  site: SiteName(),
  hostname: HostName(),
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

/** PUT /api/v1/tokens/:id/device — an admin (re)binds an agent token to one device (a server renamed). */
export const TokenBinding = Type.Object({ device: HostName() }, { additionalProperties: false });
export type TokenBinding = Static<typeof TokenBinding>;
export const TokenParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,11}$' }) });
export type TokenParams = Static<typeof TokenParams>;
