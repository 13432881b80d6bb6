/**
 * The AIX command set and its parsers. AIX cannot run here, so each parser is tested on real
 * output published by IBM and AIX administrators (testcases/aix-*, sources in SOURCE.md).
 */
import type { Severity } from '../../../schemas/index.js';
import { emptyResult, gap, lines, measurement, round1, type ParseContext, type ParseResult } from '../parsers/types.js';
import { addRequired, emptyCollection, offsetMinutes, runChecked, type OsCollection, type OsContext } from './os-context.js';

/**
 * `vmstat <interval> <count>`: one line per interval; busy % = us + sy (wa is idle time spent
 * waiting for I/O, counted as idle like Linux iowait). avg over the lines, max of the lines.
 */
export function parseAixVmstat(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  let header: string[] | undefined;
  const busy: number[] = [];
  for (const line of lines(text)) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'r' && fields.includes('us') && fields.includes('id')) {
      header = fields;
      continue;
    }
    if (!header || fields.length < header.length - 2 || !fields.every((f) => /^-?[\d.]+$/.test(f))) continue;
    // `sy` appears twice (faults: system calls; cpu: system time): the cpu one follows `us`.
    const us = header.indexOf('us');
    const sy = header.indexOf('sy', us);
    const u = Number(fields[us]);
    const s = Number(fields[sy]);
    // As printed: us + sy of one interval cannot pass 100, and a clamp would hide a broken line.
    if (Number.isFinite(u) && Number.isFinite(s)) busy.push(u + s);
  }
  if (busy.length === 0) {
    result.gaps.push(gap(ctx, 'SXKR-001', 'vmstat printed no CPU lines'));
    return result;
  }
  const avg = busy.reduce((a, b) => a + b, 0) / busy.length;
  const detail = `${busy.length} vmstat interval(s), busy = us + sy`;
  result.measurements.push(
    measurement(ctx, 'SXKR-001', 'CPU', 'cpu.avg', round1(avg), { unit: '%', detail }),
    measurement(ctx, 'SXKR-001', 'CPU', 'cpu.max', round1(Math.max(...busy)), { unit: '%', detail }),
  );
  return result;
}

/**
 * `svmon -G` (4 KB pages): memory in use excluding file cache = `virtual` (computational pages,
 * vmstat's avm) / `size`; swap = `pg space` inuse / size, shown beside it. Computational pages
 * above real memory (over-commit: the excess lives in paging space) give more than 100 %, the
 * worst memory state there is: reported as measured, with that reason.
 */
export function parseSvmonG(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  let columns: string[] | undefined;
  for (const line of lines(text)) {
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'size' && fields.includes('virtual')) {
      columns = fields;
      continue;
    }
    if (fields[0] === 'memory' && columns) {
      const size = Number(fields[1 + columns.indexOf('size')]);
      const virtual = Number(fields[1 + columns.indexOf('virtual')]);
      if (size > 0 && Number.isFinite(virtual)) {
        const over = virtual > size ? ': computational pages exceed real memory (over-committed, the excess is in paging space)' : '';
        result.measurements.push(
          measurement(ctx, 'SXKR-002', 'system', 'memory.used', round1((virtual / size) * 100), {
            unit: '%',
            detail: `virtual ${virtual} of ${size} 4 KB pages (file cache excluded)${over}`,
          }),
        );
      }
    }
    if (fields[0] === 'pg' && fields[1] === 'space') {
      const size = Number(fields[2]);
      const inuse = Number(fields[3]);
      if (size > 0 && Number.isFinite(inuse)) {
        result.measurements.push(
          measurement(ctx, 'SXKR-002', 'system', 'swap.used', round1((inuse / size) * 100), { unit: '%', detail: `paging space ${inuse} of ${size} 4 KB pages` }),
        );
      }
    }
  }
  if (!result.measurements.some((m) => m.metric === 'memory.used')) result.gaps.push(gap(ctx, 'SXKR-002', 'svmon -G printed no memory line (svmon needs root)'));
  return result;
}

/**
 * `lsdev -Cc disk` / `lsdev -Cc adapter`: `name state location description`. A disk that is only
 * Defined is missing or failed; an adapter that is Defined is configured without hardware behind
 * it, which is common (e.g. the SSA router pseudo-device) and shown as absent.
 */
