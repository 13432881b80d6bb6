import type { CheckId, DeviceIdentity, Gap, Measurement } from '../../../schemas/index.js';
import { clip, type ParseContext, type ParseResult } from '../parsers/types.js';
import type { CommandResult, Executor } from '../commands/executor.js';

/**
 * What a per-OS command set needs: where its commands run (an SSH session or this host's shell,
 * checks/sources/commands) and the inspection's parameters.
 */
export interface OsContext {
  /** Commands issued together share one channel (see batch.ts). */
  session: Executor;
  /** The unbatched executor, for the long CPU sampler that must not hold the others back. */
  direct?: Executor;
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
  opts: { timeoutMs?: number; shown?: string } = {},
): Promise<{ result: CommandResult; parse: ParseContext } | undefined> {
  const shown = opts.shown ?? command;
  try {
    const result = await ctx.session.exec(command, opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {});
    return { result, parse: { command: shown, at: ctx.clock().toISOString() } };
  } catch (e) {
    for (const check of checks) into.gaps.push({ check, reason: clip((e as Error).message, 2000), command: clip(shown, 1000) });
    return undefined;
  }
}

/** What a command's result must show before its output is parsed. */
export interface Expectation {
  /** Exit codes that still carry a usable answer (default: only 0). */
  okCodes?: number[];
  /** Empty output is an answer ("no entries"), not a failure: log queries only. */
  emptyIsAnswer?: boolean;
  /** The components a failure leaves unknown (default: the whole check). */
  component?: string;
  timeoutMs?: number;
  /** The form's 检查命令 when the command sent is not readable (PowerShell's -EncodedCommand). */
  shown?: string;
}

/** Why a command's result cannot be parsed, or undefined when it can. */
export function failureOf(r: CommandResult, expect: Expectation = {}): string | undefined {
  const ok = expect.okCodes ?? [0];
  if (r.code === null) return r.stderr.trim() || 'no exit status (the session ended before the command did)';
  if (r.code === 127) return `command not found (exit 127${r.stderr.trim() ? `: ${firstError(r)}` : ''})`;
  if (!ok.includes(r.code)) return `exit ${r.code}${r.stderr.trim() || r.stdout.trim() ? `: ${firstError(r)}` : ''}`;
  if (!expect.emptyIsAnswer && !r.stdout.trim()) return `printed nothing${r.stderr.trim() ? ` (stderr: ${firstError(r)})` : ''}`;
  return undefined;
}

/** One gap per check a failed command feeds, naming the command and the error. */
export function failedGaps(into: OsCollection, checks: CheckId[], command: string, why: string, component?: string): void {
  for (const check of checks) {
    into.gaps.push({ check, reason: clip(`${command}: ${why}`, 2000), command: clip(command, 1000), ...(component ? { component: clip(component, 200) } : {}) });
  }
}

/**
 * Runs one command and checks its result (exit status, output present) before anything parses it:
 * a failure becomes a gap on every check it feeds, naming the command and the error, so those
 * checks read `unknown` — never `normal` for lack of data.
 */
export async function runChecked(
  ctx: OsContext,
  into: OsCollection,
  checks: CheckId[],
  command: string,
  expect: Expectation = {},
): Promise<{ result: CommandResult; parse: ParseContext } | undefined> {
  const r = await runFor(ctx, into, checks, command, { ...(expect.timeoutMs !== undefined ? { timeoutMs: expect.timeoutMs } : {}), ...(expect.shown ? { shown: expect.shown } : {}) });
  if (!r) return undefined;
  const why = failureOf(r.result, expect);
  if (why) {
    failedGaps(into, checks, r.parse.command, why, expect.component);
    return undefined;
  }
  return r;
}

/**
 * Adds a parser's result, and a gap for each check the output should have fed but did not: an
 * output the parser recognised nothing in (garbage, a changed format) is no answer.
 */
export function addRequired(into: OsCollection, parsed: ParseResult, checks: CheckId[], r: { result: CommandResult; parse: ParseContext }, component?: string): void {
  addParsed(into, parsed);
  for (const check of checks) {
    if (parsed.measurements.some((m) => m.check === check) || parsed.gaps.some((g) => g.check === check)) continue;
    const line = r.result.stdout.split('\n').find((l) => l.trim())?.trim() ?? '';
    failedGaps(into, [check], r.parse.command, `output not recognised (first line: "${clip(line, 120)}")`, component);
  }
}

/** The first non-empty line of a command's error output, for a gap's reason. */
export function firstError(r: CommandResult): string {
  const line = (r.stderr || r.stdout).split('\n').find((l) => l.trim());
  return line ? clip(line.trim(), 300) : `exit code ${r.code}`;
}

/** `date +%z` → minutes east of UTC, or undefined when it printed something else. */
export function offsetMinutes(z: string): number | undefined {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(z.trim());
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : undefined;
}

/** Single-quotes a word for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
