import { execFile } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { XunjianError } from '../../../schemas/index.js';

/** A command that could not run, timed out or exited non-zero; keeps what it printed. */
export class CommandError extends XunjianError {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  constructor(command: string, detail: { stdout: string; stderr: string; exitCode: number | null; timedOut: boolean; cause?: unknown }) {
    const why = detail.timedOut
      ? 'timed out'
      : detail.exitCode !== null
        ? `exited with code ${detail.exitCode}`
        : `could not run (${(detail.cause as Error | undefined)?.message ?? 'unknown error'})`;
    super(detail.timedOut ? 'COMMAND_TIMEOUT' : 'COMMAND_FAILED', `${command}: ${why}`, { cause: detail.cause });
    this.stdout = detail.stdout;
    this.stderr = detail.stderr;
    this.exitCode = detail.exitCode;
    this.timedOut = detail.timedOut;
  }
}

export interface RunOptions {
  timeoutMs?: number;
  maxBuffer?: number;
}

/** The command line as the form's 检查命令 shows it. */
export function commandLine(file: string, args: string[]): string {
  return [file, ...args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ');
}

/**
 * Runs a program without a shell. Resolves with its output; rejects with a CommandError on a
 * spawn error, a non-zero exit or the timeout (the child is killed), carrying what it printed.
 */
export function run(file: string, args: string[], opts: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const timeout = opts.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout, killSignal: 'SIGKILL', maxBuffer: opts.maxBuffer ?? 32 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string; signal?: string };
        const timedOut = Boolean(e.killed) && e.signal === 'SIGKILL';
        reject(
          new CommandError(commandLine(file, args), {
            stdout: stdout ?? '',
            stderr: stderr ?? '',
            exitCode: typeof e.code === 'number' ? e.code : null,
            timedOut,
            cause: error,
          }),
        );
      },
    );
  });
}

/** Output of a command even when it exits non-zero (smartctl, systemctl report states that way). */
export async function runForOutput(file: string, args: string[], opts: RunOptions = {}): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  try {
    const r = await run(file, args, opts);
    return { ...r, exitCode: 0 };
  } catch (e) {
    if (e instanceof CommandError && e.exitCode !== null) return { stdout: e.stdout, stderr: e.stderr, exitCode: e.exitCode };
    throw e;
  }
}

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Full path of an executable on PATH (plus the sbin directories a non-root PATH lacks), or undefined. */
const WHICH_TTL_MS = 10 * 60_000;
const found = new Map<string, { path: string | undefined; at: number }>();

/**
 * The program's path on PATH (or the sbin directories), or undefined. Remembered for ten minutes:
 * the agent asks for the same few tools every cycle, and a tool installed meanwhile is seen soon.
 */
export async function which(name: string): Promise<string | undefined> {
  const known = found.get(name);
  if (known && Date.now() - known.at < WHICH_TTL_MS) return known.path;
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SYSTEM_DIRS];
  let path: string | undefined;
  for (const dir of new Set(dirs)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      path = candidate;
      break;
    } catch {
      // not here
    }
  }
  found.set(name, { path, at: Date.now() });
  return path;
}

/**
 * Whether a path exists. Asked every agent cycle for files in /proc, /dev, /run and /var/log, so
 * answered with one synchronous stat (no thread-pool round trip, and no Error built for each
 * absent path, as a rejected fs/promises access did); not meant for network file systems.
 */
export async function exists(path: string): Promise<boolean> {
  return existsSync(path);
}
