/**
 * `inspect --redfish HOST[:PORT]`: one server's management controller, from command-line flags
 * and the environment (the password never on the command line, where `ps` would show it).
 */
import { XunjianError, type Report } from '../../schemas/index.js';
import { inspectRedfish, pinFileBeside, type RedfishTarget } from '../sources/redfish/index.js';

export interface RedfishFlags {
  user?: string;
  auth: 'session' | 'basic';
  acceptNew: boolean;
  /** Pin file; default ~/.ssh/known_bmc_certs. */
  pins?: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
}

export function redfishTargetFromFlags(hostPort: string, f: RedfishFlags): RedfishTarget {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!match) throw new XunjianError('USAGE', `--redfish expects HOST or HOST:PORT, got "${hostPort}"`);
  const user = f.user ?? f.env.XUNJIAN_BMC_USER;
  if (!user) throw new XunjianError('USAGE', '--bmc-user (or XUNJIAN_BMC_USER) is required for --redfish');
  const password = f.env.XUNJIAN_BMC_PASSWORD;
  if (password === undefined) throw new XunjianError('USAGE', 'set XUNJIAN_BMC_PASSWORD to the BMC password (it is never taken from the command line)');
  const host = match[1]!.replace(/^\[|\]$/g, '');
  return {
    host,
    port: match[2] ? Number(match[2]) : 443,
    user,
    password,
    auth: f.auth,
    pins: { path: f.pins ?? pinFileBeside(), acceptNew: f.acceptNew },
    timeoutMs: f.timeoutMs,
    identity: { hostname: host, kind: 'server', addresses: [] },
  };
}

export async function collectRedfishFromFlags(hostPort: string, f: RedfishFlags): Promise<Report> {
  return (await inspectRedfish(redfishTargetFromFlags(hostPort, f))).report;
}
