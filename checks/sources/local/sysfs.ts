import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ComponentStatus, Measurement } from '../../../schemas/index.js';
import { measurement, round1 } from '../parsers/index.js';
import { hwmonKind } from '../parsers/linux/sensor-kind.js';
import { readKernelFile } from './kernel-file.js';

/*
 * sysfs attributes are read synchronously (kernel-file.ts): each is a page the kernel fills from
 * memory (a hwmon driver may ask its chip, a millisecond at most, and most cache the reading),
 * never a disk or a network file system. (File systems stay asynchronous: statfs on a hung NFS
 * mount blocks.) Each attribute is read without an await: a promise per file cost more than the file.
 */
function readText(path: string): string | undefined {
  try {
    return readKernelFile(path).trim();
  } catch {
    return undefined;
  }
}

function readNumber(path: string): number | undefined {
  const t = readText(path);
  if (t === undefined || t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A name cut into runs of digits and of the rest, for byNumber. */
const runsOf = (name: string): string[] => name.match(/\d+|\D+/g) ?? [];

function compareRuns(pa: readonly string[], pb: readonly string[], a: string, b: string): number {
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const dx = x.charCodeAt(0) <= 57 && x.charCodeAt(0) >= 48;
    const dy = y.charCodeAt(0) <= 57 && y.charCodeAt(0) >= 48;
    if (dx && dy) {
      const nx = x.replace(/^0+(?=\d)/, '');
      const ny = y.replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * hwmon2 before hwmon10: runs of digits compare as numbers, the rest by code unit. Not
 * Intl.Collator: creating one maps ~3 MB of ICU's collation data into the agent, which needs
 * nothing of it for the kernel's ASCII names.
 */
export function byNumber(a: string, b: string): number {
  return compareRuns(runsOf(a), runsOf(b), a, b);
}

/** A directory's names in byNumber's order; each name is cut into runs once, not at every comparison. */
function list(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, runs: runsOf(name) }))
    .sort((x, y) => compareRuns(x.runs, y.runs, x.name, y.name))
    .map((e) => e.name);
}

export { hwmonKind };

const SENSOR_FILE = /^(temp|fan)\d+_input$/;

/**
 * Where a chip's attributes live: today in the hwmon class directory, but drivers of older kernels
 * (the 2.6.32 of RHEL/CentOS 6, for one) put them in the "physical" device directory, reached as
 * hwmonN/device — libsensors reads both (Documentation/hwmon/sysfs-interface.rst).
 */
function attributeDir(classDir: string): { dir: string; files: string[] } {
  const files = list(classDir);
  if (files.some((f) => SENSOR_FILE.test(f))) return { dir: classDir, files };
  const device = join(classDir, 'device');
  const deviceFiles = list(device);
  return deviceFiles.some((f) => SENSOR_FILE.test(f)) ? { dir: device, files: deviceFiles } : { dir: classDir, files };
}

export interface HwmonReadings {
  temperatures: Measurement[];
  fans: Measurement[];
}

/**
 * /sys/class/hwmon/hwmon* (or its device/ directory): temp*_input (m°C) with temp*_crit, else temp*_max, as the device's own
 * limit; fan*_input (RPM) with fan*_alarm / fan*_fault. A fan with its alarm or fault flag set is a
 * fault; a fan reading 0 RPM without one is a warning (stopped, or a header with nothing on it).
 */
export async function readHwmon(at: string, root = '/sys/class/hwmon'): Promise<HwmonReadings> {
  const out: HwmonReadings = { temperatures: [], fans: [] };
  for (const dev of list(root)) {
    const { dir, files } = attributeDir(join(root, dev));
    const chip = (readText(join(dir, 'name'))) ?? (readText(join(root, dev, 'name'))) ?? dev;
    for (const f of files) {
      const t = /^temp(\d+)_input$/.exec(f);
      if (t) {
        const n = t[1]!;
        const raw = readNumber(join(dir, f));
        if (raw === undefined) continue;
        const label = (readText(join(dir, `temp${n}_label`))) ?? `temp${n}`;
        const crit = readNumber(join(dir, `temp${n}_crit`));
        const max = readNumber(join(dir, `temp${n}_max`));
        const limitFile = crit !== undefined && crit > 0 ? `temp${n}_crit` : max !== undefined && max > 0 ? `temp${n}_max` : undefined;
        const high = limitFile === `temp${n}_crit` ? crit : limitFile ? max : undefined;
        const alarm = readNumber(join(dir, `temp${n}_crit_alarm`));
        const ctx = { command: join(dir, f), at };
        out.temperatures.push(
          measurement(ctx, 'SXKR-005', `${chip} ${label}`, 'temperature', round1(raw / 1000), {
            unit: '°C',
            kind: hwmonKind(chip, label),
            limits: high !== undefined && limitFile ? { high: round1(high / 1000), source: join(dir, limitFile) } : undefined,
            status: alarm === 1 ? 'fault' : undefined,
          }),
        );
        continue;
      }
      const fm = /^fan(\d+)_input$/.exec(f);
      if (fm) {
        const n = fm[1]!;
        const rpm = readNumber(join(dir, f));
        if (rpm === undefined) continue;
        const label = (readText(join(dir, `fan${n}_label`))) ?? `fan${n}`;
        const alarm = readNumber(join(dir, `fan${n}_alarm`));
        const fault = readNumber(join(dir, `fan${n}_fault`));
        const status: ComponentStatus = alarm === 1 || fault === 1 ? 'fault' : rpm > 0 ? 'ok' : 'warning';
        out.fans.push(
          measurement({ command: join(dir, f), at }, 'SXKR-004', `${chip} ${label}`, 'fan.state', `${rpm} RPM`, {
            status,
            detail: alarm === 1 ? 'alarm flag set' : fault === 1 ? 'fault flag set' : rpm === 0 ? 'not turning' : undefined,
          }),
        );
      }
    }
  }
  return out;
}

/**
 * /sys/class/thermal/thermal_zone*: temp (m°C) with the zone's `critical` trip point as its limit.
 * Used only when hwmon has no temperatures (the zones are usually mirrored there as acpitz).
 */
export async function readThermalZones(at: string, root = '/sys/class/thermal'): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const zone of (list(root)).filter((z) => z.startsWith('thermal_zone'))) {
    const dir = join(root, zone);
    const raw = readNumber(join(dir, 'temp'));
    if (raw === undefined) continue;
    const type = (readText(join(dir, 'type'))) ?? zone;
    let limit: { high: number; source: string } | undefined;
    for (const f of list(dir)) {
      const m = /^trip_point_(\d+)_type$/.exec(f);
      if (!m || (readText(join(dir, f))) !== 'critical') continue;
      const temp = readNumber(join(dir, `trip_point_${m[1]}_temp`));
      if (temp !== undefined && temp > 0) limit = { high: round1(temp / 1000), source: join(dir, `trip_point_${m[1]}_temp`) };
    }
    out.push(
      measurement({ command: join(dir, 'temp'), at }, 'SXKR-005', `${zone} ${type}`, 'temperature', round1(raw / 1000), {
        unit: '°C',
        kind: hwmonKind(type, ''),
        limits: limit,
      }),
    );
  }
  return out;
}

