import { emptyResult, gap, lines, measurement, round1, type ParseContext, type ParseResult } from '../types.js';

/** `/proc/meminfo` as a map of field → kB. */
export function readMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of lines(text)) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)/.exec(line);
    if (m) fields.set(m[1]!, Number(m[2]));
  }
  return fields;
}

const mib = (kb: number) => Math.round(kb / 1024);

/**
 * SXKR-002 from /proc/meminfo. Memory in use excludes page cache and buffers:
 * (MemTotal − MemAvailable) / MemTotal. Kernels before 3.14 have no MemAvailable; there the
 * estimate is MemFree + Buffers + Cached + SReclaimable (what `free` did before 3.14).
 */
export function parseMeminfo(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const f = readMeminfo(text);
  const total = f.get('MemTotal');
  if (!total) {
    result.gaps.push(gap(ctx, 'SXKR-002', 'no MemTotal line in /proc/meminfo output'));
    return result;
  }
  let available = f.get('MemAvailable');
  let how = 'MemTotal − MemAvailable';
  if (available === undefined) {
    available = (f.get('MemFree') ?? 0) + (f.get('Buffers') ?? 0) + (f.get('Cached') ?? 0) + (f.get('SReclaimable') ?? 0);
    how = 'MemTotal − (MemFree + Buffers + Cached + SReclaimable)';
  }
  const used = Math.max(0, total - available);
  result.measurements.push(
    measurement(ctx, 'SXKR-002', 'system', 'memory.used', round1((used / total) * 100), {
      unit: '%',
      detail: `${mib(used)} MiB of ${mib(total)} MiB in use (${how}; page cache and buffers excluded)`,
    }),
  );
  const swapTotal = f.get('SwapTotal');
  const swapFree = f.get('SwapFree');
  if (swapTotal !== undefined && swapFree !== undefined) {
    if (swapTotal === 0) {
      result.measurements.push(
        measurement(ctx, 'SXKR-002', 'swap', 'swap.used', 0, { unit: '%', detail: 'no swap configured' }),
      );
    } else {
      const swapUsed = swapTotal - swapFree;
      result.measurements.push(
        measurement(ctx, 'SXKR-002', 'swap', 'swap.used', round1((swapUsed / swapTotal) * 100), {
          unit: '%',
          detail: `${mib(swapUsed)} MiB of ${mib(swapTotal)} MiB swap in use`,
        }),
      );
    }
  }
  return result;
}
