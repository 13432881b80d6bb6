/**
 * Bridges the site file's SNMP devices to the SNMP source (checks/sources/snmp): resolves the
 * credential references from the environment and turns every failure into an all-unknown report.
 */
import type { Report } from '../../schemas/index.js';
import { newReportId } from '../index.js';
import { allUnknownGaps } from '../sources/ssh/index.js';
import type { SiteSnmpTarget } from './site-file.js';

/** The target shape collectSnmp takes (checks/sources/snmp/session.ts SnmpTarget). */
export interface SnmpTargetSpec {
  host: string;
  port?: number;
  version: '1' | '2c' | '3';
  community?: string;
  user?: string;
  level?: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol?: 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
  authKey?: string;
  privProtocol?: 'des' | 'aes' | 'aes256b' | 'aes256r';
  privKey?: string;
  name?: string;
  kind?: SiteSnmpTarget['kind'];
  site?: string;
}

export type SnmpCollect = (target: SnmpTargetSpec, opts: { windowMs: number }) => Promise<Report>;

// Resolved at run time so this runner builds while the SNMP source is still being written.
const SNMP_SOURCE = '../sources/snmp/index.js';
let defaultCollect: Promise<SnmpCollect | undefined> | undefined;
function loadDefault(): Promise<SnmpCollect | undefined> {
  defaultCollect ??= import(SNMP_SOURCE).then(
    (m: { collectSnmp?: SnmpCollect }) => m.collectSnmp,
    () => undefined,
  );
  return defaultCollect;
}

/** The credentials of one device with its `*_env` references resolved, or why they cannot be. */
export function snmpTargetOf(d: SiteSnmpTarget, site: string, env: NodeJS.ProcessEnv): SnmpTargetSpec | string {
  const c = d.snmp;
  const spec: SnmpTargetSpec = { host: d.host, port: d.port, version: c.version, name: d.name, kind: d.kind, site };
  const read = (name: string | undefined, what: string): string | undefined | Error => {
    if (!name) return undefined;
    const v = env[name];
    return v === undefined ? new Error(`environment variable ${name} (${what}) is not set`) : v;
  };
  if (c.version === '3') {
    spec.user = c.user;
    if (c.level) spec.level = c.level;
    if (c.auth_protocol) spec.authProtocol = c.auth_protocol as SnmpTargetSpec['authProtocol'];
    if (c.priv_protocol) spec.privProtocol = c.priv_protocol as SnmpTargetSpec['privProtocol'];
    const auth = read(c.auth_key_env, 'SNMPv3 auth key');
    const priv = read(c.priv_key_env, 'SNMPv3 privacy key');
    if (auth instanceof Error) return auth.message;
    if (priv instanceof Error) return priv.message;
    if (auth !== undefined) spec.authKey = auth;
    if (priv !== undefined) spec.privKey = priv;
  } else {
    const community = read(c.community_env, 'SNMP community');
    if (community instanceof Error) return community.message;
    spec.community = community;
  }
  return spec;
}

function failedReport(d: SiteSnmpTarget, site: string, reason: string): Report {
  const now = new Date().toISOString();
  return {
    id: newReportId('snmp'),
    source: 'snmp',
    site,
    window: { start: now, end: now },
    identity: { hostname: d.name, kind: d.kind, ...(d.role ? { role: d.role } : {}), addresses: [d.host] },
    measurements: [],
    gaps: allUnknownGaps(`${d.host}:${d.port}: ${reason}`, `snmp ${d.snmp.version} ${d.host}:${d.port}`),
  };
}

export async function collectSnmpDevice(
  d: SiteSnmpTarget,
  site: string,
  opts: { windowMs: number; env: NodeJS.ProcessEnv; onCollecting?: () => void; collect?: SnmpCollect },
): Promise<Report> {
  const spec = snmpTargetOf(d, site, opts.env);
  if (typeof spec === 'string') return failedReport(d, site, spec);
  const collect = opts.collect ?? (await loadDefault());
  if (!collect) return failedReport(d, site, 'the SNMP source is not available in this build');
  opts.onCollecting?.();
  try {
    const report = await collect(spec, { windowMs: opts.windowMs });
    // The inventory's name and role are the device's identity within the site.
    return { ...report, site, identity: { ...report.identity, hostname: d.name, kind: d.kind, ...(d.role ? { role: d.role } : {}) } };
  } catch (e) {
    return failedReport(d, site, (e as Error).message);
  }
}
