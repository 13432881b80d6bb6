import type { Severity } from '../../../../schemas/index.js';
import { emptyResult, lines, measurement, type ParseContext, type ParseResult } from '../types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Nov 22 17:46:18 host prog[pid]: message` (RFC 3164 file format: local time, no year). */
const CLASSIC = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\S+)\s+([^:\s[]+)(?:\[(\d+)\])?:\s?(.*)$/;
/** `2026-11-28T12:00:00.123456+08:00 host prog[pid]: message` (rsyslog high-precision format). */
const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))\s+(\S+)\s+([^:\s[]+)(?:\[(\d+)\])?:\s?(.*)$/;

/**
 * A syslog file keeps no priority, so the severity is read from the words of the message.
 * Deliberately narrow: hardware, kernel, file system and service failures. Authentication
 * failures are security events, not system errors, and are left to the security review.
 */
const RULES: Array<{ severity: Severity; pattern: RegExp }> = [
  { severity: 'emergency', pattern: /Kernel panic/i },
  {
    severity: 'critical',
    pattern:
      /Hardware Error|Machine Check|mce: \[|Uncorrected|Out of memory|oom-kill|invoked oom-killer|\bOops\b|\bBUG:|Call Trace|EXT[234]-fs error|XFS .*(corrupt|shut ?down)|critical (target|medium) error|Remounting filesystem read-only/i,
  },
  {
    severity: 'error',
    pattern: /I\/O error|\berror\b|\bfailed\b|\bfailure\b|segfault|general protection|timed out|link is down|NIC Link is Down/i,
  },
];
const NOT_SYSTEM_ERRORS = /Failed password|authentication failure|Invalid user|pam_unix\(|Connection closed by|error: kex_exchange/i;

export function classifySyslogMessage(message: string): Severity | undefined {
  if (NOT_SYSTEM_ERRORS.test(message)) return undefined;
  return RULES.find((r) => r.pattern.test(message))?.severity;
}

export interface SyslogOptions {
  /** Only entries at or after this time count ("since the last inspection"). */
  since?: Date;
  /** Minutes east of UTC for classic lines, which carry local time without a zone. */
  utcOffsetMinutes?: number;
}

function classicTime(m: RegExpExecArray, ctx: ParseContext, offsetMin: number): string | undefined {
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return undefined;
  const ref = new Date(ctx.at);
  let year = ref.getUTCFullYear();
  const build = (y: number) =>
    Date.UTC(y, month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])) - offsetMin * 60_000;
  // No year in the line: a date more than a day after the reading belongs to last year.
  if (build(year) > ref.getTime() + 86_400_000) year -= 1;
  return new Date(build(year)).toISOString();
}

/**
 * Classic syslog files (/var/log/messages, /var/log/syslog): `log.scanned` = lines read, and one
 * SXKR-006 `log.entry` per line whose message reads as an error or worse (see RULES).
 */
export function parseSyslog(text: string, ctx: ParseContext, opts: SyslogOptions = {}): ParseResult {
  const result = emptyResult();
  const offset = opts.utcOffsetMinutes ?? 0;
  const since = opts.since?.getTime();
  let scanned = 0;
  for (const line of lines(text)) {
    let at: string | undefined;
    let program: string;
    let pid: string | undefined;
    let message: string;
    let host: string;
    const c = CLASSIC.exec(line);
    const i = c ? null : ISO.exec(line);
    if (c) {
      at = classicTime(c, ctx, offset);
      [host, program, pid, message] = [c[6]!, c[7]!, c[8], c[9]!];
    } else if (i) {
      at = new Date(i[1]!).toISOString();
      [host, program, pid, message] = [i[2]!, i[3]!, i[4], i[5]!];
    } else {
      continue;
    }
    if (!at) continue;
    if (since !== undefined && Date.parse(at) < since) continue;
    scanned++;
    const severity = classifySyslogMessage(message);
    if (!severity) continue;
    result.measurements.push(
      measurement(ctx, 'SXKR-006', program, 'log.entry', message, {
        severity,
        at,
        detail: `host ${host}${pid ? `, pid ${pid}` : ''}; severity inferred from the message text`,
      }),
    );
  }
  result.measurements.unshift(measurement(ctx, 'SXKR-006', 'syslog', 'log.scanned', scanned));
  return result;
}
