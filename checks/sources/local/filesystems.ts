import { statfs } from 'node:fs/promises';
import { readKernelFile } from './kernel-file.js';
import { SKIPPED_FS_TYPES, emptyResult, gap, measurement, round1, type ParseContext, type ParseResult } from '../parsers/index.js';

export const MOUNTS_COMMAND = 'statfs(2) of each /proc/self/mounts entry';

/** /proc/self/mounts escapes space, tab, newline and backslash as octal (\040 …). */
const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));

const gib = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);

/**
 * File system use without spawning `df` (the agent runs this every cycle): the same figure df
 * prints as Capacity — used / (used + available to users) — from statfs(2), in-process.
 */
export async function readFileSystems(ctx: ParseContext, mountsFile = '/proc/self/mounts'): Promise<ParseResult> {
  const result = emptyResult();
  let text: string;
  try {
    text = readKernelFile(mountsFile);
  } catch (e) {
    result.gaps.push(gap(ctx, 'SXKR-003', `cannot read ${mountsFile}: ${(e as Error).message}`, 'file systems'));
    return result;
  }
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const [deviceField, mountField, type] = line.split(' ');
    if (!deviceField || !mountField || !type || SKIPPED_FS_TYPES.has(type)) continue;
    const mount = unescape(mountField);
    if (seen.has(mount)) continue;
    seen.add(mount);
    try {
      const s = await statfs(mount);
      const used = (s.blocks - s.bfree) * s.bsize;
      const avail = s.bavail * s.bsize;
      if (s.blocks === 0 || used + avail === 0) continue;
      result.measurements.push(
        measurement(ctx, 'SXKR-003', mount, 'fs.used', round1((used / (used + avail)) * 100), {
          unit: '%',
          detail: `${gib(used)} GiB used, ${gib(avail)} GiB free; ${type} on ${unescape(deviceField)}`,
        }),
      );
    } catch (e) {
      result.gaps.push(gap(ctx, 'SXKR-003', `statfs ${mount} failed: ${(e as Error).message}`, mount));
    }
  }
  if (seen.size === 0) result.gaps.push(gap(ctx, 'SXKR-003', `${mountsFile} lists no disk file system`, 'file systems'));
  return result;
}
