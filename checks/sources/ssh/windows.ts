/**
 * The Windows command set (OpenSSH server, PowerShell 5.1+) and its parsers. Every query prints
 * JSON (`ConvertTo-Json`) built from invariant fields — numbers, enum names, ISO 8601 round-trip
 * times in UTC — never a table or list view, whose headers, dates and decimal separators follow
 * the machine's language. Windows cannot run here: the parsers are tested on Microsoft's and
 * administrators' published values in this JSON form, from machines in several languages
 * (testcases/win-*, sources in SOURCE.md).
 */
import type { DeviceIdentity, Severity } from '../../../schemas/index.js';
import { emptyResult, gap, measurement, round1, type ParseContext, type ParseResult } from '../parsers/types.js';
import { addRequired, emptyCollection, runChecked, type OsCollection, type OsContext } from './os-context.js';

/**
 * Every script: output in UTF-8 where the session has a console to set it on (a session without
 * one refuses, harmlessly), then errors stop it (non-zero exit → a gap), no progress bars.
 */
const PREAMBLE = "try { [Console]::OutputEncoding = [Text.Encoding]::UTF8 } catch { }; $ErrorActionPreference='Stop'; $ProgressPreference='SilentlyContinue'; ";

/**
 * A PowerShell script as one command line. `-EncodedCommand` (UTF-16LE, base64) reads the same
 * whether the server's default shell is cmd.exe or PowerShell: no quoting rules in between.
 */
export function psCommand(script: string): { command: string; shown: string } {
  const full = PREAMBLE + script;
  return {
    command: `powershell -NoProfile -NonInteractive -EncodedCommand ${Buffer.from(full, 'utf16le').toString('base64')}`,
    shown: `powershell -Command "${script}"`,
  };
}

/** A quoted PowerShell string literal. */
const psString = (s: string) => `'${s.replace(/'/g, "''")}'`;

type Json = Record<string, unknown>;

/** The JSON a query printed, or a reason why it is not JSON of the expected shape. */
function readJson(text: string): { value: unknown } | { error: string } {
  const body = text.replace(/^\uFEFF/, '').trim();
  try {
    return { value: JSON.parse(body) };
  } catch {
    return { error: `output is not the JSON the query prints (starts "${body.slice(0, 60)}")` };
  }
}

function readArray(text: string, ctx: ParseContext, check: Parameters<typeof gap>[1], result: ParseResult, component?: string): Json[] | undefined {
  const json = readJson(text);
  if ('error' in json) {
    result.gaps.push(gap(ctx, check, json.error, component));
    return undefined;
  }
  const list = Array.isArray(json.value) ? json.value : [json.value];
  return list.filter((x): x is Json => typeof x === 'object' && x !== null);
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/**
 * A time as PowerShell serialises it: ISO 8601 (our `ToString('o')` projection, with its offset)
 * or Windows PowerShell 5.1's `\/Date(ms)\/` (milliseconds since the epoch, UTC). Both name one
 * instant whatever the machine's language; nothing month- or day-first is ever parsed.
 */
export function psTime(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(v.trim());
  if (ms) return new Date(Number(ms[1])).toISOString();
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v.trim())) return undefined;
  const t = Date.parse(v.trim());
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

// ---------- identity ----------

export const IDENTITY_SCRIPT =
  '$os = Get-CimInstance Win32_OperatingSystem; $cs = Get-CimInstance Win32_ComputerSystem; $bios = Get-CimInstance Win32_BIOS; ' +
  'ConvertTo-Json -Compress -InputObject @{ Caption = $os.Caption; Version = $os.Version; Manufacturer = $cs.Manufacturer; Model = $cs.Model; ' +
  'SerialNumber = $bios.SerialNumber; BiosVersion = $bios.SMBIOSBIOSVersion; UtcOffsetMinutes = [int][TimeZoneInfo]::Local.GetUtcOffset([DateTime]::Now).TotalMinutes }';