export function parseLsdev(text: string, ctx: ParseContext, devClass: 'disk' | 'adapter'): ParseResult {
  const result = emptyResult();
  for (const line of lines(text)) {
    const m = /^(\S+)\s+(Available|Defined|Stopped)\s+(\S+\s+)?(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, name, state, location, description] = m;
    const hasLocation = location && /^[\w.-]*\d[\w.-]*\s+$/.test(location);
    const desc = `${hasLocation ? '' : location ?? ''}${description ?? ''}`.trim();
    const status = state === 'Available' ? 'ok' : devClass === 'disk' || state === 'Stopped' ? 'fault' : 'absent';
    result.measurements.push(
      measurement(ctx, 'SXKR-003', `${devClass} ${name}`, 'module.state', state!, {
        status,
        detail: [desc, hasLocation ? `location ${location!.trim()}` : ''].filter(Boolean).join(', '),
      }),
    );
  }
  return result;
}

/**
 * `lsvg -p VG` and `lsvg -l VG` (concatenated, each headed `vg:`): a physical volume not active
 * (missing, removed) or a logical volume with stale partitions is a fault.
 */
export function parseLsvg(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  let vg = '';
  let mode: 'pv' | 'lv' | undefined;
  for (const raw of lines(text)) {
    const line = raw.trim();
    if (/^\S+:$/.test(line)) {
      vg = line.slice(0, -1);
      mode = undefined;
      continue;
    }
    if (/^PV_NAME\s+PV STATE/.test(line)) {
      mode = 'pv';
      continue;
    }
    if (/^LV NAME\s+TYPE/.test(line)) {
      mode = 'lv';
      continue;
    }
    const f = line.split(/\s+/);
    if (mode === 'pv' && f.length >= 2) {
      const state = f[1]!;
      result.measurements.push(
        measurement(ctx, 'SXKR-003', `pv ${vg}/${f[0]}`, 'module.state', state, { status: state === 'active' ? 'ok' : 'fault' }),
      );
    } else if (mode === 'lv' && f.length >= 7) {
      const [name, type, , , , state, mount] = f;
      const stale = /stale/i.test(state!);
      result.measurements.push(
        measurement(ctx, 'SXKR-003', `lv ${vg}/${name}`, 'module.state', state!, {
          status: stale ? 'fault' : /syncd/i.test(state!) ? 'ok' : 'unknown',
          detail: `${type}${mount && mount !== 'N/A' ? ` on ${mount}` : ''}${stale ? ': mirror copies out of date (stale partitions)' : ''}`,
        }),
      );
    }
  }
  return result;
}

/** AIX `df` (`-k` or 512-byte blocks): `%Used` per mount point. */
export function parseAixDf(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  for (const line of lines(text)) {
    const f = line.trim().split(/\s+/);
    if (f[0] === 'Filesystem' || f.length < 7) continue;
    const used = /^(\d+)%$/.exec(f[3] ?? '');
    const mount = f.slice(6).join(' ');
    if (!used || !mount.startsWith('/') || mount === '/proc') continue;
    result.measurements.push(measurement(ctx, 'SXKR-003', mount, 'fs.used', Number(used[1]), { unit: '%', detail: `${f[0]}` }));
  }
  return result;
}

/**
 * errpt entries → severity. Only hardware (H) and software (S) classes, and U (undetermined), are
 * failures; O (operator notices, errlogger) is information. Within them the type decides:
 * P permanent → error (critical for hardware), T temporary and U unknown → warning, I → info.
 */
export function errptSeverity(type: string, cls: string): Severity {
  if (cls === 'O' || type === 'I') return 'info';
  if (type === 'P') return cls === 'H' ? 'critical' : 'error';
  return 'warning';
}

