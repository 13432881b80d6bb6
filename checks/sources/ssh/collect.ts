import { CHECK_IDS, type DeviceIdentity, type Gap, type Report } from '../../../schemas/index.js';
import { newReportId } from '../../report-id.js';
import { clip } from '../parsers/types.js';
import { detectOs, runCommandSet } from '../commands/command-set.js';
import { emptyCollection, type OsCollection } from './os-context.js';
import { openSshSession, type SshConnectOptions, type SshSession } from './session.js';

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

export { detectOs, type DetectedOs } from '../commands/command-set.js';

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
        collection = await runCommandSet(detected.os, session, { windowMs: opts.windowMs, logSince, requiredServices: target.requiredServices ?? [], clock });
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
