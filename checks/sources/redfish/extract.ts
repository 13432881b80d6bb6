/*
 * Redfish resources → measurements. Pure: each function takes the JSON a controller answered and
 * `{ command, at }` (the URL it came from and when) and returns measurements and gaps. The BMC's
 * own judgement (`Status.Health`) and its own thresholds (`UpperThresholdCritical`, `Thresholds.
 * UpperCritical`) are carried as they are; nothing is invented. An empty bay (`State: Absent`) is
 * reported as absent, which the checks treat as normal.
 */
import type { ComponentStatus, Measurement, Severity } from '../../../schemas/index.js';
import { emptyResult, gap, measurement, round1, temperatureKind, type ParseContext, type ParseResult } from '../parsers/index.js';
import type { Json } from './client.js';

const OFF_STATES = new Set(['Absent', 'Disabled', 'StandbyOffline', 'UnavailableOffline']);

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}
function arr(v: unknown): Json[] {
  return Array.isArray(v) ? (v.map(obj).filter(Boolean) as Json[]) : [];
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** The value at a dotted path (`Oem.Hpe.Repaired`). */
export function at(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const key of path.split('.')) cur = obj(cur)?.[key];
  return cur;
}

/** `Status` → our state: Absent is absent; Health OK/Warning/Critical is ok/warning/fault. */
export function redfishStatus(status: unknown): { status: ComponentStatus; text: string } {
  const s = obj(status);
  const state = str(s?.State);
  const health = str(s?.Health);
  if (state === 'Absent') return { status: 'absent', text: 'Absent' };
  const text = [health, state].filter(Boolean).join(', ') || 'no Status';
  if (health === 'OK') return { status: 'ok', text };
  if (health === 'Warning') return { status: 'warning', text };
  if (health === 'Critical') return { status: 'fault', text };
  return { status: 'unknown', text };
}

/** Component names must be unique within a check: a repeated name gets its member id. */
function namer(): (name: string, memberId?: string) => string {
  const seen = new Map<string, number>();
  return (name, memberId) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} #${memberId ?? n}`;
  };
}

function inventoryDetail(m: Json, statusText: string): string {
  const parts = [`Status ${statusText}`];
  for (const k of ['Model', 'SerialNumber', 'PartNumber', 'FirmwareVersion'] as const) {
    const v = str(m[k]);
    if (v) parts.push(`${k} ${v}`);
  }
  return parts.join('; ');
}

function stateMeasurement(ctx: ParseContext, check: 'SXKR-003' | 'SXKR-004', component: string, metric: string, member: Json, extra: { status?: ComponentStatus; why?: string } = {}): Measurement {
  const st = redfishStatus(member.Status);
  let status = st.status;
  if (extra.status && extra.status !== status && status !== 'absent') status = rank(extra.status) > rank(status) ? extra.status : status;
  const detail = [inventoryDetail(member, st.text), extra.why].filter(Boolean).join('; ');
  return measurement(ctx, check, component, metric, st.text, { status, detail });
}

function rank(s: ComponentStatus): number {
  return { absent: 0, ok: 1, unknown: 2, warning: 3, fault: 4 }[s];
}

/** Redundancy groups: lost redundancy is a fault of the group even when every member says OK. */
function redundancy(ctx: ParseContext, out: ParseResult, groups: Json[], what: string, metric: string): void {
  const name = namer();
  for (const g of groups) {
    const st = redfishStatus(g.Status);
    // A group the BMC does not judge (no Health, e.g. `Disabled` for an unused pair) says nothing.
    if (st.status === 'unknown' || st.status === 'absent') continue;
    out.measurements.push(measurement(ctx, 'SXKR-004', name(str(g.Name) ?? `${what} redundancy`, str(g.MemberId)), metric, st.text, { status: st.status, detail: `redundancy ${str(g.Mode) ?? str(g.RedundancyType) ?? ''}`.trim() }));
  }
}

/** Legacy `Chassis/{id}/Power`: PowerSupplies[] and Redundancy[]. */
export function extractPower(power: Json, ctx: ParseContext): ParseResult {
  const out = emptyResult();
  const name = namer();
  const psus = arr(power.PowerSupplies);
  for (const [i, p] of psus.entries()) {
    out.measurements.push(stateMeasurement(ctx, 'SXKR-004', name(str(p.Name) ?? `Power Supply ${i + 1}`, str(p.MemberId)), 'psu.state', p));
  }
  redundancy(ctx, out, arr(power.Redundancy), 'power supply', 'psu.state');
  if (psus.length === 0) out.gaps.push(gap(ctx, 'SXKR-004', 'the BMC lists no power supplies in Power'));
  return out;
}

/** One PowerSupply resource of `PowerSubsystem/PowerSupplies`. */
export function extractPowerSupply(p: Json, ctx: ParseContext, name = namer()): Measurement {
  return stateMeasurement(ctx, 'SXKR-004', name(str(p.Name) ?? str(p.Id) ?? 'Power Supply'), 'psu.state', p);
}

