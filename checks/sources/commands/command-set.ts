import { collectAix } from '../ssh/aix.js';
import { batchingSession } from '../ssh/batch.js';
import { collectLinux } from '../ssh/linux.js';
import type { OsCollection, OsContext } from '../ssh/os-context.js';
import { collectWindows, psCommand } from '../ssh/windows.js';
import type { Executor } from './executor.js';

/*
 * ONE command set and parser set per OS — Linux (ssh/linux.ts), AIX (ssh/aix.ts), Windows
 * (ssh/windows.ts) — whatever runs them: the poller and the field CLI through an SSH session, the
 * agent through this host's shell (localExecutor). The files keep their historical place beside
 * the SSH session; nothing in them knows which executor it has.
 */

export type DetectedOs = 'linux' | 'aix' | 'windows';

export type Detection = { os: DetectedOs; detail: string; command: string } | { os: undefined; detail: string; command: string };

/** `uname -s` on Unix; a Windows OpenSSH server (cmd.exe or PowerShell shell) fails it. */
export async function detectOs(session: Executor): Promise<Detection> {
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

export const COMMAND_SETS: Record<DetectedOs, (ctx: OsContext) => Promise<OsCollection>> = {
  linux: collectLinux,
  aix: collectAix,
  windows: collectWindows,
};

export interface CommandSetParams {
  windowMs: number;
  logSince: Date;
  requiredServices: string[];
  clock: () => Date;
}

/**
 * Runs an OS's whole command set through an executor. POSIX shells get commands issued together
 * as one framed batch (ssh/batch.ts: each command keeps its own output and exit status);
 * Windows (cmd.exe) one call per command.
 */
export function runCommandSet(os: DetectedOs, executor: Executor, params: CommandSetParams): Promise<OsCollection> {
  const shared = os === 'windows' ? executor : batchingSession(executor);
  return COMMAND_SETS[os]({ session: shared, direct: executor, ...params });
}