/** Identity and the host's UTC offset (minutes east), from the identity query's JSON. */
export function parseWinIdentity(text: string): { identity: Partial<DeviceIdentity>; utcOffsetMinutes?: number } | { error: string } {
  const json = readJson(text);
  if ('error' in json) return json;
  const o = (json.value ?? {}) as Json;
  const identity: Partial<DeviceIdentity> = {};
  const caption = str(o.Caption);
  const version = str(o.Version);
  if (caption) identity.os = [caption, str(o.BiosVersion) ? `BIOS ${str(o.BiosVersion)}` : ''].filter(Boolean).join(', ');
  if (version) identity.version = version;
  const vendor = str(o.Manufacturer);
  const model = str(o.Model);
  const serial = str(o.SerialNumber);
  const placeholder = /^(to be filled by o\.e\.m\.|default string|system serial number|none|0+)$/i;
  if (vendor && !placeholder.test(vendor)) identity.vendor = vendor;
  if (model && !placeholder.test(model)) identity.model = model;
  if (serial && !placeholder.test(serial)) identity.serial = serial;
  const offset = num(o.UtcOffsetMinutes);
  return { identity, ...(offset !== undefined ? { utcOffsetMinutes: offset } : {}) };
}

// ---------- SXKR-001 ----------

/** One `PercentProcessorTime` of `_Total` per second: class names are not translated, counter paths are. */
export function cpuScript(samples: number): string {
  return (
    `$s = foreach ($i in 1..${samples}) { (Get-CimInstance Win32_PerfFormattedData_PerfOS_Processor -Filter "Name='_Total'").PercentProcessorTime; ` +
    `if ($i -lt ${samples}) { Start-Sleep -Seconds 1 } }; ConvertTo-Json -Compress -InputObject @($s)`
  );
}

/** `[12, 30, 7]`: busy % per sample → avg and max (as measured; the counter is 0–100). */
export function parseWinCpu(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const json = readJson(text);
  const samples = 'error' in json ? [] : (Array.isArray(json.value) ? json.value : [json.value]).map(num).filter((n): n is number => n !== undefined);
  if (samples.length === 0) {
    result.gaps.push(gap(ctx, 'SXKR-001', 'error' in json ? json.error : 'no processor samples in the output'));
    return result;
  }
  const avg = samples.reduce((a, b) => a + b, 0) / samples.length;
  const detail = `${samples.length} sample(s) of Win32_PerfFormattedData_PerfOS_Processor _Total`;
  result.measurements.push(
    measurement(ctx, 'SXKR-001', 'CPU', 'cpu.avg', round1(avg), { unit: '%', detail }),
    measurement(ctx, 'SXKR-001', 'CPU', 'cpu.max', round1(Math.max(...samples)), { unit: '%', detail }),
  );
  return result;
}

// ---------- SXKR-002 ----------

export const MEMORY_SCRIPT =
  '$os = Get-CimInstance Win32_OperatingSystem; $pf = @(Get-CimInstance Win32_PageFileUsage); ' +
  'ConvertTo-Json -Compress -Depth 3 -InputObject @{ TotalVisibleMemorySize = $os.TotalVisibleMemorySize; FreePhysicalMemory = $os.FreePhysicalMemory; ' +
  'PageFiles = @($pf | ForEach-Object { @{ Name = $_.Name; AllocatedBaseSize = $_.AllocatedBaseSize; CurrentUsage = $_.CurrentUsage } }) }';

/**
 * Win32_OperatingSystem (kB): used = 1 − free / visible (FreePhysicalMemory counts standby cache
 * pages as available, so the file cache is excluded); page files (MB) shown beside it as swap.
 */
export function parseWinMemory(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const json = readJson(text);
  const o = ('error' in json ? {} : (json.value ?? {})) as Json;
  const total = num(o.TotalVisibleMemorySize);
  const free = num(o.FreePhysicalMemory);
  if (!(total !== undefined && total > 0) || free === undefined) {
    result.gaps.push(gap(ctx, 'SXKR-002', 'error' in json ? json.error : 'no TotalVisibleMemorySize/FreePhysicalMemory in the output'));
    return result;
  }
  result.measurements.push(measurement(ctx, 'SXKR-002', 'system', 'memory.used', round1(((total - free) / total) * 100), { unit: '%', detail: `${total - free} of ${total} kB in use` }));
  const files = (Array.isArray(o.PageFiles) ? o.PageFiles : []) as Json[];
  const size = files.reduce((a, f) => a + (num(f.AllocatedBaseSize) ?? 0), 0);
  const used = files.reduce((a, f) => a + (num(f.CurrentUsage) ?? 0), 0);
  if (size > 0) {
    result.measurements.push(measurement(ctx, 'SXKR-002', 'system', 'swap.used', round1((used / size) * 100), { unit: '%', detail: `page files ${used} of ${size} MB` }));
  }
  return result;
}