/** `MMDDhhmmYY` in the host's local time (`date +%z` gives its offset) → ISO. */
export function errptTime(stamp: string, utcOffsetMinutes: number): string | undefined {
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/.exec(stamp);
  if (!m) return undefined;
  const yy = Number(m[5]);
  const year = yy >= 70 ? 1900 + yy : 2000 + yy;
  const ms = Date.UTC(year, Number(m[1]) - 1, Number(m[2]), Number(m[3]), Number(m[4])) - utcOffsetMinutes * 60_000;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const ERRPT_HEADER = /^IDENTIFIER\s+TIMESTAMP\s+T\s+C\s+RESOURCE_NAME\s+DESCRIPTION/;

export interface ErrptOptions {
  utcOffsetMinutes?: number;
  /** The plain form lists everything: keep only entries from this time on (their own timestamps). */
  since?: Date;
}

/**
 * `errpt` summary (`-s MMDDhhmmYY` or plain): `log.scanned` = entries in range, one SXKR-006
 * `log.entry` per entry, and each permanent hardware error (type P, class H) also as an SXKR-003
 * fault of its resource: a disk or adapter that failed since the last inspection. Output without
 * errpt's header is not errpt's answer: a gap.
 */
export function parseErrpt(text: string, ctx: ParseContext, opts: ErrptOptions = {}): ParseResult {
  const result = emptyResult();
  const all = lines(text);
  if (text.trim() && !all.some((l) => ERRPT_HEADER.test(l.trim()))) {
    result.gaps.push(gap(ctx, 'SXKR-006', 'errpt output has no IDENTIFIER TIMESTAMP header: not an error report'));
    return result;
  }
  let scanned = 0;
  for (const line of all) {
    const m = /^([0-9A-Z]{8})\s+(\d{10})\s+([PTIU])\s+([HSOU])\s+(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, id, stamp, type, cls, resource, description] = m;
    const at = errptTime(stamp!, opts.utcOffsetMinutes ?? 0);
    if (opts.since && at && at < opts.since.toISOString()) continue;
    scanned++;
    result.measurements.push(
      measurement(ctx, 'SXKR-006', resource!, 'log.entry', description!.trim(), {
        severity: errptSeverity(type!, cls!),
        at: at ?? ctx.at,
        detail: `errpt ${id} type ${type} class ${cls}`,
      }),
    );
    if (type === 'P' && cls === 'H') {
      result.measurements.push(
        measurement(ctx, 'SXKR-003', `${resource} (errpt)`, 'module.state', 'permanent hardware error', {
          status: 'fault',
          detail: `${description!.trim()} at ${at ?? stamp}, errpt ${id}`,
        }),
      );
    }
  }
  result.measurements.unshift(measurement(ctx, 'SXKR-006', 'errpt', 'log.scanned', scanned));
  return result;
}

export { offsetMinutes } from './os-context.js';

function errptStamp(d: Date, offsetMin: number): string {
  const local = new Date(d.getTime() + offsetMin * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}${p(local.getUTCHours())}${p(local.getUTCMinutes())}${p(local.getUTCFullYear() % 100)}`;
}

/** `lsps -s`: total paging space and percent used → SXKR-002 `paging.used` of `paging space`. */
export function parseLsps(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const m = /^\s*(\d+)\s*([MG])B\s+(\d+)%\s*$/m.exec(text);
  if (!m) {
    result.gaps.push(gap(ctx, 'SXKR-002', 'lsps -s printed no "size MB  percent %" line', 'paging space'));
    return result;
  }
  result.measurements.push(measurement(ctx, 'SXKR-002', 'paging space', 'paging.used', Number(m[3]), { unit: '%', detail: `of ${m[1]} ${m[2]}B paging space` }));
  return result;
}

/**
 * `lspv`: `hdisk0 00c8b12f8c2d3e4f rootvg active`. A disk in a volume group whose group is not
 * varied on shows no state: a warning; a disk in no group (`None`) is not in use and not judged.
 */
export function parseLspv(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  for (const line of lines(text)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || !/^hdisk\d+$|^\w+\d+$/.test(f[0]!) || !/^([0-9a-f]{16}|none)$/i.test(f[1]!)) continue;
    const [name, pvid, vg, state] = f;
    if (vg === 'None') {
      result.measurements.push(measurement(ctx, 'SXKR-003', `pv ${name}`, 'module.state', 'not in a volume group', { status: 'absent', detail: `PVID ${pvid}` }));
      continue;
    }
    const ok = state === 'active' || state === 'concurrent';
    result.measurements.push(
      measurement(ctx, 'SXKR-003', `pv ${name}`, 'module.state', state ?? 'inactive', {
        status: ok ? 'ok' : 'warning',
        detail: `in ${vg}${ok ? '' : ': its volume group is not varied on'}`,
      }),
    );
  }
  return result;
}

/** Identity read from `lsattr -El sys0` (modelname, systemid, fwversion) or from `prtconf`. */
export interface AixSystem {
  model?: string;
  serial?: string;
  firmware?: string;
}

/**
 * `lsattr -El sys0 -a modelname -a systemid -a fwversion` or `prtconf`. The system id is `IBM,`
 * + a two-digit plant code + the machine serial (`IBM,0110ACFDE` → 10ACFDE), as prtconf's
 * "Machine Serial Number" shows it.
 */
export function parseAixSystem(text: string): AixSystem {
  const out: AixSystem = {};
  for (const raw of lines(text)) {
    const line = raw.trim();
    const attr = /^(modelname|systemid|fwversion)\s+(\S+(?: \([^)]*\))?)/.exec(line);
    if (attr) {
      const v = attr[2]!;
      if (attr[1] === 'modelname') out.model = v.replace(/^IBM,/, '');
      if (attr[1] === 'systemid') out.serial = v.replace(/^IBM,\d\d/, '');
      if (attr[1] === 'fwversion') out.firmware = v.replace(/^IBM,/, '');
      continue;
    }
    const conf = /^(System Model|Machine Serial Number|Firmware Version|Platform Firmware level):\s*(\S.*)$/.exec(line);
    if (conf) {
      const v = conf[2]!.trim();
      if (conf[1] === 'System Model') out.model ??= v.replace(/^IBM,/, '');
      else if (conf[1] === 'Machine Serial Number') out.serial ??= v;
      else out.firmware ??= v.replace(/^IBM,/, '');
    }
  }
  return out;
}

/** Model, serial, firmware, OS level and the host's UTC offset; each from its own framed command. */
async function identity(ctx: OsContext, out: OsCollection): Promise<number | undefined> {
  out.identity.vendor = 'IBM';
  const [machine, level, zone, sys0] = await Promise.all([
    runChecked(ctx, out, [], 'uname -M'),
    runChecked(ctx, out, [], 'oslevel -s'),
    runChecked(ctx, out, ['SXKR-006'], 'date +%z', { component: 'entry times' }),
    runChecked(ctx, out, [], 'lsattr -El sys0 -a modelname -a systemid -a fwversion'),
  ]);
  const model = machine?.result.stdout.trim();
  if (model && /^IBM,/.test(model)) out.identity.model = model.replace(/^IBM,/, '');
  const os = level?.result.stdout.trim();
  if (os && /^\d{4}-\d\d/.test(os)) {
    out.identity.os = `AIX ${os}`;
    out.identity.version = os;
  }
  let system = sys0 ? parseAixSystem(sys0.result.stdout) : {};
  if (!system.serial) {
    const conf = await runChecked(ctx, out, [], 'prtconf', { timeoutMs: 120_000 });
    if (conf) system = { ...parseAixSystem(conf.result.stdout), ...system };
  }
  if (system.model) out.identity.model ??= system.model;
  if (system.serial) out.identity.serial = system.serial;
  if (system.firmware) out.identity.os = `${out.identity.os ?? 'AIX'}, firmware ${system.firmware}`;
  if (!zone) return undefined;
  const offset = offsetMinutes(zone.result.stdout);
  if (offset === undefined) {
    out.gaps.push({ check: 'SXKR-006', component: 'entry times', command: 'date +%z', reason: `date +%z printed "${zone.result.stdout.trim().slice(0, 40)}", not a UTC offset: errpt times cannot be placed` });
  }
  return offset;
}

async function memory(ctx: OsContext, out: OsCollection): Promise<void> {
  const [svmon, lsps] = await Promise.all([runChecked(ctx, out, ['SXKR-002'], 'svmon -G'), runChecked(ctx, out, ['SXKR-002'], 'lsps -s', { component: 'paging space' })]);
  if (svmon) addRequired(out, parseSvmonG(svmon.result.stdout, svmon.parse), ['SXKR-002'], svmon);
  if (lsps) addRequired(out, parseLsps(lsps.result.stdout, lsps.parse), ['SXKR-002'], lsps, 'paging space');
}

async function modules(ctx: OsContext, out: OsCollection): Promise<void> {
  const [disk, adapter, pv, online, df] = await Promise.all([
    runChecked(ctx, out, ['SXKR-003'], 'lsdev -Cc disk', { component: 'disks' }),
    runChecked(ctx, out, ['SXKR-003'], 'lsdev -Cc adapter', { component: 'adapters' }),
    runChecked(ctx, out, ['SXKR-003'], 'lspv', { component: 'physical volumes' }),
    runChecked(ctx, out, ['SXKR-003'], 'lsvg -o', { component: 'volume groups' }),
    runChecked(ctx, out, ['SXKR-003'], 'df -k', { component: 'file systems' }),
  ]);
  if (disk) addRequired(out, parseLsdev(disk.result.stdout, disk.parse, 'disk'), ['SXKR-003'], disk, 'disks');
  if (adapter) addRequired(out, parseLsdev(adapter.result.stdout, adapter.parse, 'adapter'), ['SXKR-003'], adapter, 'adapters');
  if (pv) addRequired(out, parseLspv(pv.result.stdout, pv.parse), ['SXKR-003'], pv, 'physical volumes');
  if (df) addRequired(out, parseAixDf(df.result.stdout, df.parse), ['SXKR-003'], df, 'file systems');
  if (!online) return;
  const groups = online.result.stdout.split('\n').map((l) => l.trim()).filter((l) => /^[\w.-]+$/.test(l));
  if (groups.length === 0) {
    addRequired(out, emptyResult(), ['SXKR-003'], online, 'volume groups');
    return;
  }
  // One framed command per group and form: a failure names its group; a missing one is not lost.
  const forms = groups.flatMap((vg) => ['-p', '-l'].map((flag) => ({ vg, command: `lsvg ${flag} ${vg}` })));
  const runs = await Promise.all(forms.map((f) => runChecked(ctx, out, ['SXKR-003'], f.command, { component: `vg ${f.vg}` })));
  runs.forEach((r, i) => {
    if (r) addRequired(out, parseLsvg(r.result.stdout, r.parse), ['SXKR-003'], r, `vg ${forms[i]!.vg}`);
  });
}

/**
 * errpt since the last inspection: the dated form first; when it fails (an old errpt, a locale's
 * date format), the plain form filtered by the entries' own timestamps.
 */
async function errorLog(ctx: OsContext, out: OsCollection, offset: number | undefined): Promise<void> {
  const dated = `errpt -s ${errptStamp(ctx.logSince, offset ?? 0)}`;
  const scratch = emptyCollection();
  const d = await runChecked(ctx, scratch, ['SXKR-006'], dated, { emptyIsAnswer: true, timeoutMs: 60_000 });
  if (d) {
    const parsed = parseErrpt(d.result.stdout, d.parse, { utcOffsetMinutes: offset ?? 0 });
    if (parsed.gaps.length === 0) {
      addRequired(out, parsed, ['SXKR-006'], d);
      return;
    }
    scratch.gaps.push(...parsed.gaps);
  }
  const p = await runChecked(ctx, out, ['SXKR-006'], 'errpt', { emptyIsAnswer: true, timeoutMs: 60_000 });
  if (!p) {
    out.gaps.push(...scratch.gaps);
    return;
  }
  addRequired(out, parseErrpt(p.result.stdout, p.parse, { utcOffsetMinutes: offset ?? 0, since: ctx.logSince }), ['SXKR-006'], p);
}

export async function collectAix(ctx: OsContext): Promise<OsCollection> {
  const out = emptyCollection();
  const interval = Math.max(1, Math.round(ctx.windowMs / 1000 / 5));
  const count = Math.max(2, Math.round(ctx.windowMs / 1000 / interval));
  const vmstat = `vmstat ${interval} ${count}`;
  const sampling = runChecked({ ...ctx, session: ctx.direct ?? ctx.session }, out, ['SXKR-001'], vmstat, { timeoutMs: ctx.windowMs + 30_000 }).then((r) => {
    if (r) addRequired(out, parseAixVmstat(r.result.stdout, r.parse), ['SXKR-001'], r);
  });
  const offset = await identity(ctx, out);
  await Promise.all([memory(ctx, out), modules(ctx, out), errorLog(ctx, out, offset)]);

  const why = 'on IBM Power systems PSU, fan and temperature sensors belong to the service processor (HMC/ASMI) and are not readable from AIX over SSH; their failures appear in errpt (SXKR-006)';
  out.gaps.push({ check: 'SXKR-004', reason: why }, { check: 'SXKR-005', reason: why });
  await sampling;
  return out;
}
