import { Type, type Static } from '@sinclair/typebox';
import { HostName, SiteName } from './names.js';
import { DeviceKind } from './common.js';

/** SNMP targets the collector polls itself (collector/poller). Secrets are write-only. */
const Secret = Type.String({ minLength: 1, maxLength: 256 });

const TargetFields = {
  host: Type.String({ minLength: 1, maxLength: 255, description: 'IP address or DNS name' }),
  port: Type.Integer({ minimum: 1, maximum: 65535, default: 161 }),
  version: Type.Union([Type.Literal('1'), Type.Literal('2c'), Type.Literal('3')], { default: '2c' }),
  community: Type.Optional(Secret),
  user: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  level: Type.Optional(Type.Union([Type.Literal('noAuthNoPriv'), Type.Literal('authNoPriv'), Type.Literal('authPriv')])),
  authProtocol: Type.Optional(Type.Union(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'].map((p) => Type.Literal(p)))),
  authKey: Type.Optional(Secret),
  privProtocol: Type.Optional(Type.Union(['des', 'aes', 'aes256b', 'aes256r'].map((p) => Type.Literal(p)))),
  privKey: Type.Optional(Secret),
  /** Per request attempt. */
  timeoutMs: Type.Integer({ minimum: 50, maximum: 60_000, default: 2000 }),
  retries: Type.Integer({ minimum: 0, maximum: 10, default: 1 }),
  /** Seconds between polls; default 300 (5 min). */
  intervalS: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  kind: Type.Optional(DeviceKind),
  role: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /** The device's name in the equipment record; else the sysName learnt at the first poll, else host. */
  name: Type.Optional(HostName()),
};

export const SnmpTargetInput = Type.Object(TargetFields, { additionalProperties: false });
export type SnmpTargetInput = Static<typeof SnmpTargetInput>;

export const SnmpTargetPatch = Type.Partial(Type.Object(TargetFields), { additionalProperties: false, minProperties: 1 });
export type SnmpTargetPatch = Static<typeof SnmpTargetPatch>;

/** What the API returns: never a secret, only whether one is set. */
export const SnmpTargetView = Type.Object({
  id: Type.Integer(),
  site: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  version: Type.String(),
  user: Type.Optional(Type.String()),
  level: Type.Optional(Type.String()),
  authProtocol: Type.Optional(Type.String()),
  privProtocol: Type.Optional(Type.String()),
  hasCommunity: Type.Boolean(),
  hasAuthKey: Type.Boolean(),
  hasPrivKey: Type.Boolean(),
  timeoutMs: Type.Integer(),
  retries: Type.Integer(),
  intervalS: Type.Integer(),
  kind: Type.Optional(Type.String()),
  role: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  /** The device this target reports as (after its first poll). */
  hostname: Type.Optional(Type.String()),
  lastPollAt: Type.Optional(Type.String()),
  /** ok: measured; unreachable: only gaps (the reason in lastError); error: the poll itself failed. */
  lastResult: Type.Optional(Type.String()),
  lastError: Type.Optional(Type.String()),
  lastSuccessAt: Type.Optional(Type.String()),
  lastReportId: Type.Optional(Type.String()),
  createdAt: Type.String(),
});
export type SnmpTargetView = Static<typeof SnmpTargetView>;

export const SnmpTargetParams = Type.Object({ site: SiteName(), id: Type.String({ pattern: '^[1-9][0-9]{0,11}$' }) });

export type SnmpTargetParams = Static<typeof SnmpTargetParams>;