// ---------- SXKR-003 ----------

export const DISKS_SCRIPT =
  'ConvertTo-Json -Compress -Depth 3 -InputObject @(Get-PhysicalDisk | ForEach-Object { $r = $_ | Get-StorageReliabilityCounter -ErrorAction SilentlyContinue; ' +
  '@{ DeviceId = $_.DeviceId; FriendlyName = $_.FriendlyName; SerialNumber = $_.SerialNumber; MediaType = [string]$_.MediaType; ' +
  'HealthStatus = [string]$_.HealthStatus; OperationalStatus = @($_.OperationalStatus | ForEach-Object { [string]$_ }); ' +
  'Temperature = $r.Temperature; TemperatureMax = $r.TemperatureMax; ReadErrorsUncorrected = $r.ReadErrorsUncorrected; WriteErrorsUncorrected = $r.WriteErrorsUncorrected; Wear = $r.Wear } })';

/** MSFT_PhysicalDisk / MSFT_Volume HealthStatus: the enum's name, or its number where a cast was lost. */
const HEALTH: Record<string, 'ok' | 'warning' | 'fault' | 'unknown'> = {
  healthy: 'ok', '0': 'ok',
  warning: 'warning', '1': 'warning',
  unhealthy: 'fault', '2': 'fault',
  unknown: 'unknown', '5': 'unknown',
};

/**
 * Get-PhysicalDisk with its reliability counters: SXKR-003 health per disk (uncorrected read or
 * write errors make it a fault whatever the health says), SXKR-005 the drive's temperature with
 * its own maximum as the limit. No disk listed → a gap (Storage module missing, or no rights).
 */
export function parseWinDisks(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const disks = readArray(text, ctx, 'SXKR-003', result, 'disks');
  if (!disks) return result;
  if (disks.length === 0) {
    result.gaps.push(gap(ctx, 'SXKR-003', 'Get-PhysicalDisk listed no disk', 'disks'));
    return result;
  }
  for (const d of disks) {
    const name = str(d.FriendlyName) ?? 'disk';
    const component = `disk ${str(d.DeviceId) ?? '?'} ${name}`;
    const health = str(d.HealthStatus) ?? 'unknown';
    let status = HEALTH[health.toLowerCase()] ?? 'unknown';
    const operational = Array.isArray(d.OperationalStatus) ? d.OperationalStatus.map(str).filter(Boolean).join(', ') : str(d.OperationalStatus);
    const uncorrected = (num(d.ReadErrorsUncorrected) ?? 0) + (num(d.WriteErrorsUncorrected) ?? 0);
    const notes = [operational ? `operational: ${operational}` : '', str(d.MediaType) ? `media ${str(d.MediaType)}` : '', str(d.SerialNumber) ? `serial ${str(d.SerialNumber)}` : ''];
    if (uncorrected > 0) {
      status = 'fault';
      notes.push(`${uncorrected} uncorrected read/write error(s)`);
    }
    const wear = num(d.Wear);
    if (wear !== undefined && wear > 0) notes.push(`wear ${wear} %`);
    result.measurements.push(measurement(ctx, 'SXKR-003', component, 'module.state', health, { status, detail: notes.filter(Boolean).join(', ') }));
    const temp = num(d.Temperature);
    const max = num(d.TemperatureMax);
    if (temp !== undefined && temp > 0) {
      result.measurements.push(
        measurement(ctx, 'SXKR-005', component, 'temperature', temp, {
          unit: '°C',
          kind: 'disk',
          limits: max !== undefined && max > 0 ? { high: max, source: 'Get-StorageReliabilityCounter: TemperatureMax' } : undefined,
        }),
      );
    }
  }
  return result;
}

