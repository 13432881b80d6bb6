/**
 * `inspect --hmc HOST[:PORT] --managed-system NAME`: one IBM Power server through its HMC, from
 * command-line flags and the environment. The login is any SSH login's: a key file (`--key`), the
 * ssh-agent, or the password from XUNJIAN_HMC_PASSWORD (never the command line, where `ps` shows
 * it); the HMC's host key is checked against known_hosts, a new one recorded only with --accept-new.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { XunjianError, type Report } from '../../schemas/index.js';
import { collectHmc, type HmcTarget } from '../sources/hmc/index.js';

export interface HmcFlags {
  managedSystem?: string;
  user?: string;
  /** A private key file; else the ssh-agent, else XUNJIAN_HMC_PASSWORD. */
  key?: string;
  knownHosts?: string;
  acceptNew: boolean;
  timeoutMs: number;
  /** The server's name in the form (default: the managed system's). */
  hostname?: string;
  env: NodeJS.ProcessEnv;
}

export function hmcTargetFromFlags(hostPort: string, f: HmcFlags): HmcTarget {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!match) throw new XunjianError('USAGE', `--hmc expects HOST or HOST:PORT, got "${hostPort}"`);
  if (!f.managedSystem) throw new XunjianError('USAGE', "--managed-system is required for --hmc: the server's name on the HMC (lssyscfg -r sys -F name) or its type-model*serial");
  const user = f.user ?? f.env.XUNJIAN_HMC_USER ?? 'hscroot';
  const password = f.env.XUNJIAN_HMC_PASSWORD || undefined; // set but empty is not a password
  const login = f.key ? { privateKeyPath: f.key } : f.env.SSH_AUTH_SOCK ? { agent: f.env.SSH_AUTH_SOCK, ...(password !== undefined ? { password } : {}) } : password !== undefined ? { password } : undefined;
  if (!login) throw new XunjianError('USAGE', 'say how to log in to the HMC: --key FILE, an ssh-agent (SSH_AUTH_SOCK), or XUNJIAN_HMC_PASSWORD (never on the command line)');
  return {
    host: match[1]!.replace(/^\[|\]$/g, ''),
    port: match[2] ? Number(match[2]) : 22,
    user,
    ...login,
    knownHostsPath: f.knownHosts ?? join(homedir(), '.ssh', 'known_hosts'),
    acceptNew: f.acceptNew,
    connectTimeoutMs: f.timeoutMs,
    commandTimeoutMs: f.timeoutMs,
    managedSystem: f.managedSystem,
    identity: { hostname: f.hostname ?? f.managedSystem.replace(/[^A-Za-z0-9._-]/g, '-'), kind: 'server', addresses: [] },
  };
}

export async function collectHmcFromFlags(hostPort: string, f: HmcFlags): Promise<Report> {
  return collectHmc(hmcTargetFromFlags(hostPort, f));
}