/** /sys/class/net/<if>: admin state from `flags` (IFF_UP = 0x1), `operstate`, `carrier`. */
export async function readSysNet(root = '/sys/class/net'): Promise<
  Array<{ name: string; adminUp: boolean; operstate: string; lowerUp: boolean; loopback: boolean }>
> {
  const out = [];
  for (const name of list(root)) {
    const flags = Number((readText(join(root, name, 'flags'))) ?? '0');
    const operstate = ((readText(join(root, name, 'operstate'))) ?? 'unknown').toUpperCase();
    const carrier = readNumber(join(root, name, 'carrier'));
    const type = readNumber(join(root, name, 'type'));
    out.push({ name, adminUp: (flags & 0x1) === 1, operstate, lowerUp: carrier === 1, loopback: type === 772 });
  }
  return out;
}

/** Names under /sys/block that are not physical disks: loop, RAM and optical devices, md/dm arrays. */
const NOT_A_DISK = /^(loop|ram|zram|sr|fd|nbd|md|dm-)/;

export interface BlockDisk {
  name: string;
  vendor?: string;
  model?: string;
}

/**
 * The physical disks, read from /sys/block (a disk has a `device` link; partitions live below it),
 * so the agent's every-cycle collection spawns no `lsblk`.
 */
export async function readBlockDisks(root = '/sys/block'): Promise<BlockDisk[]> {
  const disks: BlockDisk[] = [];
  for (const name of list(root)) {
    if (NOT_A_DISK.test(name)) continue;
    const device = join(root, name, 'device');
    if (!existsSync(device)) continue;
    const vendor = readText(join(device, 'vendor'));
    const model = readText(join(device, 'model'));
    disks.push({ name, ...(vendor ? { vendor } : {}), ...(model ? { model } : {}) });
  }
  return disks;
}