export const VOLUMES_SCRIPT =
  "ConvertTo-Json -Compress -Depth 3 -InputObject @(Get-Volume | Where-Object { [string]$_.DriveType -eq 'Fixed' -and $_.Size -gt 0 } | ForEach-Object { " +
  '@{ DriveLetter = [string]$_.DriveLetter; FileSystemLabel = $_.FileSystemLabel; FileSystem = $_.FileSystem; HealthStatus = [string]$_.HealthStatus; Size = $_.Size; SizeRemaining = $_.SizeRemaining } })';

/** Get-Volume (fixed volumes): `fs.used` per volume, and its health when it is not Healthy. */
export function parseWinVolumes(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const volumes = readArray(text, ctx, 'SXKR-003', result, 'volumes');
  if (!volumes) return result;
  if (volumes.length === 0) {
    result.gaps.push(gap(ctx, 'SXKR-003', 'Get-Volume listed no fixed volume', 'volumes'));
    return result;
  }
  for (const v of volumes) {
    const letter = str(v.DriveLetter);
    const label = str(v.FileSystemLabel);
    const component = letter ? `${letter}:` : `volume ${label ?? '(no label)'}`;
    const size = num(v.Size);
    const remaining = num(v.SizeRemaining);
    if (size !== undefined && size > 0 && remaining !== undefined) {
      const detail = [label, str(v.FileSystem), `${Math.round((size - remaining) / 2 ** 30)} of ${Math.round(size / 2 ** 30)} GiB`].filter(Boolean).join(', ');
      result.measurements.push(measurement(ctx, 'SXKR-003', component, 'fs.used', round1(((size - remaining) / size) * 100), { unit: '%', detail }));
    } else {
      result.gaps.push(gap(ctx, 'SXKR-003', 'Get-Volume gave no Size/SizeRemaining', component));
    }
    const health = str(v.HealthStatus);
    const status = health ? HEALTH[health.toLowerCase()] : undefined;
    if (health && status !== 'ok') {
      result.measurements.push(measurement(ctx, 'SXKR-003', letter ? `volume ${component}` : component, 'module.state', health, { status: status ?? 'unknown', detail: 'Get-Volume HealthStatus' }));
    }
  }
  return result;
}

export function servicesScript(names: string[]): string {
  return (
    `ConvertTo-Json -Compress -Depth 3 -InputObject @(foreach ($n in @(${names.map(psString).join(',')})) { $s = Get-Service -Name $n -ErrorAction SilentlyContinue; ` +
    "if ($s) { @{ Name = $s.Name; DisplayName = $s.DisplayName; Status = [string]$s.Status } } else { @{ Name = $n; Status = 'NotFound' } } })"
  );
}

/** One row per required service: Running ok, pending states warning, anything else (Stopped, NotFound) a fault. */
export function parseWinServices(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const services = readArray(text, ctx, 'SXKR-003', result, 'services');
  if (!services) return result;
  for (const s of services) {
    const name = str(s.Name);
    if (!name) continue;
    const state = str(s.Status) ?? 'unknown';
    const status = state === 'Running' || state === '4' ? 'ok' : /Pending$/.test(state) ? 'warning' : 'fault';
    const display = str(s.DisplayName);
    result.measurements.push(
      measurement(ctx, 'SXKR-003', `service ${name}`, 'module.state', state === 'NotFound' ? 'not installed' : state, { status, ...(display ? { detail: display } : {}) }),
    );
  }
  return result;
}

// ---------- SXKR-006 ----------

/**
 * The System log's critical, error and warning entries since `since`. The time filter is in the
 * query (an instant in UTC, parsed invariantly), so what comes back is trusted as new; "no events"
 * is recognised by its error id, not its translated message.
 */
export function eventsScript(since: Date): string {
  return (
    `$since = [DateTime]::Parse(${psString(since.toISOString())}, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::RoundtripKind); ` +
    "try { $ev = @(Get-WinEvent -FilterHashtable @{ LogName = 'System'; Level = 1,2,3; StartTime = $since } -MaxEvents 5000 -ErrorAction Stop) } " +
    "catch { if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*') { $ev = @() } else { throw } }; " +
    "ConvertTo-Json -Compress -Depth 2 -InputObject @($ev | ForEach-Object { @{ TimeCreated = $_.TimeCreated.ToUniversalTime().ToString('o'); Id = $_.Id; Level = $_.Level; ProviderName = $_.ProviderName; Message = $_.Message } })"
  );
}

