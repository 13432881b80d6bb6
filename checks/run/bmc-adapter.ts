/**
 * Bridges a site server's `bmc:` entry to its source — Redfish (default) or IPMI over LAN:
 * resolves the password from the environment, pins Redfish certificates beside known_hosts, and
 * turns a missing password into a report whose BMC checks are unknown with the reason.
 */
import type { DeviceIdentity, Report } from '../../schemas/index.js';
import { collectIpmiLan, IPMI_LAN_CHECKS } from '../sources/ipmi-lan/index.js';
import { BMC_CHECKS, inspectRedfish, type RedfishInspection, type RedfishTarget } from '../sources/redfish/index.js';
import type { SiteServerTarget } from './site-file.js';

export interface BmcRun {
  pinsPath: string;
  acceptNew: boolean;
  env: NodeJS.ProcessEnv;
  site: string;
  logSince?: Date;
}

export function bmcTargetOf(s: SiteServerTarget, identity: DeviceIdentity, run: BmcRun): RedfishTarget | string {
  const b = s.bmc!;
  const password = run.env[b.password_env];
  if (password === undefined) return `environment variable ${b.password_env} (password of ${b.user} on BMC ${b.host}) is not set`;
  return {
    host: b.host,
    ...(b.port ? { port: b.port } : {}),
    user: b.user,
    password,
    auth: b.auth ?? 'session',
    pins: { path: run.pinsPath, acceptNew: run.acceptNew },
    ...(b.timeout_s ? { timeoutMs: b.timeout_s * 1000 } : {}),
    identity,
    site: run.site,
  };
}

export async function collectBmc(s: SiteServerTarget, identity: DeviceIdentity, run: BmcRun): Promise<RedfishInspection> {
  const target = bmcTargetOf(s, identity, run);
  const ipmi = s.bmc!.protocol === 'ipmi';
  if (typeof target === 'string') {
    const now = new Date().toISOString();
    const command = ipmi
      ? `ipmitool -I lanplus -H ${s.bmc!.host}${s.bmc!.port ? ` -p ${s.bmc!.port}` : ''} -U ${s.bmc!.user}`
      : `redfish https://${s.bmc!.host}${s.bmc!.port ? `:${s.bmc!.port}` : ''}/redfish/v1/`;
    const report: Report = {
      id: `bmc-${identity.hostname.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 50)}-${Date.now()}-${Math.random().toString(16).slice(2, 10)}`,
      source: 'bmc',
      site: run.site,
      window: { start: now, end: now },
      identity,
      measurements: [],
      gaps: (ipmi ? IPMI_LAN_CHECKS : BMC_CHECKS).map((check) => ({ check, reason: target, command })),
    };
    return { report, counts: { requests: 0, bytes: 0 } };
  }
  const since = run.logSince ? { logSince: run.logSince } : {};
  if (ipmi) {
    const report = await collectIpmiLan(
      { host: target.host, ...(s.bmc!.port ? { port: s.bmc!.port } : {}), user: target.user, password: target.password, identity, site: run.site, ...(target.timeoutMs ? { timeoutMs: target.timeoutMs } : {}), ...(s.bmc!.cipher_suite !== undefined ? { cipherSuite: s.bmc!.cipher_suite } : {}) },
      since,
    );
    return { report, counts: { requests: 0, bytes: 0 } };
  }
  return inspectRedfish(target, since);
}