/** `PowerSubsystem`: its PowerSupplyRedundancy groups. */
export function extractPowerSubsystem(ps: Json, ctx: ParseContext): ParseResult {
  const out = emptyResult();
  redundancy(ctx, out, arr(ps.PowerSupplyRedundancy), 'power supply', 'psu.state');
  return out;
}

/** A fan below the BMC's own lower critical limit is a fault even if the BMC still says OK. */
function fanReading(f: Json): { text?: string; low?: boolean } {
  const speed = obj(f.SpeedPercent);
  const reading = num(f.Reading) ?? num(speed?.Reading);
  if (reading === undefined) return {};
  const units = str(f.ReadingUnits) ?? (speed ? '%' : '');
  const rpm = num(speed?.SpeedRPM);
  const text = `${reading} ${units === 'Percent' ? '%' : units}`.trim() + (rpm !== undefined ? ` (${rpm} RPM)` : '');
  const crit = num(f.LowerThresholdCritical);
  const fatal = num(f.LowerThresholdFatal);
  const low = (crit !== undefined && reading < crit) || (fatal !== undefined && reading <= fatal);
  return { text, low };
}

function fanMeasurement(f: Json, ctx: ParseContext, component: string): Measurement {
  const st = redfishStatus(f.Status);
  const r = fanReading(f);
  let status = st.status;
  let why: string | undefined;
  if (r.low && status !== 'absent') {
    status = 'fault';
    why = `reading ${r.text} below the BMC's lower limit (${num(f.LowerThresholdCritical) ?? num(f.LowerThresholdFatal)})`;
  }
  const value = status === 'absent' ? 'Absent' : r.text ? `${st.text}, ${r.text}` : st.text;
  return measurement(ctx, 'SXKR-004', component, 'fan.state', value, { status, detail: [inventoryDetail(f, st.text), why].filter(Boolean).join('; ') });
}

/** One Fan resource of `ThermalSubsystem/Fans`. */
export function extractFan(f: Json, ctx: ParseContext, name = namer()): Measurement {
  return fanMeasurement(f, ctx, name(str(f.Name) ?? str(f.Id) ?? 'Fan'));
}

/** `ThermalSubsystem`: its FanRedundancy groups. */
export function extractThermalSubsystem(ts: Json, ctx: ParseContext): ParseResult {
  const out = emptyResult();
  redundancy(ctx, out, arr(ts.FanRedundancy), 'fan', 'fan.state');
  return out;
}

const CONTEXT_KIND: Record<string, string> = {
  CPU: 'cpu', Intake: 'inlet', Room: 'inlet', Exhaust: 'outlet', SystemBoard: 'board', Memory: 'board', VoltageRegulator: 'board',
  PowerSupply: 'psu', StorageDevice: 'disk', Chassis: 'chassis', Backplane: 'board', GPU: 'board', NetworkingDevice: 'board',
};

function kindOf(t: Json, name: string): string {
  const ctxKind = CONTEXT_KIND[str(t.PhysicalContext) ?? ''];
  return ctxKind ?? temperatureKind(name);
}

/** A temperature with the BMC's own limits; a sensor that is off (CPU socket empty) is skipped. */
function temperature(t: Json, ctx: ParseContext, component: string, reading: number | undefined, high: number | undefined, low: number | undefined, limitSource: string, out: ParseResult): void {
  const st = redfishStatus(t.Status);
  const state = str(obj(t.Status)?.State);
  if (reading === undefined) {
    if (state && OFF_STATES.has(state)) return;
    out.gaps.push(gap(ctx, 'SXKR-005', `the BMC gives no reading for ${component} (${st.text})`, component));
    return;
  }
  const limits = high !== undefined || low !== undefined ? { ...(high !== undefined ? { high } : {}), ...(low !== undefined ? { low } : {}), source: limitSource } : undefined;
  out.measurements.push(
    measurement(ctx, 'SXKR-005', component, 'temperature', round1(reading), {
      unit: '°C',
      kind: kindOf(t, component),
      ...(limits ? { limits } : {}),
      ...(st.status === 'warning' || st.status === 'fault' ? { status: st.status } : {}),
      detail: `Status ${st.text}`,
    }),
  );
}

/** Legacy `Chassis/{id}/Thermal`: Temperatures[], Fans[], Redundancy[]. */
export function extractThermal(thermal: Json, ctx: ParseContext): ParseResult {
  const out = emptyResult();
  const tname = namer();
  const temps = arr(thermal.Temperatures);
  for (const [i, t] of temps.entries()) {
    const component = tname(str(t.Name) ?? `Temperature ${i + 1}`, str(t.MemberId));
    // The critical limit is the one the BMC alarms on; fatal is where it shuts down.
    const high = num(t.UpperThresholdCritical) ?? num(t.UpperThresholdFatal);
    const low = num(t.LowerThresholdCritical) ?? num(t.LowerThresholdFatal);
    const which = num(t.UpperThresholdCritical) !== undefined ? 'UpperThresholdCritical' : 'UpperThresholdFatal';
    temperature(t, ctx, component, num(t.ReadingCelsius), high, low, `${ctx.command} Temperatures/${i} ${which}`, out);
  }
  if (temps.length === 0) out.gaps.push(gap(ctx, 'SXKR-005', 'the BMC lists no temperatures in Thermal'));
  const fname = namer();
  const fans = arr(thermal.Fans);
  for (const [i, f] of fans.entries()) out.measurements.push(fanMeasurement(f, ctx, fname(str(f.Name) ?? str(f.FanName) ?? `Fan ${i + 1}`, str(f.MemberId))));
  redundancy(ctx, out, arr(thermal.Redundancy), 'fan', 'fan.state');
  if (fans.length === 0) out.gaps.push(gap(ctx, 'SXKR-004', 'the BMC lists no fans in Thermal'));
  return out;
}