/** Windows event levels (the number, never the translated LevelDisplayName). */
const LEVELS: Record<number, Severity> = { 1: 'critical', 2: 'error', 3: 'warning', 4: 'info', 0: 'info', 5: 'debug' };

/** Events as JSON (our projection, or a whole `Get-WinEvent | ConvertTo-Json`): `log.scanned` + one `log.entry` each. */
export function parseWinEvents(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const events = readArray(text, ctx, 'SXKR-006', result);
  if (!events) return result;
  let scanned = 0;
  for (const e of events) {
    const level = num(e.Level);
    const at = psTime(e.TimeCreated);
    if (level === undefined || !at) {
      result.gaps.push(gap(ctx, 'SXKR-006', `an event without a readable Level or TimeCreated (${JSON.stringify(e).slice(0, 120)})`));
      continue;
    }
    scanned++;
    const message = (str(e.Message) ?? '(no message)').split(/\r?\n/)[0]!;
    result.measurements.push(
      measurement(ctx, 'SXKR-006', str(e.ProviderName) ?? 'System', 'log.entry', message, { severity: LEVELS[level] ?? 'info', at, detail: `event ${str(e.Id) ?? '?'}` }),
    );
  }
  result.measurements.unshift(measurement(ctx, 'SXKR-006', 'System log', 'log.scanned', scanned));
  return result;
}

/** Parsers by name, for the golden test cases. */
export const PARSERS: Record<string, (text: string, ctx: ParseContext) => ParseResult> = {
  'win-cpu': parseWinCpu,
  'win-memory': parseWinMemory,
  'win-disks': parseWinDisks,
  'win-volumes': parseWinVolumes,
  'win-services': parseWinServices,
  'win-events': parseWinEvents,
};

export async function collectWindows(ctx: OsContext): Promise<OsCollection> {
  const out = emptyCollection();
  const samples = Math.max(2, Math.round(ctx.windowMs / 1000));
  const cpu = psCommand(cpuScript(samples));
  const sampling = runChecked(ctx, out, ['SXKR-001'], cpu.command, { shown: cpu.shown, timeoutMs: ctx.windowMs + 30_000 }).then((r) => {
    if (r) addRequired(out, parseWinCpu(r.result.stdout, r.parse), ['SXKR-001'], r);
  });

  const id = psCommand(IDENTITY_SCRIPT);
  const idRun = await runChecked(ctx, out, [], id.command, { shown: id.shown });
  const parsedId = idRun ? parseWinIdentity(idRun.result.stdout) : undefined;
  if (parsedId && !('error' in parsedId)) Object.assign(out.identity, parsedId.identity);

  const queries: [string, Parameters<typeof addRequired>[2], (t: string, c: ParseContext) => ParseResult, string?][] = [
    [MEMORY_SCRIPT, ['SXKR-002'], parseWinMemory],
    [DISKS_SCRIPT, ['SXKR-003'], parseWinDisks, 'disks'],
    [VOLUMES_SCRIPT, ['SXKR-003'], parseWinVolumes, 'volumes'],
    ...(ctx.requiredServices.length > 0 ? [[servicesScript(ctx.requiredServices), ['SXKR-003'], parseWinServices, 'services'] as (typeof queries)[number]] : []),
    [eventsScript(ctx.logSince), ['SXKR-006'], parseWinEvents],
  ];
  await Promise.all(
    queries.map(async ([script, checks, parse, component]) => {
      const q = psCommand(script);
      const r = await runChecked(ctx, out, checks, q.command, { shown: q.shown, timeoutMs: 60_000, ...(component ? { component } : {}) });
      if (r) addRequired(out, parse(r.result.stdout, r.parse), checks, r, component);
    }),
  );
  const hw = 'Windows exposes PSU and fan sensors only through the vendor agent or the BMC (iLO/iDRAC/IMM), not over SSH';
  out.gaps.push({ check: 'SXKR-004', reason: hw });
  if (!out.measurements.some((m) => m.check === 'SXKR-005')) {
    out.gaps.push({ check: 'SXKR-005', reason: `${hw}; no disk reported a temperature (Get-StorageReliabilityCounter)` });
  }
  await sampling;
  return out;
}
