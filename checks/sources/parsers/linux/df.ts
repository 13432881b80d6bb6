import { emptyResult, gap, lines, measurement, round1, type ParseContext, type ParseResult } from '../types.js';

/** Memory-backed or image file systems: their fill level says nothing about the disks. */
export const SKIPPED_FS_TYPES = new Set([
  'tmpfs', 'devtmpfs', 'overlay', 'squashfs', 'ramfs', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts',
  'mqueue', 'hugetlbfs', 'debugfs', 'tracefs', 'securityfs', 'pstore', 'bpf', 'autofs', 'fusectl',
  'configfs', 'nsfs', 'efivarfs', 'binfmt_misc', 'rpc_pipefs', 'iso9660',
]);

const gib = (kb: number) => (kb / 1024 / 1024).toFixed(1);

/**
 * `df -P -T` (POSIX format, with type): one SXKR-003 `fs.used` per mounted disk file system.
 * Used % = Used / (Used + Available), as df computes Capacity (which it rounds up); the
 * blocks reserved for root are therefore counted as unavailable, like df does.
 */
export function parseDf(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  const seen = new Set<string>();
  let header = false;
  for (const line of lines(text)) {
    if (/^Filesystem\s+Type\s+/.test(line)) {
      header = true;
      continue;
    }
    const m = /^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+(.+)$/.exec(line.trimEnd());
    if (!m) continue;
    const [, device, type, blocksS, usedS, availS, , mount] = m as unknown as string[];
    const blocks = Number(blocksS);
    const used = Number(usedS);
    const avail = Number(availS);
    if (SKIPPED_FS_TYPES.has(type!) || blocks === 0 || used + avail === 0) continue;
    if (seen.has(mount!)) continue;
    seen.add(mount!);
    result.measurements.push(
      measurement(ctx, 'SXKR-003', mount!, 'fs.used', round1((used / (used + avail)) * 100), {
        unit: '%',
        detail: `${gib(used)} GiB used, ${gib(avail)} GiB free; ${type} on ${device}`,
      }),
    );
  }
  if (!header && result.measurements.length === 0) {
    result.gaps.push(gap(ctx, 'SXKR-003', 'df printed no file system table', 'file systems'));
  }
  return result;
}
