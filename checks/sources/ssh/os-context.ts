import type { CheckId, DeviceIdentity, Gap, Measurement } from '../../../schemas/index.js';
import { clip, type ParseContext, type ParseResult } from '../parsers/types.js';
import type { CommandResult, SshSession } from './session.js';

/** What a per-OS command set needs: the logged-in session and the inspection's parameters. */
export interface OsContext {
  /** Commands issued together share one channel (see batch.ts). */
  session: SshSession;
  /** The unbatched session, for the long CPU sampler that must not hold the others back. */
  direct?: SshSession;
  windowMs: number;
  /** Log entries before this are from an earlier inspection. */
  logSince: Date;
  /** Services that must run (SXKR-003 `requiredServices` for this device). */
  requiredServices: string[];
  clock: () => Date;
}

/** What a per-OS command set returns; the identity fields fill in what the inventory lacks. */
export interface OsCollection {
  measurements: Measurement[];
  gaps: Gap[];
  identity: Partial<Pick<DeviceIdentity, 'os' | 'version' | 'vendor' | 'model' | 'serial'>>;
}

export function emptyCollection(): OsCollection {
  return { measurements: [], gaps: [], identity: {} };
}

export function addParsed(into: OsCollection, parsed: ParseResult): void {
  into.measurements.push(...parsed.measurements);
  into.gaps.push(...parsed.gaps);
}

/**
 * Runs one command; a command that fails to run at all (timeout, dropped connection) becomes a
 * gap on each check it feeds, so those checks read `unknown` with the reason.
 */
export async function runFor(
  ctx: OsContext,
  into: OsCollection,
  checks: CheckId[],
  command: string,
  opts: { timeoutMs?: number } = {},
): Promise<{ result: CommandResult; parse: ParseContext } | undefined> {
  try {
    const result = await ctx.session.exec(command, opts);
    return { result, parse: { command, at: ctx.clock().toISOString() } };
  } catch (e) {
    for (const check of checks) into.gaps.push({ check, reason: clip((e as Error).message, 2000), command: clip(command, 1000) });
    return undefined;
  }
}

/** The first non-empty line of a command's error output, for a gap's reason. */
export function firstError(r: CommandResult): string {
  const line = (r.stderr || r.stdout).split('\n').find((l) => l.trim());
  return line ? clip(line.trim(), 300) : `exit code ${r.code}`;
}

/** Single-quotes a word for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
