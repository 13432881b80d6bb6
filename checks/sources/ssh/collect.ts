import { CHECK_IDS, type DeviceIdentity, type Gap, type Report } from '../../../schemas/index.js';
import { newReportId } from '../../report-id.js';
import { clip } from '../parsers/types.js';
import { collectAix } from './aix.js';
import { collectLinux } from './linux.js';
import { batchingSession } from './batch.js';
import { emptyCollection, type OsCollection, type OsContext } from './os-context.js';
import { openSshSession, type SshConnectOptions, type SshSession } from './session.js';
import { collectWindows, psCommand } from './windows.js';

export const PRODUCER = 'xunjian-inspect/0.1.0';

/** One server of the inventory: how to log in, and who it is. */
export interface SshTarget extends SshConnectOptions {
  identity: DeviceIdentity;
  site?: string;
  /** Services that must run on it (its effective SXKR-003 `requiredServices`). */
  requiredServices?: string[];
}

export interface CollectSshOptions {
  /** CPU is sampled over this window. */
  windowMs: number;
  /** Start of the window (tests); the clock runs on from it. Default: now. */
  now?: Date;
  /** Log entries before this belong to an earlier inspection. Default: 31 days before the window. */
  logSince?: Date;
  /** Progress: `collecting` once logged in (the runner shows it). */
  onConnected?: (os: string) => void;
}

export type DetectedOs = 'linux' | 'aix' | 'windows';

/** `uname -s` on Unix; a Windows OpenSSH server (cmd.exe or PowerShell shell) fails it. */
export async function detectOs(session: SshSession): Promise<{ os: DetectedOs; detail: string; command: string } | { os: undefined; detail: string; command: string }> {
  const uname = await session.exec('uname -s');
  const name = uname.stdout.trim();
  if (uname.code === 0 && /^Linux$/i.test(name)) return { os: 'linux', detail: name, command: 'uname -s' };
  if (uname.code === 0 && /^AIX$/i.test(name)) return { os: 'aix', detail: name, command: 'uname -s' };
  if (uname.code === 0 && name) return { os: undefined, detail: `unsupported operating system: ${name}`, command: 'uname -s' };
  // Encoded, so that cmd.exe, PowerShell and a POSIX shell all pass it through untouched.
  const version = psCommand('$PSVersionTable.PSVersion.ToString()');
  const ps = await session.exec(version.command);
  if (ps.code === 0 && /^\d+\.\d+/.test(ps.stdout.trim())) return { os: 'windows', detail: `PowerShell ${ps.stdout.trim()}`, command: version.shown };
  const ver = await session.exec('cmd /c ver');
  if (ver.code === 0 && /Windows/i.test(ver.stdout)) {
    return { os: undefined, detail: `Windows without PowerShell (${ver.stdout.trim()}): not supported`, command: 'cmd /c ver' };
  }
  return { os: undefined, detail: 'operating system not recognised (uname -s, powershell and cmd /c ver all failed)', command: 'uname -s' };
}

/** Every check unknown with one reason: the host could not be inspected at all. */
export function allUnknownGaps(reason: string, command?: string): Gap[] {
  return CHECK_IDS.map((check) => ({ check, reason: clip(reason, 2000), ...(command ? { command: clip(command, 1000) } : {}) }));
}

function sshCommandOf(t: SshTarget): string {
  return `ssh ${t.port && t.port !== 22 ? `-p ${t.port} ` : ''}${t.user}@${t.host}`;
}

/**
 * Inspects one server over SSH without an agent. Never throws for the host's sake: an unreachable
 * host, a refused login or a changed host key give a report whose gaps make every check unknown.
 */
export async function collectSsh(target: SshTarget, opts: CollectSshOptions): Promise<Report> {
  const t0 = Date.now();
  const start = opts.now ?? new Date();
  const clock = () => new Date(start.getTime() + (Date.now() - t0));
  const logSince = opts.logSince ?? new Date(start.getTime() - 31 * 86_400_000);
  let collection: OsCollection = emptyCollection();
  const identity: DeviceIdentity = { ...target.identity, addresses: [...(target.identity.addresses ?? [])] };
  if (!identity.addresses.includes(target.host)) identity.addresses.push(target.host);

  let session: SshSession | undefined;
  try {
    session = await openSshSession(target);
  } catch (e) {
    collection.gaps = allUnknownGaps((e as Error).message, sshCommandOf(target));
  }
  if (session) {
    try {
      const detected = await detectOs(session);
      if (!detected.os) {
        collection.gaps = allUnknownGaps(detected.detail, detected.command);
      } else {
        opts.onConnected?.(detected.os);
        // POSIX shells get batched commands; Windows (cmd.exe) gets one channel per command.
        const shared = detected.os === 'windows' ? session : batchingSession(session);
        const ctx: OsContext = { session: shared, direct: session, windowMs: opts.windowMs, logSince, requiredServices: target.requiredServices ?? [], clock };
        collection =
          detected.os === 'linux' ? await collectLinux(ctx) : detected.os === 'aix' ? await collectAix(ctx) : await collectWindows(ctx);
      }
    } catch (e) {
      // The connection dropped while detecting: nothing trustworthy was read.
      collection.gaps.push(...allUnknownGaps((e as Error).message, sshCommandOf(target)));
    } finally {
      session.close();
    }
  }
  for (const [k, v] of Object.entries(collection.identity)) {
    const key = k as keyof OsCollection['identity'];
    if (v && !identity[key]) identity[key] = clip(v, key === 'os' ? 500 : 200);
  }
  return {
    id: newReportId('ssh'),
    source: 'ssh',
    ...(target.site ? { site: target.site } : {}),
    window: { start: start.toISOString(), end: clock().toISOString() },
    identity,
    measurements: collection.measurements,
    gaps: collection.gaps.slice(0, 1000),
    producer: PRODUCER,
  };
}
