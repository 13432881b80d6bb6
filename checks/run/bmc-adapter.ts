/**
 * Bridges a site server's `bmc:` entry to the Redfish source: resolves the password from the
 * environment, pins certificates beside known_hosts, and turns a missing password into a report
 * whose BMC checks are unknown with the reason.
 */
import type { DeviceIdentity, Report } from '../../schemas/index.js';
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
  if (typeof target === 'string') {
    const now = new Date().toISOString();
    const command = `redfish https://${s.bmc!.host}${s.bmc!.port ? `:${s.bmc!.port}` : ''}/redfish/v1/`;
    const report: Report = {
      id: `bmc-${identity.hostname.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 50)}-${Date.now()}-${Math.random().toString(16).slice(2, 10)}`,
      source: 'bmc',
      site: run.site,
      window: { start: now, end: now },
      identity,
      measurements: [],
      gaps: BMC_CHECKS.map((check) => ({ check, reason: target, command })),
    };
    return { report, counts: { requests: 0, bytes: 0 } };
  }
  return inspectRedfish(target, run.logSince ? { logSince: run.logSince } : {});
}
