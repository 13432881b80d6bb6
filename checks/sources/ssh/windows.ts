/**
 * The Windows command set (OpenSSH server, PowerShell) and its parsers. Windows cannot run here,
 * so each parser is tested on output published in Microsoft's documentation and by
 * administrators (testcases/win-*, sources in SOURCE.md). The commands print PowerShell's
 * default table/list views, exactly the format those fixtures show.
 */
import type { Severity } from '../../../schemas/index.js';
import { emptyResult, gap, lines, measurement, round1, type ParseContext, type ParseResult } from '../parsers/types.js';
import { addParsed, emptyCollection, firstError, runFor, type OsCollection, type OsContext } from './os-context.js';

/** `powershell -NoProfile -Command "<script>"`; the script uses single quotes only. */
export function ps(script: string): string {
  return `powershell -NoProfile -NonInteractive -Command "${script}"`;
}

/** `Get-Counter '\Processor(_Total)\% Processor Time' -SampleInterval n -MaxSamples m` (table view). */
export function parseGetCounter(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const samples: number[] = [];
  let expectValue = false;
  for (const line of lines(text)) {
    if (/processor\(_total\)\\% processor time\s*:\s*$/i.test(line)) {
      expectValue = true;
      continue;
    }
    const inline = /processor\(_total\)\\% processor time\s*:\s*([\d.]+)\s*$/i.exec(line);
    if (inline) samples.push(Number(inline[1]));
    else if (expectValue && /^\s+[\d.]+\s*$/.test(line)) samples.push(Number(line.trim()));
    expectValue = false;
  }
  if (samples.length === 0) {
    result.gaps.push(gap(ctx, 'SXKR-001', 'Get-Counter returned no processor samples'));
    return result;
  }
  const avg = samples.reduce((a, b) => a + b, 0) / samples.length;
  const detail = `${samples.length} sample(s) of \\Processor(_Total)\\% Processor Time`;
  result.measurements.push(
    measurement(ctx, 'SXKR-001', 'CPU', 'cpu.avg', round1(Math.min(100, avg)), { unit: '%', detail }),
    measurement(ctx, 'SXKR-001', 'CPU', 'cpu.max', round1(Math.min(100, Math.max(...samples))), { unit: '%', detail }),
  );
  return result;
}

/** `Get-CimInstance Win32_OperatingSystem | Format-List Total*Memory*, Free*` (kB): used = 1 − free / visible. */
export function parseWin32OperatingSystem(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const fields = new Map<string, string>();
  for (const line of lines(text)) {
    const m = /^(\w+)\s*:\s*(.*)$/.exec(line.trim());
    if (m) fields.set(m[1]!, m[2]!.trim());
  }
  const total = Number(fields.get('TotalVisibleMemorySize'));
  const free = Number(fields.get('FreePhysicalMemory'));
  if (!(total > 0) || !Number.isFinite(free)) {
    result.gaps.push(gap(ctx, 'SXKR-002', 'Win32_OperatingSystem gave no TotalVisibleMemorySize/FreePhysicalMemory'));
    return result;
  }
  // FreePhysicalMemory counts standby (cache) pages as available, so this excludes the file cache.
  result.measurements.push(
    measurement(ctx, 'SXKR-002', 'system', 'memory.used', round1(((total - free) / total) * 100), {
      unit: '%',
      detail: `${total - free} of ${total} kB in use`,
    }),
  );
  return result;
}

/** `Get-Service -Name a,b` (table view): each listed service must be Running. */
export function parseGetService(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  for (const line of lines(text)) {
    const m = /^(Running|Stopped|StartPending|StopPending|Paused|PausePending|ContinuePending)\s+(\S+)\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, status, name, display] = m;
    result.measurements.push(
      measurement(ctx, 'SXKR-003', `service ${name}`, 'module.state', status!, {
        status: status === 'Running' ? 'ok' : 'fault',
        ...(display?.trim() ? { detail: display.trim() } : {}),
      }),
    );
  }
  return result;
}

const LEVELS: Record<string, Severity> = {
  Critical: 'critical',
  Error: 'error',
  Warning: 'warning',
  Information: 'info',
  Verbose: 'debug',
};

/** `M/d/yyyy h:mm:ss AM|PM` or 24-hour, in the host's local time → ISO. */
export function windowsTime(text: string, utcOffsetMinutes: number): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d\d):(\d\d)(?: ?(AM|PM))?$/.exec(text.trim());
  if (!m) return undefined;
  let hour = Number(m[4]);
  if (m[7] === 'PM' && hour < 12) hour += 12;
  if (m[7] === 'AM' && hour === 12) hour = 0;
  const ms = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), hour, Number(m[5]), Number(m[6])) - utcOffsetMinutes * 60_000;
  return new Date(ms).toISOString();
}

