import type { ComponentStatus } from '../../../../schemas/index.js';
import { emptyResult, lines, measurement, type ParseContext, type ParseResult } from '../types.js';

/** One row of `ipmitool sdr elist` (5 columns) or `ipmitool sdr list` (3 columns). */
export interface SdrRow {
  name: string;
  /** Sensor number, e.g. `30h` (elist only). */
  id?: string;
  /** ok, ns (no reading), nc (non-critical), cr (critical), nr (non-recoverable), lnc, ucr… */
  status: string;
  /** IPMI entity, e.g. `10.1` = power supply 1 (elist only). */
  entity?: string;
  reading: string;
}

export function readSdr(text: string): SdrRow[] {
  const rows: SdrRow[] = [];
  for (const line of lines(text)) {
    const cols = line.split('|').map((c) => c.trim());
    if (cols.length >= 5 && /^[0-9A-Fa-f]+h$/.test(cols[1]!)) {
      rows.push({ name: cols[0]!, id: cols[1]!, status: cols[2]!, entity: cols[3]!, reading: cols.slice(4).join(' | ') });
    } else if (cols.length === 3 && cols[0] && /^[a-z]{2,3}$/.test(cols[2]!)) {
      rows.push({ name: cols[0], status: cols[2]!, reading: cols[1]! });
    }
  }
  return rows;
}

/** ipmitool's status column → our state. `ns` is handled by the caller (absent or skipped). */
export function ipmiStatus(code: string): ComponentStatus {
  const c = code.toLowerCase();
  if (c === 'ok') return 'ok';
  if (c === 'nc' || c === 'lnc' || c === 'unc') return 'warning';
  if (['cr', 'nr', 'lcr', 'ucr', 'lnr', 'unr'].includes(c)) return 'fault';
  if (c === 'ns' || c === 'na') return 'absent';
  return 'unknown';
}

const PSU_NAME = /\b(PSU?\s?\d*|PS\d+|Power\s?Suppl(y|ies)|Pwr\s?Supply|PS\s\d|PS\s?Status|PS\s?Redundancy|Pwr Unit Redund)\b/i;
const FAN_NAME = /\bfans?\b|fan\d|fan_/i;
const TEMP_READING = /^(-?\d+(?:\.\d+)?)\s*degrees C/i;
/** Thermal-margin sensors report distance to the limit (negative numbers), not a temperature. */
const MARGIN = /margin/i;

/** Sensor kind for SXKR-005 defaults: from the name first, then the IPMI entity id. */
export function temperatureKind(name: string, entity?: string): string {
  if (/inlet|ambient|amb\b|intake|front panel|fnt ?pnl/i.test(name)) return 'inlet';
  if (/exhaust|outlet/i.test(name)) return 'outlet';
  if (/dimm|\bmem/i.test(name)) return 'board';
  if (/\bcpu|proc|processor|^p\d\b|socket/i.test(name)) return 'cpu';
  if (/psu|\bps\s?\d|power supply/i.test(name)) return 'psu';
  if (/hdd|drive|disk|\bhd\b|ssd|nvme/i.test(name)) return 'disk';
  if (/chassis/i.test(name)) return 'chassis';
  if (/board|planar|\bmb\b|baseboard|sys|pch|chipset|vr\b|bmc/i.test(name)) return 'board';
  const e = entity?.split('.')[0];
  // IPMI entity ids: 3 processor, 10 power supply, 7 system board, 32 memory device,
  // 4/5/6 disk bays, 23 chassis, 55 / 64 air inlet.
  if (e === '3') return 'cpu';
  if (e === '10') return 'psu';
  if (e === '7' || e === '32') return 'board';
  if (e === '4' || e === '5' || e === '6') return 'disk';
  if (e === '23') return 'chassis';
  if (e === '55' || e === '64') return 'inlet';
  return 'other';
}

/** What a PSU or fan reading's words say, when they say something. */
function stateFromText(reading: string): ComponentStatus | undefined {
  if (/fail|lost|fault|insufficient|redundancy lost|config(uration)? error|not present.*asserted/i.test(reading)) return 'fault';
  if (/predictive|degraded|non-redundant/i.test(reading)) return 'warning';
  if (/presence detected|fully redundant|transition to ok|state deasserted|^ok$/i.test(reading)) return 'ok';
  if (/not present|absent|not installed/i.test(reading)) return 'absent';
  return undefined;
}

function uniqueNames(rows: SdrRow[]): Map<SdrRow, string> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
  const seen = new Map<string, number>();
  const names = new Map<SdrRow, string>();
  for (const r of rows) {
    if ((counts.get(r.name) ?? 0) > 1) {
      const n = (seen.get(r.name) ?? 0) + 1;
      seen.set(r.name, n);
      names.set(r, `${r.name} (${r.id ?? `#${n}`})`);
    } else {
      names.set(r, r.name);
    }
  }
  return names;
}

/**
 * `ipmitool sdr elist` or `ipmitool sdr list`: SXKR-004 `psu.state` and `fan.state`, SXKR-005
 * `temperature` (without limits: those come from `ipmitool sensor`). Voltages, currents and
 * other discrete sensors are outside the six checks and are not reported.
 * A fan or PSU row with status `ns` (no reading / disabled) is an empty slot → `absent`;
 * a temperature with `ns` has no reading and is left out.
 */
export function parseIpmiSdr(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const rows = readSdr(text);
  const names = uniqueNames(rows);
  for (const row of rows) {
    const component = names.get(row)!;
    const status = ipmiStatus(row.status);
    const temp = TEMP_READING.exec(row.reading);
    const entityId = row.entity?.split('.')[0];
    const detail = [row.id ? `sensor ${row.id}` : undefined, row.entity ? `entity ${row.entity}` : undefined, `status ${row.status}`]
      .filter(Boolean)
      .join(', ');
    if (temp || (/temp/i.test(row.name) && status === 'absent')) {
      if (!temp || MARGIN.test(row.name)) continue;
      result.measurements.push(
        measurement(ctx, 'SXKR-005', component, 'temperature', Number(temp[1]), {
          unit: '°C',
          kind: temperatureKind(row.name, row.entity),
          status,
          detail,
        }),
      );
      continue;
    }
    const isPsu = PSU_NAME.test(row.name) || (entityId === '10' && !/^-?[\d.]+\s+(Volts|Amps|Watts)$/i.test(row.reading));
    const isFan = !isPsu && (FAN_NAME.test(row.name) || entityId === '29');
    if (!isPsu && !isFan) continue;
    let state: ComponentStatus = status;
    if (status !== 'absent') {
      const said = stateFromText(row.reading);
      // the status column wins when it is worse than what the words say
      if (said === 'fault' || (said === 'warning' && status === 'ok')) state = said;
    }
    result.measurements.push(
      measurement(ctx, 'SXKR-004', component, isPsu ? 'psu.state' : 'fan.state', row.reading || row.status, {
        status: state,
        detail,
      }),
    );
  }
  return result;
}
