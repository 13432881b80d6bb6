import { Type, type Static } from '@sinclair/typebox';
import { SafeLabel } from './names.js';
import { ThresholdOverrides } from './thresholds.js';

/*
 * The site inventory an engineer carries to a customer's machine room (`inspect --site hq`).
 * Secrets are never in the file: passwords, SNMP communities and v3 keys are named by the
 * environment variable that holds them (`*_env`), or asked for at the prompt.
 */

const Name = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\s/\\\\]+$' });
const EnvName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z_][A-Za-z0-9_]*$' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });

/** How to log in: exactly one of key file, ssh-agent, password from env, password prompt. */
export const SshAuth = Type.Object(
  {
    /** Private key file; `~` and paths relative to the site file are resolved. */
    key_file: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    /** Environment variable holding the key file's passphrase. */
    passphrase_env: Type.Optional(EnvName),
    /** Use the running ssh-agent (SSH_AUTH_SOCK). */
    agent: Type.Optional(Type.Boolean()),
    /** Environment variable holding the password. */
    password_env: Type.Optional(EnvName),
    /** Ask for the password on the terminal when the run starts. */
    password_prompt: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SshAuth = Static<typeof SshAuth>;

/**
 * The server's management controller (iLO, XCC, iDRAC, iBMC, eBMC…), read over Redfish for power
 * supplies, fans, temperatures, hardware modules and the hardware event log. The password is
 * named by the environment variable holding it, never written here.
 */
export const BmcAccess = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255 }),
    port: Type.Optional(Port),
    /** `redfish` (default) over HTTPS; `ipmi`: IPMI 2.0 over the LAN (`ipmitool -I lanplus`) for older BMCs. */
    protocol: Type.Optional(Type.Union([Type.Literal('redfish'), Type.Literal('ipmi')])),
    user: Type.String({ minLength: 1, maxLength: 100 }),
    password_env: EnvName,
    /** `session` (default): one log-in and log-out per inspection; `basic`: credentials on every request. */
    auth: Type.Optional(Type.Union([Type.Literal('session'), Type.Literal('basic')])),
    timeout_s: Type.Optional(Type.Number({ minimum: 1, maximum: 600 })),
    /** ipmi: the RMCP+ cipher suite (`ipmitool -C`); default ipmitool's choice. */
    cipher_suite: Type.Optional(Type.Integer({ minimum: 0, maximum: 17 })),
  },
  { additionalProperties: false },
);
export type BmcAccess = Static<typeof BmcAccess>;

/**
 * An IBM Power server's Hardware Management Console, over SSH: the managed system's state and the
 * serviceable hardware events the HMC holds open for it (SXKR-003…006). Logged in to like any SSH
 * server — host keys in the same known_hosts, credentials named, never written here.
 */
export const HmcAccess = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255 }),
    port: Type.Optional(Port),
    /** The HMC user, e.g. hscroot or a viewer account (hmcviewer role is enough). */
    user: Type.String({ minLength: 1, maxLength: 100 }),
    /** The server's name on the HMC (lssyscfg -r sys -F name), or its `type-model*serial`. */
    managed_system: Type.String({ minLength: 1, maxLength: 255 }),
    /** How to log in to the HMC; default: the file's `ssh.auth`. */
    auth: Type.Optional(SshAuth),
    timeout_s: Type.Optional(Type.Number({ minimum: 1, maximum: 600 })),
  },
  { additionalProperties: false },
);
export type HmcAccess = Static<typeof HmcAccess>;

export const SiteServer = Type.Object(
  {
    /** The device's name in reports (its hostname); defaults to `host`. */
    name: Type.Optional(Name),
    host: Type.String({ minLength: 1, maxLength: 255 }),
    port: Type.Optional(Port),
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    auth: Type.Optional(SshAuth),
    role: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    groups: Type.Optional(Type.Array(Name, { maxItems: 50 })),
    /** Its management controller: hardware checks from there, CPU/memory/OS logs still over SSH. */
    bmc: Type.Optional(BmcAccess),
    /** An IBM Power server's HMC: hardware state and events from there, the OS still over SSH. */
    hmc: Type.Optional(HmcAccess),
  },
  { additionalProperties: false },
);
export type SiteServer = Static<typeof SiteServer>;

export const SnmpCredentials = Type.Object(
  {
    version: Type.Union([Type.Literal('1'), Type.Literal('2c'), Type.Literal('3')], { default: '2c' }),
    /** v1/v2c: environment variable holding the community string. */
    community_env: Type.Optional(EnvName),
    /** v3 user and security level. */
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    level: Type.Optional(Type.Union([Type.Literal('noAuthNoPriv'), Type.Literal('authNoPriv'), Type.Literal('authPriv')])),
    auth_protocol: Type.Optional(Type.Union(['md5', 'sha', 'sha224', 'sha256', 'sha384', 'sha512'].map((p) => Type.Literal(p)))),
    auth_key_env: Type.Optional(EnvName),
    priv_protocol: Type.Optional(Type.Union(['des', 'aes', 'aes256b', 'aes256r'].map((p) => Type.Literal(p)))),
    priv_key_env: Type.Optional(EnvName),
  },
  { additionalProperties: false },
);
export type SnmpCredentials = Static<typeof SnmpCredentials>;

export const SiteSnmpDevice = Type.Object(
  {
    name: Type.Optional(Name),
    host: Type.String({ minLength: 1, maxLength: 255 }),
    port: Type.Optional(Port),
    kind: Type.Optional(
      Type.Union([Type.Literal('switch'), Type.Literal('router'), Type.Literal('firewall'), Type.Literal('ups')]),
    ),
    snmp: Type.Optional(SnmpCredentials),
    role: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    groups: Type.Optional(Type.Array(Name, { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type SiteSnmpDevice = Static<typeof SiteSnmpDevice>;

export const SiteFile = Type.Object(
  {
    site: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }),
    customer: Type.Optional(Type.String({ maxLength: 200 })),
    /** The service contract's number (合同编号), printed on the field report: one line of printable characters. */
    contract_no: Type.Optional(SafeLabel(100)),
    /** The site's IANA time zone (default Asia/Shanghai): the printed forms show local time in it. */
    time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** Defaults for every server: user, port, auth. */
    ssh: Type.Optional(
      Type.Object(
        {
          user: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          port: Type.Optional(Port),
          auth: Type.Optional(SshAuth),
          /** known_hosts file; default ~/.ssh/known_hosts. */
          known_hosts: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
          timeout_s: Type.Optional(Type.Number({ minimum: 1, maximum: 600 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Defaults for every network device and UPS. */
    snmp: Type.Optional(SnmpCredentials),
    servers: Type.Array(SiteServer, { default: [], maxItems: 5000 }),
    network: Type.Array(SiteSnmpDevice, { default: [], maxItems: 5000 }),
    ups: Type.Array(SiteSnmpDevice, { default: [], maxItems: 1000 }),
    /** Named groups of device names, for `--group`. */
    groups: Type.Optional(Type.Record(Name, Type.Array(Name, { maxItems: 5000 }))),
    thresholds: Type.Optional(ThresholdOverrides),
  },
  { additionalProperties: false },
);
export type SiteFile = Static<typeof SiteFile>;
