/**
 * Bridges a site server's `hmc:` entry to the HMC source: resolves the HMC login like any SSH
 * login (same known_hosts, `--accept-new`), and turns credentials that cannot be resolved into a
 * report whose HMC checks are unknown with the reason.
 */
import type { DeviceIdentity, Report } from '../../schemas/index.js';
import { collectHmc, hmcReport, HMC_CHECKS, LSSYSCFG } from '../sources/hmc/index.js';
import type { SiteServerTarget } from './site-file.js';
import { resolveSshAuth, type CredentialSources } from './ssh-auth.js';

export interface HmcRun extends CredentialSources {
  knownHostsPath: string;
  acceptNew: boolean;
  connectTimeoutMs: number;
  site: string;
  logSince?: Date;
}

export async function collectHmcFor(s: SiteServerTarget, identity: DeviceIdentity, run: HmcRun): Promise<Report> {
  const h = s.hmc!;
  const port = h.port ?? 22;
  // The prompt and the messages name the HMC login, not the server's.
  const login: SiteServerTarget = { ...s, host: h.host, port, user: h.user, auth: h.auth };
  const credentials = await resolveSshAuth(h.auth, login, run);
  if (typeof credentials === 'string') {
    const gaps = HMC_CHECKS.map((check) => ({ check, reason: `HMC ${h.host}:${port}: ${credentials}`, command: `${LSSYSCFG} (HMC ${h.host}:${port})` }));
    const now = new Date();
    return hmcReport(identity, run.site, now, now.toISOString(), [], gaps);
  }
  return collectHmc(
    {
      host: h.host,
      port,
      user: h.user,
      ...credentials,
      knownHostsPath: run.knownHostsPath,
      acceptNew: run.acceptNew,
      connectTimeoutMs: run.connectTimeoutMs,
      ...(h.timeout_s ? { commandTimeoutMs: h.timeout_s * 1000 } : {}),
      managedSystem: h.managed_system,
      identity,
      site: run.site,
    },
    run.logSince ? { logSince: run.logSince } : {},
  );
}
