import type { ComponentStatus } from '../../../schemas/index.js';
import { emptyResult, gap, lines, measurement, type ParseContext, type ParseResult } from './types.js';

export interface SmartctlOptions {
  /** Component name; default `disk <name>` from the last /dev/… argument of the command. */
  component?: string;
}

function diskComponent(ctx: ParseContext, opts: SmartctlOptions): string {
  if (opts.component) return opts.component;
  const dev = /\/dev\/(\S+)\s*$/.exec(ctx.command.trim()) ?? /\/dev\/(\S+)/.exec(ctx.command);
  return `disk ${dev ? dev[1]!.replace(/^disk\/by-\w+\//, '') : 'unknown'}`;
}

function field(text: string, name: RegExp): string | undefined {
  for (const line of lines(text)) {
    const m = name.exec(line);
    if (m) return m[1]!.trim();
  }
  return undefined;
}

interface AtaAttribute {
  id: number;
  name: string;
  whenFailed: string;
  raw: string;
}

function ataAttributes(text: string): AtaAttribute[] {
  const out: AtaAttribute[] = [];
  for (const line of lines(text)) {
    // ID# ATTRIBUTE_NAME FLAG VALUE WORST THRESH TYPE UPDATED WHEN_FAILED RAW_VALUE
    const m = /^\s*(\d{1,3})\s+(\S+)\s+0x[0-9a-f]{4}\s+\d{3}\s+\d{3}\s+\d{3}\s+\S+\s+\S+\s+(\S+)\s+(.*)$/.exec(line);
    if (m) out.push({ id: Number(m[1]), name: m[2]!, whenFailed: m[3]!, raw: m[4]!.trim() });
  }
  return out;
}

const firstNumber = (s: string | undefined) => {
  const m = s ? /^-?\d+/.exec(s) : null;
  return m ? Number(m[0]) : undefined;
};

/**
 * `smartctl -H /dev/X` or `smartctl -a /dev/X` (ATA, SCSI/SAS, NVMe): SXKR-003 `module.state` for
 * the disk from the overall health line — ATA/NVMe `…self-assessment test result: PASSED|FAILED!`,
 * SCSI `SMART Health Status: OK|<reason>`. With `-a`, pending or offline-uncorrectable sectors
 * (ATA 197/198) or an attribute FAILING_NOW make a passed disk a warning, and the drive's
 * temperature becomes an SXKR-005 `temperature` (kind disk; SCSI drives report their own trip
 * temperature, which becomes the limit).
 * A disk that cannot say (no SMART, virtual disk, unreadable) is a gap with smartctl's reason.
 */
export function parseSmartctl(text: string, ctx: ParseContext, opts: SmartctlOptions = {}): ParseResult {
  const result = emptyResult();
  const component = diskComponent(ctx, opts);
  const model = field(text, /^(?:Device Model|Model Number|Product):\s+(.*)$/);
  const vendor = field(text, /^Vendor:\s+(.*)$/);
  const serial = field(text, /^Serial [Nn]umber:\s+(.*)$/);
  const identity = [vendor, model, serial ? `S/N ${serial}` : undefined].filter(Boolean).join(' ');

  const ata = field(text, /self-assessment test result:\s*(.*)$/);
  const scsi = field(text, /^SMART Health Status:\s*(.*)$/);
  const health = ata ?? scsi;
  if (health === undefined) {
    const reason =
      field(text, /^(SMART support is:\s+(?:Unavailable|Disabled).*)$/) ??
      field(text, /^(.*(?:Unable to detect device type|failed: No such device|Permission denied|does not support SMART|Unknown USB bridge|Read Device Identity failed).*)$/) ??
      'no SMART health line in smartctl output';
    result.gaps.push(gap(ctx, 'SXKR-003', `SMART health not available: ${reason}`, component));
    return result;
  }

  const passed = ata !== undefined ? /^PASSED/.test(ata) : /^OK\b/.test(scsi!);
  let status: ComponentStatus = passed ? 'ok' : 'fault';
  const notes: string[] = [];
  const attrs = ataAttributes(text);
  for (const a of attrs) {
    const raw = firstNumber(a.raw) ?? 0;
    if (a.whenFailed === 'FAILING_NOW') {
      status = 'fault';
      notes.push(`${a.name} FAILING_NOW`);
    } else if ((a.id === 197 || a.id === 198) && raw > 0) {
      if (status === 'ok') status = 'warning';
      notes.push(`${a.name} = ${raw}`);
    } else if (a.id === 5 && raw > 0) {
      notes.push(`${a.name} = ${raw}`);
    }
  }
  const grown = field(text, /^Elements in grown defect list:\s*(\d+)/);
  if (grown !== undefined && Number(grown) > 0) notes.push(`grown defect list: ${grown}`);
  result.measurements.push(
    measurement(ctx, 'SXKR-003', component, 'module.state', health, {
      status,
      detail: [identity || undefined, ...notes].filter(Boolean).join('; ') || undefined,
    }),
  );

  // Drive temperature: SCSI states it with the drive's trip point; ATA in attribute 194 (or 190).
  const scsiTemp = firstNumber(field(text, /^Current Drive Temperature:\s*(\d+)\s*C/));
  const trip = firstNumber(field(text, /^Drive Trip Temperature:\s*(\d+)\s*C/));
  const nvmeTemp = firstNumber(field(text, /^Temperature:\s+(\d+)\s+Celsius/));
  const nvmeCrit = firstNumber(field(text, /^Critical Comp\. Temp\. Threshold:\s+(\d+)\s+Celsius/));
  const ataTemp = firstNumber((attrs.find((a) => a.id === 194) ?? attrs.find((a) => a.id === 190))?.raw);
  const temp = scsiTemp ?? nvmeTemp ?? ataTemp;
  if (temp !== undefined) {
    const high = scsiTemp !== undefined ? trip : nvmeTemp !== undefined ? nvmeCrit : undefined;
    const source = scsiTemp !== undefined ? 'smartctl: Drive Trip Temperature' : 'smartctl: Critical Comp. Temp. Threshold';
    result.measurements.push(
      measurement(ctx, 'SXKR-005', component, 'temperature', temp, {
        unit: '°C',
        kind: 'disk',
        limits: high !== undefined ? { high, source } : undefined,
      }),
    );
  }
  return result;
}
