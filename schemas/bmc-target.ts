import { Type, type Static } from '@sinclair/typebox';
import { HostName, SiteName } from './names.js';

/**
 * Out-of-band targets the collector polls itself (collector/poller): a server's management
 * controller over Redfish or IPMI over LAN, or the IBM Power HMC that watches it. Each reports as
 * the named device, beside its agent or SSH reports. Secrets are write-only.
 */
const Secret = Type.String({ minLength: 1, maxLength: 256 });

export const BMC_PROTOCOLS = ['redfish', 'ipmi', 'hmc'] as const;

const BmcFields = {
  protocol: Type.Union(BMC_PROTOCOLS.map((p) => Type.Literal(p)), { default: 'redfish' }),
  host: Type.String({ minLength: 1, maxLength: 255, description: 'IP address or DNS name of the BMC or HMC' }),
  /** Default 443 (redfish), 623 (ipmi), 22 (hmc). */
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  user: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.Optional(Secret),
  /** hmc only: an OpenSSH private key (PEM text) instead of a password. */
  privateKey: Type.Optional(Type.String({ minLength: 1, maxLength: 16_384 })),
  /** redfish: `session` (default) or `basic`. */
  auth: Type.Optional(Type.Union([Type.Literal('session'), Type.Literal('basic')])),
  /** hmc: the managed system's name on the HMC, or its `type-model*serial`. */
  managedSystem: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  /** ipmi: RMCP+ cipher suite (`-C`). */
  cipherSuite: Type.Optional(Type.Integer({ minimum: 0, maximum: 17 })),
  /** Per request (redfish), per ipmitool run (ipmi), per command (hmc). */
  timeoutMs: Type.Integer({ minimum: 100, maximum: 300_000, default: 10_000 }),
  /** Seconds between polls; default 300. */
  intervalS: Type.Integer({ minimum: 1, maximum: 86_400, default: 300 }),
  /** The device the target reports as: the server's hostname, so its agent/SSH and BMC results combine. */
  hostname: HostName(),
  role: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
};

export const BmcTargetInput = Type.Object(BmcFields, { additionalProperties: false });
export type BmcTargetInput = Static<typeof BmcTargetInput>;

export const BmcTargetPatch = Type.Partial(Type.Object(BmcFields), { additionalProperties: false, minProperties: 1 });
export type BmcTargetPatch = Static<typeof BmcTargetPatch>;

/** What the API returns: never a secret, only whether one is set. */
export const BmcTargetView = Type.Object({
  id: Type.Integer(),
  site: Type.String(),
  protocol: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  user: Type.String(),
  hasPassword: Type.Boolean(),
  hasPrivateKey: Type.Boolean(),
  auth: Type.Optional(Type.String()),
  managedSystem: Type.Optional(Type.String()),
  cipherSuite: Type.Optional(Type.Integer()),
  timeoutMs: Type.Integer(),
  intervalS: Type.Integer(),
  hostname: Type.String(),
  role: Type.Optional(Type.String()),
  /** redfish: the pinned certificate's sha256; hmc: the pinned host key (`type base64`). Trusted on first use. */
  pinned: Type.Optional(Type.String()),
  /** redfish: a certificate presented that differs from the pinned one, awaiting an admin's accept-certificate. */
  presented: Type.Optional(Type.String()),
  lastPollAt: Type.Optional(Type.String()),
  /** ok: measured; unreachable: only gaps (the reason in lastError); error: the poll itself failed. */
  lastResult: Type.Optional(Type.String()),
  lastError: Type.Optional(Type.String()),
  lastSuccessAt: Type.Optional(Type.String()),
  lastReportId: Type.Optional(Type.String()),
  createdAt: Type.String(),
});
export type BmcTargetView = Static<typeof BmcTargetView>;

export const BmcTargetParams = Type.Object({ site: SiteName(), id: Type.String({ pattern: '^[1-9][0-9]{0,11}$' }) });
export type BmcTargetParams = Static<typeof BmcTargetParams>;

/** The certificate an admin accepts: the `presented` fingerprint they checked (by the controller's console). */
export const AcceptCertificate = Type.Object(
  { fingerprint: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  { additionalProperties: false },
);
export type AcceptCertificate = Static<typeof AcceptCertificate>;
