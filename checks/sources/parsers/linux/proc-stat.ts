import { emptyResult, gap, lines, measurement, round1, type ParseContext, type ParseResult } from '../types.js';

/** The aggregate `cpu` line of one /proc/stat snapshot, reduced to what busy % needs. */
export interface CpuCounters {
  busy: number;
  total: number;
}

/**
 * Reads every aggregate `cpu ` line in `text` (one per snapshot, in order).
 * Fields: user nice system idle iowait irq softirq steal guest guest_nice (USER_HZ ticks).
 * guest and guest_nice are already counted in user/nice, so they are left out of the total;
 * iowait counts as idle (the CPU was free to run something else).
 */
export function readCpuCounters(text: string): CpuCounters[] {
  const out: CpuCounters[] = [];
  for (const line of lines(text)) {
    if (!line.startsWith('cpu ')) continue;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    if (f.length < 4 || f.some((n) => !Number.isFinite(n))) continue;
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
    const idleAll = idle + iowait;
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    out.push({ busy: total - idleAll, total });
  }
  return out;
}

/** Busy % between two snapshots, or undefined when no time passed (same counters). */
export function busyPercent(a: CpuCounters, b: CpuCounters): number | undefined {
  const dt = b.total - a.total;
  if (dt <= 0) return undefined;
  const pct = ((b.busy - a.busy) / dt) * 100;
  return Math.min(100, Math.max(0, pct));
}

/**
 * `cat /proc/stat; sleep N; cat /proc/stat …`: two or more snapshots → SXKR-001 cpu.avg over the
 * whole span and cpu.max over the busiest interval between consecutive snapshots.
 */
export function parseProcStat(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const snaps = readCpuCounters(text);
  if (snaps.length < 2) {
    result.gaps.push(gap(ctx, 'SXKR-001', `CPU busy % needs two /proc/stat snapshots; found ${snaps.length}`));
    return result;
  }
  const first = snaps[0]!;
  const last = snaps[snaps.length - 1]!;
  const avg = busyPercent(first, last);
  const intervals: number[] = [];
  for (let i = 1; i < snaps.length; i++) {
    const p = busyPercent(snaps[i - 1]!, snaps[i]!);
    if (p !== undefined) intervals.push(p);
  }
  if (avg === undefined || intervals.length === 0) {
    result.gaps.push(gap(ctx, 'SXKR-001', 'the /proc/stat snapshots show no elapsed CPU time'));
    return result;
  }
  const detail = `${intervals.length} interval(s) between ${snaps.length} snapshots`;
  result.measurements.push(
    measurement(ctx, 'SXKR-001', 'CPU', 'cpu.avg', round1(avg), { unit: '%', detail }),
    measurement(ctx, 'SXKR-001', 'CPU', 'cpu.max', round1(Math.max(...intervals)), { unit: '%', detail }),
  );
  return result;
}
