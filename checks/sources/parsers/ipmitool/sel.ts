import type { Severity } from '../../../../schemas/index.js';
import { emptyResult, lines, measurement, type ParseContext, type ParseResult } from '../types.js';

/**
 * How bad an SEL event is, from ipmitool's wording of the IPMI "Sensor and Event Code Tables".
 * The SEL has no severity field; ipmi-sel's own interpretation (freeipmi_interpret_sel.conf)
 * is the model here, reduced to the events a maintenance contract cares about.
 */
const RULES: Array<{ severity: Severity; pattern: RegExp }> = [
  {
    severity: 'critical',
    pattern:
      /uncorrectable|non-recoverable|machine check|\bIERR\b|thermal trip|fatal|AC lost|Failure detected|Drive Fault|Redundancy Lost|Critical going|Transition to Critical|Critical Interrupt|PCI SERR|Run-time critical stop|OS Critical Stop|Power Supply .*lost|Fault Status asserted|Memory Device Disabled|Uncorrected/i,
  },
  { severity: 'error', pattern: /Predictive failure|PCI PERR|Configuration Error|Config Error|Bus Uncorrectable|correctable ECC logging limit|Timeout|Watchdog.*(reset|power)|Insufficient Resources/i },
  { severity: 'warning', pattern: /Correctable ECC|Non-critical going|Redundancy Degraded|Non-Redundant|Presence not detected|Chassis Intru/i },
  { severity: 'info', pattern: /Log area reset|cleared|Presence detected|System Firmware Progress|Timestamp Clock Sync|Initiated by power up|System boot initiated|OEM record|Power off\/down|Power cycle|Fully Redundant|Transition to OK/i },
];

export function classifySelEvent(event: string, direction: string): Severity {
  // A deasserted event says the condition went away: worth listing, not worth a fault.
  if (/^Deasserted/i.test(direction)) return 'info';
  return RULES.find((r) => r.pattern.test(event))?.severity ?? 'notice';
}

/** `04/18/2010` or `12/14/22`, `06:41:43` or `23:09:44 CET` → ISO (BMC clocks are taken as UTC). */
function selTime(date: string, time: string): string | undefined {
  const d = /^(\d{2})\/(\d{2})\/(\d{2}|\d{4})$/.exec(date);
  const t = /^(\d{2}):(\d{2}):(\d{2})/.exec(time);
  if (!d || !t) return undefined;
  const year = d[3]!.length === 2 ? 2000 + Number(d[3]) : Number(d[3]);
  const ms = Date.UTC(year, Number(d[1]) - 1, Number(d[2]), Number(t[1]), Number(t[2]), Number(t[3]));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const WORST: Severity[] = ['emergency', 'alert', 'critical', 'error', 'warning'];

/**
 * `ipmitool sel elist` (or `sel list`): `log.scanned` = SEL records read, and one SXKR-006
 * `log.entry` per record of severity warning or worse (info and notice records — boot
 * progress, log cleared, presence — are counted but not listed). `since` drops older records.
 */
export function parseIpmiSel(text: string, ctx: ParseContext, opts: { since?: Date } = {}): ParseResult {
  const result = emptyResult();
  let scanned = 0;
  for (const line of lines(text)) {
    const c = line.split('|').map((s) => s.trim());
    if (c.length < 6 || !/^[0-9a-fA-F]+$/.test(c[0]!)) continue;
    const [id, date, time, sensor, event, direction] = c as [string, string, string, string, string, string];
    const at = selTime(date, time);
    if (opts.since && at && Date.parse(at) < opts.since.getTime()) continue;
    scanned++;
    const severity = classifySelEvent(event, direction);
    if (!WORST.includes(severity)) continue;
    const extra = c.slice(6).join(' | ');
    result.measurements.push(
      measurement(ctx, 'SXKR-006', sensor || 'SEL', 'log.entry', `${event || '(no description)'} (${direction})`, {
        severity,
        at: at ?? ctx.at,
        detail: [`SEL record ${id}`, at ? undefined : `time not set by the BMC: ${date} ${time}`, extra || undefined]
          .filter(Boolean)
          .join('; '),
      }),
    );
  }
  result.measurements.unshift(measurement(ctx, 'SXKR-006', 'IPMI SEL', 'log.scanned', scanned));
  return result;
}
