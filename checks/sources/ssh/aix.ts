/**
 * The AIX command set and its parsers. AIX cannot run here, so each parser is tested on real
 * output published by IBM and AIX administrators (testcases/aix-*, sources in SOURCE.md).
 */
import type { Severity } from '../../../schemas/index.js';
import { emptyResult, gap, lines, measurement, round1, type ParseContext, type ParseResult } from '../parsers/types.js';
import { addParsed, emptyCollection, firstError, runFor, type OsCollection, type OsContext } from './os-context.js';

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
    if (Number.isFinite(u) && Number.isFinite(s)) busy.push(Math.min(100, u + s));
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
 * vmstat's avm) / `size`; swap = `pg space` inuse / size.
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
        result.measurements.push(
          measurement(ctx, 'SXKR-002', 'system', 'memory.used', round1((virtual / size) * 100), {
            unit: '%',
            detail: `virtual ${virtual} of ${size} 4 KB pages (file cache excluded)`,
          }),
        );
      }
    }
    if (fields[0] === 'pg' && fields[1] === 'space') {
      const size = Number(fields[2]);
      const inuse = Number(fields[3]);
      if (size > 0 && Number.isFinite(inuse)) {
        result.measurements.push(
          measurement(ctx, 'SXKR-002', 'paging space', 'swap.used', round1((inuse / size) * 100), { unit: '%', detail: `${inuse} of ${size} 4 KB pages` }),
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

/** errpt error types → severity: permanent (P: PERM/PEND/PERF) errors count, temporary ones are warnings. */
function errptSeverity(type: string, cls: string): Severity {
  if (type === 'P') return cls === 'H' ? 'critical' : 'error';
  if (type === 'I') return 'info';
  return 'warning'; // T (temporary, recovered) and U (unknown)
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

/** `errpt -s MMDDhhmmYY` summary: `log.scanned` = entries listed, one `log.entry` per entry. */
export function parseErrpt(text: string, ctx: ParseContext, opts: { utcOffsetMinutes?: number } = {}): ParseResult {
  const result = emptyResult();
  let scanned = 0;
  for (const line of lines(text)) {
    const m = /^([0-9A-Z]{8})\s+(\d{10})\s+([PTIU])\s+([HSOU])\s+(\S+)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    scanned++;
    const [, id, stamp, type, cls, resource, description] = m;
    result.measurements.push(
      measurement(ctx, 'SXKR-006', resource!, 'log.entry', description!.trim(), {
        severity: errptSeverity(type!, cls!),
        at: errptTime(stamp!, opts.utcOffsetMinutes ?? 0) ?? ctx.at,
        detail: `errpt ${id} type ${type} class ${cls}`,
      }),
    );
  }
  result.measurements.unshift(measurement(ctx, 'SXKR-006', 'errpt', 'log.scanned', scanned));
  return result;
}

/** `date +%z` → minutes east of UTC. */
function offsetMinutes(z: string): number {
  const m = /^([+-])(\d\d)(\d\d)$/.exec(z.trim());
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

function errptStamp(d: Date, offsetMin: number): string {
  const local = new Date(d.getTime() + offsetMin * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}${p(local.getUTCHours())}${p(local.getUTCMinutes())}${p(local.getUTCFullYear() % 100)}`;
}

export async function collectAix(ctx: OsContext): Promise<OsCollection> {
  const out = emptyCollection();
  const interval = Math.max(1, Math.round(ctx.windowMs / 1000 / 5));
  const count = Math.max(2, Math.round(ctx.windowMs / 1000 / interval));
  const sampling = runFor({ ...ctx, session: ctx.direct ?? ctx.session }, out, ['SXKR-001'], `vmstat ${interval} ${count}`, { timeoutMs: ctx.windowMs + 30_000 }).then((r) => {
    if (r) addParsed(out, parseAixVmstat(r.result.stdout, r.parse));
  });

  const id = await runFor(ctx, out, [], 'uname -M; oslevel -s; date +%z');
  let offset = 0;
  if (id) {
    const [model, level, z] = id.result.stdout.split('\n');
    if (model?.trim()) out.identity.model = model.trim();
    out.identity.vendor = 'IBM';
    out.identity.os = `AIX ${level?.trim() ?? ''}`.trim();
    if (level?.trim()) out.identity.version = level.trim();
    offset = offsetMinutes(z ?? '');
  }

  const svmon = await runFor(ctx, out, ['SXKR-002'], 'svmon -G');
  if (svmon) {
    if (svmon.result.code !== 0) out.gaps.push({ check: 'SXKR-002', reason: `svmon -G: ${firstError(svmon.result)}`, command: 'svmon -G' });
    else addParsed(out, parseSvmonG(svmon.result.stdout, svmon.parse));
  }

  for (const devClass of ['disk', 'adapter'] as const) {
    const r = await runFor(ctx, out, ['SXKR-003'], `lsdev -Cc ${devClass}`);
    if (r) addParsed(out, parseLsdev(r.result.stdout, r.parse, devClass));
  }
  const vg = await runFor(ctx, out, ['SXKR-003'], 'for vg in $(lsvg -o); do lsvg -p $vg; lsvg -l $vg; done');
  if (vg) addParsed(out, parseLsvg(vg.result.stdout, vg.parse));
  const df = await runFor(ctx, out, ['SXKR-003'], 'df -k');
  if (df) addParsed(out, parseAixDf(df.result.stdout, df.parse));

  const why = 'on IBM Power systems PSU, fan and temperature sensors belong to the service processor (HMC/ASMI) and are not readable from AIX over SSH; their failures appear in errpt (SXKR-006)';
  out.gaps.push({ check: 'SXKR-004', reason: why }, { check: 'SXKR-005', reason: why });

  const ec = `errpt -s ${errptStamp(ctx.logSince, offset)}`;
  const e = await runFor(ctx, out, ['SXKR-006'], ec, { timeoutMs: 60_000 });
  if (e) {
    if (e.result.code !== 0 && !e.result.stdout.trim()) out.gaps.push({ check: 'SXKR-006', reason: `errpt: ${firstError(e.result)}`, command: ec });
    else addParsed(out, parseErrpt(e.result.stdout, e.parse, { utcOffsetMinutes: offset }));
  }
  await sampling;
  return out;
}
