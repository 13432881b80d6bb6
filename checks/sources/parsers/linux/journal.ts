import type { Severity } from '../../../../schemas/index.js';
import { emptyResult, lines, measurement, type ParseContext, type ParseResult } from '../types.js';

/** syslog(3) priorities 0–7, as journald stores them in PRIORITY. */
export const SYSLOG_SEVERITIES: Severity[] = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];

export interface JournalParseResult extends ParseResult {
  /** `__CURSOR` of the last entry read: pass it to `--after-cursor` next time. */
  cursor?: string;
}

function messageText(m: unknown): string {
  if (typeof m === 'string') return m;
  // journald sends non-UTF-8 messages as a byte array
  if (Array.isArray(m) && m.every((b) => typeof b === 'number')) return Buffer.from(m as number[]).toString('utf8');
  return '(no message)';
}

/**
 * `journalctl -o json` (one JSON object per line): `log.scanned` = entries read, and one
 * SXKR-006 `log.entry` per entry of priority ≤ `maxPriority` (default 3: error, critical, alert,
 * emergency). Lines that are not JSON (journalctl's own notices) are skipped.
 */
export function parseJournalJson(text: string, ctx: ParseContext, opts: { maxPriority?: number } = {}): JournalParseResult {
  const maxPriority = opts.maxPriority ?? 3;
  const result: JournalParseResult = emptyResult();
  let scanned = 0;
  for (const line of lines(text)) {
    if (!line.startsWith('{')) continue;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    scanned++;
    if (typeof e.__CURSOR === 'string') result.cursor = e.__CURSOR;
    const priority = Number(e.PRIORITY ?? 6);
    if (!Number.isInteger(priority) || priority > maxPriority || priority < 0) continue;
    const usec = Number(e.__REALTIME_TIMESTAMP);
    const at = Number.isFinite(usec) && usec > 0 ? new Date(Math.floor(usec / 1000)).toISOString() : ctx.at;
    const source = [e.SYSLOG_IDENTIFIER, e._SYSTEMD_UNIT, e._COMM].find((s) => typeof s === 'string') as string | undefined;
    const where = [e._SYSTEMD_UNIT, e._PID ? `pid ${String(e._PID)}` : undefined].filter(Boolean).join(', ');
    result.measurements.push(
      measurement(ctx, 'SXKR-006', source ?? 'journal', 'log.entry', messageText(e.MESSAGE), {
        severity: SYSLOG_SEVERITIES[priority]!,
        at,
        detail: where || undefined,
      }),
    );
  }
  result.measurements.unshift(
    measurement(ctx, 'SXKR-006', 'journal', 'log.scanned', scanned, { detail: `priority ≤ ${maxPriority} reported` }),
  );
  return result;
}