/**
 * `Get-WinEvent -FilterHashtable @{LogName='System'; Level=1,2,3; StartTime=…}` (table view,
 * grouped by ProviderName): `log.scanned` = entries listed, one `log.entry` per entry.
 */
export function parseGetWinEvent(text: string, ctx: ParseContext, opts: { utcOffsetMinutes?: number } = {}): ParseResult {
  const result = emptyResult();
  let provider = 'System';
  let scanned = 0;
  for (const line of lines(text)) {
    const p = /^\s*ProviderName:\s*(.+?)\s*$/.exec(line);
    if (p) {
      provider = p[1]!;
      continue;
    }
    const m = /^(\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d\d:\d\d(?: ?[AP]M)?)\s+(\d+)\s+(Critical|Error|Warning|Information|Verbose)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    scanned++;
    const [, time, id, level, message] = m;
    const at = windowsTime(time!, opts.utcOffsetMinutes ?? 0);
    result.measurements.push(
      measurement(ctx, 'SXKR-006', provider, 'log.entry', message!.trim() || '(no message)', {
        severity: LEVELS[level!]!,
        at: at ?? ctx.at,
        detail: `event ${id}${at ? '' : `, logged ${time}`}`,
      }),
    );
  }
  result.measurements.unshift(measurement(ctx, 'SXKR-006', 'System log', 'log.scanned', scanned));
  return result;
}

/** Parsers by name, for the golden test cases. */
export const PARSERS: Record<string, (text: string, ctx: ParseContext) => ParseResult> = {
  'get-counter': parseGetCounter,
  'win32-os': parseWin32OperatingSystem,
  'get-service': parseGetService,
  'get-winevent': (t, c) => parseGetWinEvent(t, c),
};

function psDate(d: Date): string {
  return d.toISOString();
}

export async function collectWindows(ctx: OsContext): Promise<OsCollection> {
  const out = emptyCollection();
  const samples = Math.max(2, Math.round(ctx.windowMs / 1000));
  const cpuCmd = ps(`Get-Counter '\\Processor(_Total)\\% Processor Time' -SampleInterval 1 -MaxSamples ${samples}`);
  const sampling = runFor(ctx, out, ['SXKR-001'], cpuCmd, { timeoutMs: ctx.windowMs + 30_000 }).then((r) => {
    if (r) addParsed(out, parseGetCounter(r.result.stdout, r.parse));
  });

  const id = await runFor(ctx, out, [], ps("(Get-CimInstance Win32_OperatingSystem).Caption; (Get-CimInstance Win32_OperatingSystem).Version; (Get-Date).ToString('zzz')"));
  let offset = 0;
  if (id) {
    const [caption, version, zone] = id.result.stdout.split(/\r?\n/);
    if (caption?.trim()) out.identity.os = caption.trim();
    if (version?.trim()) out.identity.version = version.trim();
    const z = /^([+-])(\d\d):(\d\d)$/.exec(zone?.trim() ?? '');
    if (z) offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }

  const mem = await runFor(ctx, out, ['SXKR-002'], ps('Get-CimInstance -Class Win32_OperatingSystem | Format-List Total*Memory*, Free*'));
  if (mem) addParsed(out, parseWin32OperatingSystem(mem.result.stdout, mem.parse));

  if (ctx.requiredServices.length > 0) {
    const names = ctx.requiredServices.map((s) => `'${s.replace(/'/g, "''")}'`).join(',');
    const svc = await runFor(ctx, out, ['SXKR-003'], ps(`Get-Service -Name ${names}`));
    if (svc) addParsed(out, parseGetService(svc.result.stdout, svc.parse));
  }
  out.gaps.push({ check: 'SXKR-003', component: 'disks and volumes', reason: 'Windows disk and volume health is not collected over SSH yet (services only)' });
  const hw = 'Windows exposes PSU, fan and temperature sensors only through the vendor agent or the BMC (iLO/iDRAC/IMM), not over SSH';
  out.gaps.push({ check: 'SXKR-004', reason: hw }, { check: 'SXKR-005', reason: hw });

  const evCmd = ps(`Get-WinEvent -FilterHashtable @{LogName='System'; Level=1,2,3; StartTime=[datetime]'${psDate(ctx.logSince)}'}`);
  const ev = await runFor(ctx, out, ['SXKR-006'], evCmd, { timeoutMs: 60_000 });
  if (ev) {
    if (ev.result.code !== 0 && /No events were found/i.test(ev.result.stderr)) addParsed(out, parseGetWinEvent('', ev.parse));
    else if (ev.result.code !== 0 && !ev.result.stdout.trim()) out.gaps.push({ check: 'SXKR-006', reason: `Get-WinEvent: ${firstError(ev.result)}`, command: evCmd });
    else addParsed(out, parseGetWinEvent(ev.result.stdout, ev.parse, { utcOffsetMinutes: offset }));
  }
  await sampling;
  return out;
}
