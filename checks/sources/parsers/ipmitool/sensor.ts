import { emptyResult, lines, measurement, type ParseContext, type ParseResult } from '../types.js';
import { ipmiStatus, temperatureKind } from './sdr.js';

/** One row of `ipmitool sensor`: name | value | unit | status | lnr | lcr | lnc | unc | ucr | unr. */
export interface SensorRow {
  name: string;
  value: string;
  unit: string;
  status: string;
  thresholds: { lnr: string; lcr: string; lnc: string; unc: string; ucr: string; unr: string };
}

export function readSensor(text: string): SensorRow[] {
  const rows: SensorRow[] = [];
  for (const line of lines(text)) {
    const c = line.split('|').map((s) => s.trim());
    if (c.length < 10) continue;
    rows.push({
      name: c[0]!,
      value: c[1]!,
      unit: c[2]!,
      status: c[3]!,
      thresholds: { lnr: c[4]!, lcr: c[5]!, lnc: c[6]!, unc: c[7]!, ucr: c[8]!, unr: c[9]! },
    });
  }
  return rows;
}

const num = (s: string): number | undefined => (s === 'na' || s === '' ? undefined : Number.isFinite(Number(s)) ? Number(s) : undefined);
/** Thermal-margin sensors report distance to the limit (negative numbers), not a temperature. */
const MARGIN = /margin/i;

/**
 * `ipmitool sensor`: SXKR-005 temperatures with the BMC's own limits — `high` is the upper
 * critical threshold (ucr) and `low` the lower critical (lcr), when the BMC publishes them —
 * and SXKR-004 fan readings (RPM) with their state. Rows without a reading (`na`) are left out
 * for temperatures and are `absent` fans. Discrete sensors (hex states) are not interpreted here;
 * `ipmitool sdr elist` words them.
 */
export function parseIpmiSensor(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const seen = new Map<string, number>();
  for (const row of readSensor(text)) {
    const n = (seen.get(row.name) ?? 0) + 1;
    seen.set(row.name, n);
    const component = n > 1 ? `${row.name} (#${n})` : row.name;
    const value = num(row.value);
    if (/degrees C/i.test(row.unit)) {
      if (value === undefined || MARGIN.test(row.name)) continue;
      const high = num(row.thresholds.ucr);
      const low = num(row.thresholds.lcr);
      const limits =
        high !== undefined || low !== undefined
          ? { ...(high !== undefined ? { high } : {}), ...(low !== undefined ? { low } : {}), source: 'ipmitool sensor (ucr/lcr columns)' }
          : undefined;
      result.measurements.push(
        measurement(ctx, 'SXKR-005', component, 'temperature', value, {
          unit: '°C',
          kind: temperatureKind(row.name),
          status: ipmiStatus(row.status),
          limits,
          detail: `status ${row.status}; thresholds lcr ${row.thresholds.lcr}, unc ${row.thresholds.unc}, ucr ${row.thresholds.ucr}`,
        }),
      );
    } else if (/^RPM$/i.test(row.unit) || (/fan/i.test(row.name) && /percent/i.test(row.unit))) {
      const status = value === undefined ? 'absent' : ipmiStatus(row.status);
      result.measurements.push(
        measurement(ctx, 'SXKR-004', component, 'fan.state', value === undefined ? 'no reading' : `${value} ${row.unit}`, {
          status,
          detail: `status ${row.status}; lower critical ${row.thresholds.lcr}`,
        }),
      );
    }
  }
  return result;
}
