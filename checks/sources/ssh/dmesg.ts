import type { Severity } from '../../../schemas/index.js';
import { emptyResult, lines, measurement, type ParseContext, type ParseResult } from '../parsers/types.js';

/** dmesg's level names (`dmesg -x`) → syslog severities. */
const LEVELS: Record<string, Severity> = {
  emerg: 'emergency',
  alert: 'alert',
  crit: 'critical',
  err: 'error',
  warn: 'warning',
  notice: 'notice',
  info: 'info',
  debug: 'debug',
};
const RANK: Severity[] = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];

// `kern  :err   : 2026-11-28T06:49:17,479909+00:00 message` (util-linux ≥ 2.30, `-x --time-format iso`)
const LINE = /^(\w+)\s*:(\w+)\s*:\s*(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d),(\d+)([+-]\d\d:?\d\d)\s?(.*)$/;

/**
 * `dmesg -x --time-format iso`: the kernel ring buffer, for hosts with neither journald nor a
 * syslog file. `log.scanned` = lines at or after `since`; one `log.entry` per line of severity
 * `maxSeverity` (default error) or worse.
 */
export function parseDmesg(text: string, ctx: ParseContext, opts: { since?: Date; maxSeverity?: Severity } = {}): ParseResult {
  const result = emptyResult();
  const limit = RANK.indexOf(opts.maxSeverity ?? 'error');
  let scanned = 0;
  for (const line of lines(text)) {
    const m = LINE.exec(line);
    if (!m) continue;
    const at = new Date(`${m[3]}.${m[4]!.slice(0, 3)}${m[5]}`);
    if (Number.isNaN(at.getTime())) continue;
    if (opts.since && at < opts.since) continue;
    scanned++;
    const severity = LEVELS[m[2]!];
    if (!severity || RANK.indexOf(severity) > limit) continue;
    result.measurements.push(
      measurement(ctx, 'SXKR-006', 'kernel', 'log.entry', m[6]!.trim() || '(empty)', { severity, at: at.toISOString(), detail: `facility ${m[1]}` }),
    );
  }
  result.measurements.unshift(measurement(ctx, 'SXKR-006', 'kernel', 'log.scanned', scanned));
  return result;
}
