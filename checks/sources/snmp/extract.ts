/**
 * Turns what was walked into measurements, following the profile. Pure: no I/O, no clock.
 *
 * CPU (SXKR-001), per CPU, core or forwarding processor:
 *   average = the device's own 5-minute value (cpmCPUTotal5minRev, cpmCore5min, QFP interval 3)
 *             read at the end of the window; where the MIB has none (Comware, HOST-RESOURCES),
 *             the mean of the samples.
 *   maximum = the largest of the short-term values (cpmCPUTotal5secRev, cpmCore5sec, QFP 5 s,
 *             hh3cEntityExtCpuUsage, hrProcessorLoad) sampled `samples` times evenly across the
 *             window, and of the average itself (a 5-minute mean cannot exceed its own peak).
 */
import type {
  CheckId,
  ComponentStatus,
  Gap,
  Measurement,
  Severity,
  SnmpColumn,
  SnmpCpuSource,
  SnmpStatusMap,
  SnmpTemperatureSource,
  SnmpUsageSource,
} from '../../../schemas/index.js';
import type { ResolvedProfile } from './profiles.js';
import type { SnmpValue } from './session.js';
import { renderLabel } from './template.js';
import { ENT_PHYSICAL_CLASS, cell, num, rows, type Walked } from './walked.js';

export interface SystemFacts {
  sysDescr: string;
  sysObjectID: string;
  sysName?: string;
  /** sysUpTime in hundredths of a second, read with the walk. */
  sysUpTime?: number;
}

export interface ExtractInput {
  profile: ResolvedProfile;
  walked: Walked;
  /** The sample columns read at each sampling instant across the window (the full walk is one of them). */
  samples: Walked[];
  sys: SystemFacts;
  /** ISO time of the end of the window: every measurement's `at`. */
  at: string;
  windowMs: number;
  /** When the log was read last; entries before it are not reported. */
  logSince?: Date;
  /** Why the profile was chosen, when that is not plain detection: said where a check found nothing. */
  profileNote?: string;
}

export interface Inventory {
  vendor?: string;
  model?: string;
  serial?: string;
  version?: string;
  os?: string;
}

export interface Extracted {
  measurements: Measurement[];
  gaps: Gap[];
  inventory: Inventory;
}

interface Row {
  key: string;
  value: SnmpValue;
  column: SnmpColumn;
  /** The full index as walked (key plus the column's suffix). */
  index: string;
}

/** `cpmCPUTotal5minRev.1 (1.3.6.1.4.1.9.9.109.1.1.1.1.8.1)`: the form's 检查命令 for one object. */
export function commandFor(column: SnmpColumn, index: string): string {
  return `${column.name}.${index} (${column.oid}.${index})`;
}

/** Per row key, the first of `columns` that has a value. */
function columnRows(walked: Walked, columns: SnmpColumn[] | undefined): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const column of columns ?? []) {
    for (const [index, value] of rows(walked, column.oid)) {
      let key = index;
      if (column.suffix) {
        if (!index.endsWith(`.${column.suffix}`)) continue;
        key = index.slice(0, -(column.suffix.length + 1));
      }
      if (!out.has(key)) out.set(key, { key, value, column, index });
    }
  }
  return out;
}

type Selection = { where?: { oid: string; in: (number | string)[]; at?: 'i0' }[]; entityClass?: number[]; skipValues?: number[] };

function selected(s: Selection, key: string, value: SnmpValue | undefined, walked: Walked): boolean {
  const first = key.split('.')[0]!;
  for (const w of s.where ?? []) {
    const v = cell(walked, w.oid, w.at === 'i0' ? first : key);
    if (v === undefined || !w.in.map(String).includes(String(v))) return false;
  }
  if (s.entityClass) {
    const cls = num(cell(walked, ENT_PHYSICAL_CLASS, first));
    if (cls === undefined || !s.entityClass.includes(cls)) return false;
  }
  if (s.skipValues && value !== undefined && s.skipValues.includes(num(value) ?? NaN)) return false;
  return true;
}