/** A Sensor resource (`Chassis/{id}/Sensors/{id}`) when it is a temperature; others are ignored. */
export function isTemperatureSensor(s: Json): boolean {
  return str(s.ReadingType) === 'Temperature' || str(s.ReadingUnits) === 'Cel';
}

export function extractTemperatureSensor(s: Json, ctx: ParseContext, out: ParseResult, name = namer()): void {
  const th = obj(s.Thresholds);
  const upper = num(obj(th?.UpperCritical)?.Reading) ?? num(obj(th?.UpperFatal)?.Reading);
  const lower = num(obj(th?.LowerCritical)?.Reading) ?? num(obj(th?.LowerFatal)?.Reading);
  const which = num(obj(th?.UpperCritical)?.Reading) !== undefined ? 'Thresholds.UpperCritical' : 'Thresholds.UpperFatal';
  temperature(s, ctx, name(str(s.Name) ?? str(s.Id) ?? 'Temperature'), num(s.Reading), upper, lower, `${ctx.command} ${which}`, out);
}

/** Processors, memory modules, drives and storage controllers: one SXKR-003 state each. */
export function extractModule(kind: 'processor' | 'memory' | 'drive' | 'storage controller', m: Json, ctx: ParseContext): Measurement {
  const label =
    kind === 'processor'
      ? str(m.Socket) ?? str(m.Id) ?? str(m.Name)
      : kind === 'memory'
        ? str(m.DeviceLocator) ?? str(m.Name) ?? str(m.Id)
        : str(m.Name) ?? str(m.Id);
  return stateMeasurement(ctx, 'SXKR-003', `${kind} ${label ?? '?'}`, 'module.state', m);
}

/** SimpleStorage: the controller and its inline Devices[]. */
export function extractSimpleStorage(s: Json, ctx: ParseContext): ParseResult {
  const out = emptyResult();
  out.measurements.push(stateMeasurement(ctx, 'SXKR-003', `storage controller ${str(s.Name) ?? str(s.Id) ?? '?'}`, 'module.state', s));
  const name = namer();
  for (const d of arr(s.Devices)) out.measurements.push(stateMeasurement(ctx, 'SXKR-003', name(`drive ${str(d.Name) ?? '?'}`), 'module.state', d));
  return out;
}

const SEVERITY: Record<string, Severity> = { Critical: 'critical', Warning: 'warning', OK: 'info' };

export interface LogReadOptions {
  since?: Date;
  /** Dotted paths that mark an entry repaired (profile `logs.repairedFlags`). */
  repairedFlags?: string[];
}

/**
 * One log service's entries → `log.scanned` (entries since `since`) and a `log.entry` per entry
 * of severity warning or worse that is not marked repaired.
 */
export function extractLogEntries(service: string, entries: Json[], ctx: ParseContext, opts: LogReadOptions = {}): ParseResult {
  const out = emptyResult();
  let scanned = 0;
  let repaired = 0;
  for (const e of entries) {
    const created = str(e.Created);
    const t = created ? Date.parse(created) : NaN;
    if (opts.since && Number.isFinite(t) && t < opts.since.getTime()) continue;
    scanned++;
    const severity = SEVERITY[str(e.Severity) ?? str(e.EntrySeverity) ?? ''] ?? 'info';
    if (severity !== 'critical' && severity !== 'warning') continue;
    if ((opts.repairedFlags ?? []).some((p) => at(e, p) === true)) {
      repaired++;
      continue;
    }
    const message = str(e.Message) ?? str(e.EntryCode) ?? str(e.MessageId) ?? '(no message)';
    out.measurements.push(
      measurement(ctx, 'SXKR-006', `${service} ${str(e.Id) ?? ''}`.trim(), 'log.entry', message, {
        severity,
        at: Number.isFinite(t) ? new Date(t).toISOString() : ctx.at,
        detail: [str(e.EntryType), str(e.MessageId), str(e.SensorType), Number.isFinite(t) ? undefined : `time not given by the BMC: ${created ?? '(none)'}`]
          .filter(Boolean)
          .join('; '),
      }),
    );
  }
  out.measurements.unshift(
    measurement(ctx, 'SXKR-006', service, 'log.scanned', scanned, repaired ? { detail: `${repaired} warning or critical entries marked repaired by the vendor's log` } : {}),
  );
  return out;
}
