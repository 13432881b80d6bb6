import { exec } from 'node:child_process';
import { delimiter } from 'node:path';
import { XunjianError } from '../../../schemas/index.js';
import type { CommandResult, Executor } from './executor.js';

/** The sbin directories a non-root PATH lacks: smartctl, ipmitool, lsps live there. */
const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export class LocalCommandTimeout extends XunjianError {
  constructor(command: string, timeoutMs: number) {
    super('COMMAND_TIMEOUT', `${command.split('\n')[0]!.slice(0, 200)}: timed out after ${Math.round(timeoutMs / 1000)} s`);
  }
}

export interface LocalExecutorOptions {
  /** Directories searched before PATH (tests put recorded stand-ins there). */
  pathPrefix?: string[];
  /** Per command unless the call says otherwise. Default 30 s, as an SSH session's. */
  commandTimeoutMs?: number;
}

/**
 * Runs each command as `sh -c` (cmd.exe on Windows) on this machine, in the C locale, with the
 * same contract as an SSH session: any exit status resolves with what the command printed; a
 * timeout (the child is killed) or a shell that cannot start rejects.
 */
export function localExecutor(opts: LocalExecutorOptions = {}): Executor {
  const path = [...(opts.pathPrefix ?? []), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  const env = { ...process.env, LC_ALL: 'C', PATH: [...new Set(path)].join(delimiter) };
  return {
    host: 'localhost',
    exec(command, o = {}) {
      const timeoutMs = o.timeoutMs ?? opts.commandTimeoutMs ?? 30_000;
      return new Promise<CommandResult>((resolve, reject) => {
        exec(command, { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8', windowsHide: true }, (error, stdout, stderr) => {
          if (!error) return resolve({ command, stdout: stdout.trim(), stderr: stderr.trim(), code: 0 });
          const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string; signal?: string | null };
          if (e.killed && e.signal === 'SIGKILL') return reject(new LocalCommandTimeout(command, timeoutMs));
          if (typeof e.code === 'number') return resolve({ command, stdout: stdout.trim(), stderr: stderr.trim(), code: e.code });
          // Killed by a signal: no exit status, as sshd reports a command that died.
          if (e.signal) return resolve({ command, stdout: stdout.trim(), stderr: stderr.trim() || `killed by ${e.signal}`, code: null });
          reject(new XunjianError('COMMAND_FAILED', `${command.split('\n')[0]!.slice(0, 200)}: could not run (${e.message})`, { cause: error }));
        });
      });
    },
    close() {},
  };
}