export function statusOf(raw: number | undefined, map: SnmpStatusMap): ComponentStatus {
  if (raw === undefined) return 'unknown';
  for (const status of ['ok', 'warning', 'fault', 'absent', 'unknown'] as const) if (map[status]?.includes(raw)) return status;
  return 'unknown';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const round2 = (n: number) => Math.round(n * 100) / 100;

const SEVERITY_RANK: Record<Severity, number> = { emergency: 0, alert: 1, critical: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 };

export function extract(input: ExtractInput): Extracted {
  const { profile, walked, at } = input;
  const measurements: Measurement[] = [];
  const gaps: Gap[] = [];
  const usedLabels = new Map<string, Set<string>>();

  /** Component names unique per metric: a second `Fan 1` becomes `Fan 1 (index 7)`. */
  const uniqueLabel = (metric: string, label: string, key: string) => {
    const seen = usedLabels.get(metric) ?? new Set<string>();
    usedLabels.set(metric, seen);
    let name = label;
    if (seen.has(name)) name = `${label} (index ${key})`.slice(0, 200);
    seen.add(name);
    return name;
  };
  const failures = (check: CheckId, columns: (SnmpColumn | undefined)[]) => {
    for (const c of columns) {
      if (!c) continue;
      const why = walked.failed.get(c.oid);
      if (why) gaps.push({ check, component: c.name, reason: `walk of ${c.name} (${c.oid}) failed: ${why}`, command: `${c.name} (${c.oid})` });
    }
  };

  // SXKR-001 CPU
  const cpuKeys = new Map<string, Set<string>>();
  for (const s of profile.cpu ?? []) {
    const keys = new Set([...columnRows(walked, s.average).keys(), ...columnRows(walked, s.sample).keys()]);
    cpuKeys.set(s.name, keys);
  }
  let cpuRows = 0;
  for (const s of profile.cpu ?? []) {
    failures('SXKR-001', [...(s.average ?? []), ...(s.sample ?? [])]);
    if (s.fallback && cpuRows > 0) continue;
    cpuRows += extractCpu(s, input, cpuKeys, measurements, uniqueLabel);
  }

  // SXKR-002 memory and swap; SXKR-003 file systems: per metric, the first source with rows wins.
  for (const [check, sources] of [
    ['SXKR-002', profile.memory ?? []],
    ['SXKR-003', profile.filesystems ?? []],
  ] as const) {
    const done = new Set<string>();
    for (const s of sources) {
      const metric = s.metric ?? 'memory.used';
      failures(check, [...(s.percent ?? []), ...(s.used ?? []), ...(s.free ?? []), ...(s.total ?? [])]);
      if (done.has(metric)) continue;
      if (extractUsage(s, check, metric, input, measurements, uniqueLabel) > 0) done.add(metric);
    }
  }

  // SXKR-003 modules and SXKR-004 power, fans, UPS
  for (const s of profile.states ?? []) {
    const check: CheckId = s.metric === 'module.state' ? 'SXKR-003' : 'SXKR-004';
    failures(check, s.state);
    const listed: string[] = [];
    const table = columnRows(walked, s.state);
    for (const row of table.values()) {
      if (!selected(s, row.key, row.value, walked)) continue;
      const raw = num(row.value);
      const status = statusOf(raw, s.status);
      const name = raw !== undefined ? s.enum[String(raw)] : undefined;
      const text = name ? `${name}(${raw})` : String(row.value);
      const label = renderLabel(s.label, row.key, walked);
      if (s.aggregate) {
        if (status !== 'ok' && status !== 'absent') listed.push(label);
        continue;
      }
      measurements.push({
        check,
        component: uniqueLabel(s.metric, label, row.key),
        metric: s.metric,
        value: text,
        status,
        command: commandFor(row.column, row.index),
        at,
      });
    }
    if (s.aggregate && table.size > 0) {
      const shown = listed.slice(0, 100).join(', ');
      const value = listed.length === 0 ? 'none' : `${listed.length}: ${shown}${listed.length > 100 ? ', …' : ''}`;
      measurements.push({
        check,
        component: s.aggregate.component,
        metric: s.metric,
        value: value.slice(0, 4000),
        status: listed.length === 0 ? 'ok' : s.aggregate.status,
        command: s.state.map((c) => `${c.name} (${c.oid})`).join(', ').slice(0, 1000),
        at,
        detail: `${s.name}: ${listed.length} of ${table.size} rows`,
      });
    }
  }

  // SXKR-005 temperature
  for (const s of profile.temperature ?? []) {
    failures('SXKR-005', s.value);
    extractTemperature(s, input, measurements, uniqueLabel);
  }

  // SXKR-006 log
  extractLog(input, measurements, gaps);

  for (const u of profile.unsupported ?? []) gaps.push({ check: u.check as CheckId, reason: u.reason });

  // A check the device answered for but gave nothing is unknown, with what was walked.
  const walkedNames: Record<string, SnmpColumn[]> = {
    'SXKR-001': (profile.cpu ?? []).flatMap((s) => [...(s.average ?? []), ...(s.sample ?? [])]),
    'SXKR-002': (profile.memory ?? []).flatMap((s) => [...(s.percent ?? []), ...(s.used ?? [])]),
    'SXKR-003': [...(profile.states ?? []).filter((s) => s.metric === 'module.state').flatMap((s) => s.state), ...(profile.filesystems ?? []).flatMap((s) => [...(s.percent ?? []), ...(s.used ?? [])])],
    'SXKR-004': (profile.states ?? []).filter((s) => s.metric !== 'module.state').flatMap((s) => s.state),
    'SXKR-005': (profile.temperature ?? []).flatMap((s) => s.value),
  };
  for (const [check, columns] of Object.entries(walkedNames) as [CheckId, SnmpColumn[]][]) {
    if (measurements.some((m) => m.check === check) || gaps.some((g) => g.check === check)) continue;
    const names = [...new Set(columns.map((c) => c.name))];
    gaps.push({
      check,
      reason: names.length
        ? `the device answered but reported none of ${names.join(', ')} (profile ${profile.name}${input.profileNote ? `: ${input.profileNote}` : ''})`
        : `profile ${profile.name} reads nothing for this check`,
      ...(names.length ? { command: columns.map((c) => `${c.name} (${c.oid})`).join(', ').slice(0, 1000) } : {}),
    });
  }

  return { measurements, gaps, inventory: extractInventory(input) };
}

type UniqueLabel = (metric: string, label: string, key: string) => string;

function extractCpu(s: SnmpCpuSource, input: ExtractInput, cpuKeys: Map<string, Set<string>>, out: Measurement[], uniqueLabel: UniqueLabel): number {
  const { walked, at } = input;
  const average = columnRows(walked, s.average);
  const samplePasses = input.samples.map((w) => columnRows(w, s.sample));
  const keys = new Set([...average.keys(), ...samplePasses.flatMap((p) => [...p.keys()])]);
  const covering = s.coveredBy ? cpuKeys.get(s.coveredBy) : undefined;
  const windowS = Math.round(input.windowMs / 1000);
  let count = 0;
  for (const key of [...keys].sort(compareKeys)) {
    if (covering && [...covering].some((k) => k.split('.')[0] === key)) continue;
    const avgRow = average.get(key);
    const sampleRows = samplePasses.map((p) => p.get(key)).filter((r): r is Row => r !== undefined);
    const samples = sampleRows.map((r) => num(r.value)).filter((n): n is number => n !== undefined);
    const avgValue = avgRow ? num(avgRow.value) : undefined;
    // skipValues are judged over all readings below, not on one.
    if (!selected(s, key, undefined, walked)) continue;
    if (s.skipValues && samples.length > 0 && samples.every((v) => s.skipValues!.includes(v)) && (avgValue === undefined || s.skipValues.includes(avgValue))) continue;
    const label = uniqueLabel('cpu', renderLabel(s.label, key, walked), key);
    const sampleCmd = sampleRows[0] ? commandFor(sampleRows[0].column, sampleRows[0].index) : undefined;
    const avg = avgValue ?? (samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : undefined);
    if (avg === undefined) continue;
    const avgCommand = avgRow ? commandFor(avgRow.column, avgRow.index) : `mean of ${plural(samples.length, 'sample')} of ${sampleCmd}${windowS ? ` over ${windowS} s` : ''}`;
    const peakParts = [...samples, ...(avgValue !== undefined ? [avgValue] : [])];
    const max = Math.max(...peakParts);
    const maxCommand = [
      sampleCmd ? `max of ${plural(samples.length, 'sample')} of ${sampleCmd}${windowS ? ` over ${windowS} s` : ''}` : undefined,
      avgRow ? `and ${commandFor(avgRow.column, avgRow.index)}` : undefined,
    ]
      .filter(Boolean)
      .join(' ') || avgCommand;
    out.push({ check: 'SXKR-001', component: label, metric: 'cpu.avg', value: round2(avg), unit: '%', command: avgCommand.slice(0, 1000), at });
    out.push({
      check: 'SXKR-001',
      component: label,
      metric: 'cpu.max',
      value: round2(max),
      unit: '%',
      command: maxCommand.slice(0, 1000),
      at,
      ...(samples.length ? { detail: `samples ${samples.join(', ')} %${avgValue !== undefined ? `; 5-minute average ${avgValue} %` : ''}` } : {}),
    });
    count++;
  }
  return count;
}

function extractUsage(s: SnmpUsageSource, check: CheckId, metric: string, input: ExtractInput, out: Measurement[], uniqueLabel: UniqueLabel): number {
  const { walked, at } = input;
  const percent = columnRows(walked, s.percent);
  const used = columnRows(walked, s.used);
  const free = columnRows(walked, s.free);
  const total = columnRows(walked, s.total);
  const keys = s.percent ? [...percent.keys()] : [...used.keys()];
  let count = 0;
  for (const key of keys.sort(compareKeys)) {
    const p = percent.get(key);
    const u = used.get(key);
    if (!selected(s, key, (p ?? u)?.value, walked)) continue;
    let pct: number | undefined;
    let command: string;
    let detail: string | undefined;
    if (p) {
      pct = num(p.value);
      command = commandFor(p.column, p.index);
    } else {
      const usedN = num(u!.value);
      const f = free.get(key);
      const t = total.get(key);
      const totalN = f ? (usedN ?? NaN) + (num(f.value) ?? NaN) : num(t?.value);
      if (usedN === undefined || totalN === undefined || !Number.isFinite(totalN) || totalN <= 0) continue;
      pct = (usedN / totalN) * 100;
      command = f
        ? `${commandFor(u!.column, u!.index)} / (${u!.column.name} + ${commandFor(f.column, f.index)})`
        : `${commandFor(u!.column, u!.index)} / ${commandFor(t!.column, t!.index)}`;
      detail = `used ${usedN} of ${totalN}${f ? ' (used + free)' : ''}`;
    }
    if (pct === undefined) continue;
    const label = uniqueLabel(metric, renderLabel(s.label, key, walked), key);
    out.push({ check, component: label, metric, value: round2(pct), unit: '%', command: command.slice(0, 1000), at, ...(detail ? { detail } : {}) });
    count++;
  }
  return count;
}

function extractTemperature(s: SnmpTemperatureSource, input: ExtractInput, out: Measurement[], uniqueLabel: UniqueLabel): void {
  const { walked, at } = input;
  const values = columnRows(walked, s.value);
  const highs = columnRows(walked, s.high);
  const lows = columnRows(walked, s.low);
  const ignoreLimits = new Set(s.ignoreLimits ?? []);
  for (const row of [...values.values()].sort((a, b) => compareKeys(a.key, b.key))) {
    if (!selected(s, row.key, row.value, walked)) continue;
    const raw = num(row.value);
    if (raw === undefined) continue;
    let status: ComponentStatus | undefined;
    let stateText = '';
    if (s.state) {
      const sraw = num(cell(walked, s.state.column.oid, row.key));
      if (sraw !== undefined) {
        status = statusOf(sraw, s.state.status);
        if (status === 'absent') continue;
        stateText = `${s.state.column.name} ${s.state.enum[String(sraw)] ?? 'unknown'}(${sraw})`;
      }
    }
    const scale = scaler(s, row.key, walked);
    const value = scale(raw);
    const label = renderLabel(s.label, row.key, walked);
    let high: number | undefined;
    let low: number | undefined;
    const sources: string[] = [];
    const h = highs.get(row.key);
    if (h && num(h.value) !== undefined && !ignoreLimits.has(num(h.value)!)) {
      high = scale(num(h.value)!);
      sources.push(commandFor(h.column, h.index));
    }
    const l = lows.get(row.key);
    if (l && num(l.value) !== undefined && !ignoreLimits.has(num(l.value)!)) {
      low = scale(num(l.value)!);
      sources.push(commandFor(l.column, l.index));
    }
    if (s.thresholds && high === undefined && low === undefined) {
      const t = s.thresholds;
      const ignore = new Set(t.ignoreValues ?? []);
      const prefix = `${row.key}.`;
      // In walk order; when several rows qualify the last wins (usually the critical one).
      for (const [idx, v] of rows(walked, t.value.oid)) {
        if (!idx.startsWith(prefix)) continue;
        const sev = num(cell(walked, t.severity.oid, idx));
        const rel = num(cell(walked, t.relation.oid, idx));
        const thr = num(v);
        if (sev === undefined || rel === undefined || thr === undefined || ignore.has(thr) || !t.limitSeverities.includes(sev)) continue;
        if (t.highRelations.includes(rel)) {
          high = scale(thr);
          sources[0] = commandFor(t.value, idx);
        } else if (t.lowRelations.includes(rel)) {
          low = scale(thr);
          sources[1] = commandFor(t.value, idx);
        }
      }
    }
    const kind = kindOf(s, label);
    const limitSource = sources.filter(Boolean).join(', ');
    out.push({
      check: 'SXKR-005',
      component: uniqueLabel('temperature', label, row.key),
      metric: 'temperature',
      value: Math.round(value * 1000) / 1000,
      unit: '°C',
      kind,
      ...(high !== undefined || low !== undefined
        ? { limits: { ...(high !== undefined ? { high } : {}), ...(low !== undefined ? { low } : {}), source: limitSource.slice(0, 300) } }
        : {}),
      ...(status && status !== 'unknown' ? { status } : {}),
      command: commandFor(row.column, row.index),
      at,
      ...(stateText ? { detail: stateText } : {}),
    });
  }
}

function scaler(s: SnmpTemperatureSource, key: string, walked: Walked): (raw: number) => number {
  const exp = s.exponent ? num(cell(walked, s.exponent.oid, key)) : undefined;
  const prec = s.precision ? num(cell(walked, s.precision.oid, key)) : undefined;
  // ENTITY-SENSOR SI scale: 9 = units, each step is a factor of 1000.
  const factor = (exp !== undefined ? 10 ** (3 * (exp - 9)) : 1) / 10 ** (prec ?? 0) / (s.divisor ?? 1);
  return (raw) => raw * factor;
}

function kindOf(s: SnmpTemperatureSource, label: string): string {
  for (const [re, kind] of s.kinds ?? []) if (new RegExp(re, 'i').test(label)) return kind;
  return s.defaultKind ?? 'other';
}

function extractLog(input: ExtractInput, out: Measurement[], gaps: Gap[]): void {
  const { profile, walked, at, sys } = input;
  const sources = profile.log ?? [];
  if (sources.length === 0) {
    if (!(profile.unsupported ?? []).some((u) => u.check === 'SXKR-006'))
      gaps.push({ check: 'SXKR-006', reason: `profile ${profile.name} reads no error log over SNMP; have the device send syslog to the collector` });
    return;
  }
  const missing: string[] = [];
  for (const s of sources) {
    const probeFailed = walked.failed.get(s.probe.oid) ?? walked.failed.get(s.severity.oid);
    if (probeFailed) {
      gaps.push({ check: 'SXKR-006', reason: `walk of ${s.name} failed: ${probeFailed}`, command: `${s.severity.name} (${s.severity.oid})` });
      return;
    }
    const implemented = rows(walked, s.probe.oid).size > 0 || rows(walked, s.severity.oid).size > 0;
    if (!implemented) {
      missing.push(`${s.name} (${s.probe.name}.0 ${s.probe.oid}.0 has no value)`);
      continue;
    }
    const entries = rows(walked, s.severity.oid);
    const endMs = Date.parse(at);
    const sinceMs = input.logSince?.getTime();
    for (const [index, rawSev] of entries) {
      const severity = s.severities[String(num(rawSev))] as Severity | undefined;
      if (!severity || !(severity in SEVERITY_RANK) || SEVERITY_RANK[severity] > SEVERITY_RANK.error) continue;
      const ticks = num(cell(walked, s.uptime.oid, index));
      // The entry's time: now minus how long before the current sysUpTime it was logged.
      const when = ticks !== undefined && sys.sysUpTime !== undefined ? new Date(endMs - (sys.sysUpTime - ticks) * 10) : undefined;
      if (sinceMs !== undefined && when && when.getTime() < sinceMs) continue;
      out.push({
        check: 'SXKR-006',
        component: `${s.name} ${index}`,
        metric: 'log.entry',
        value: renderLabel(s.text, index, walked).slice(0, 4000),
        severity,
        command: commandFor(s.severity, index),
        at: (when ?? new Date(endMs)).toISOString(),
      });
    }
    out.push({
      check: 'SXKR-006',
      component: s.name,
      metric: 'log.scanned',
      value: entries.size,
      command: `${s.severity.name} (${s.severity.oid})${input.logSince ? ` since ${input.logSince.toISOString()}` : ''}`,
      at,
    });
    return;
  }
  gaps.push({
    check: 'SXKR-006',
    reason: `the device does not implement ${missing.join('; ')}: no error log over SNMP; have it send syslog to the collector`,
    command: sources.map((s) => `${s.probe.name} (${s.probe.oid})`).join(', '),
  });
}

function extractInventory(input: ExtractInput): Inventory {
  const { profile, walked, sys } = input;
  const inv = profile.inventory;
  const out: Inventory = {};
  const firstLine = sys.sysDescr.split(/\r?\n/)[0]?.trim();
  if (firstLine) out.os = firstLine.slice(0, 500);
  if (!inv) return out;
  if (inv.vendor) out.vendor = inv.vendor;
  const chassis = [...rows(walked, ENT_PHYSICAL_CLASS)].filter(([, v]) => num(v) === 3).map(([k]) => k).sort(compareKeys);
  const preferred = [...chassis, ...(inv.entityIndexes ?? []).map(String), '0'];
  const pick = (columns: SnmpColumn[] | undefined): string | undefined => {
    for (const c of columns ?? []) {
      const table = rows(walked, c.oid);
      const order = [...new Set([...preferred, ...[...table.keys()].sort(compareKeys)])];
      for (const idx of order) {
        const v = table.get(idx);
        if (v !== undefined && String(v).trim()) return String(v).trim().slice(0, 200);
      }
    }
    return undefined;
  };
  const fromDescr = (re: string | undefined) => (re ? new RegExp(re).exec(sys.sysDescr)?.[1]?.trim() : undefined);
  const serial = pick(inv.serial);
  const model = pick(inv.model) ?? fromDescr(inv.modelFromDescr) ?? bareModel(sys.sysDescr);
  const version = fromDescr(inv.versionFromDescr) ?? pick(inv.firmware);
  if (serial) out.serial = serial;
  if (model) out.model = model.slice(0, 200);
  if (version) out.version = version.slice(0, 200);
  return out;
}

/**
 * The model when sysDescr is nothing but a model and perhaps a serial (`IE-3400-8T2S FOC2233X0AB`),
 * as industrial and some newer switches answer; a banner naming software is not a model.
 */
function bareModel(sysDescr: string): string | undefined {
  const words = sysDescr.trim().split(/\s+/);
  if (words.length > 2 || /software|version|release|\bos\b/i.test(sysDescr)) return undefined;
  return /^[A-Za-z0-9][A-Za-z0-9+._/-]{2,}$/.test(words[0]!) ? words[0] : undefined;
}

/** Index order: 2 before 10, 7.1 before 7.10. */
export function compareKeys(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return pa.length - pb.length;
}
