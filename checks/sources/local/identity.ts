import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import type { DeviceIdentity } from '../../../schemas/index.js';
import { clip } from '../parsers/index.js';

/** Firmware placeholders that name nothing (SMBIOS strings vendors leave unfilled). */
const meaningful = (s: string | undefined | null): string | undefined => {
  const t = s?.trim();
  if (!t || /^(-|not specified|to be filled by o\.e\.m\.|default string|none|unknown|0+)$/i.test(t)) return undefined;
  return clip(t, 200);
};

/** Where a Linux host tells who it is; a test points these at a directory laid out the same way. */
export interface LinuxIdentityPaths {
  /** SMBIOS strings the kernel exports (Documentation/ABI/testing/sysfs-firmware-dmi-tables, drivers/firmware/dmi-id.c). */
  dmi: string;
  /** os-release(5): /etc/os-release, else /usr/lib/os-release. */
  osRelease: string[];
  /** Docker's marker file: a container reads its host's SMBIOS, so its model says what it is. */
  dockerenv: string;
}

const LINUX_PATHS: LinuxIdentityPaths = {
  dmi: '/sys/class/dmi/id',
  osRelease: ['/etc/os-release', '/usr/lib/os-release'],
  dockerenv: '/.dockerenv',
};

async function readTrimmed(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined; // absent (no SMBIOS, a container) or root-only (product_serial): not known
  }
}

/** os-release(5): KEY=value lines, values optionally quoted, with shell escapes inside quotes. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\$`])/g, '$1');
    }
    out[m[1]!] = value;
  }
  return out;
}

/**
 * A Linux host's identity read from the files the kernel and the distribution keep: the SMBIOS
 * strings in sysfs (vendor, model, serial; the serial is readable by root only, as dmidecode's
 * source is) and os-release. No command runs: the agent takes this every hour, and the general
 * library it replaces spawned a dozen commands and held ~7 MB in the agent for it.
 */
export async function linuxIdentity(paths: LinuxIdentityPaths = LINUX_PATHS): Promise<DeviceIdentity> {
  const [vendor, product, serial, release] = await Promise.all([
    readTrimmed(join(paths.dmi, 'sys_vendor')),
    readTrimmed(join(paths.dmi, 'product_name')),
    readTrimmed(join(paths.dmi, 'product_serial')),
    (async () => {
      for (const path of paths.osRelease) {
        const text = await readTrimmed(path);
        if (text !== undefined) return parseOsRelease(text);
      }
      return undefined;
    })(),
  ]);
  const distro = release && (release.NAME ? `${release.NAME} ${release.VERSION_ID ?? ''}` : release.PRETTY_NAME);
  return identityOf({
    vendor,
    model: existsSync(paths.dockerenv) ? 'Docker Container' : product,
    serial,
    os: distro ?? `${os.type()} ${os.release()}`,
    version: os.release(),
  });
}

/** This host's identity from what was read of it, placeholders left out. */
function identityOf(read: { vendor?: string | undefined; model?: string | undefined; serial?: string | undefined; os: string; version: string }): DeviceIdentity {
  const identity: DeviceIdentity = { hostname: clip(os.hostname() || 'localhost', 255), kind: 'server', addresses: hostAddresses() };
  const vendor = meaningful(read.vendor);
  const model = meaningful(read.model);
  const serial = meaningful(read.serial);
  const osName = meaningful(read.os);
  const version = meaningful(read.version);
  if (vendor) identity.vendor = vendor;
  if (model) identity.model = model;
  if (serial) identity.serial = serial;
  if (osName) identity.os = osName;
  if (version) identity.version = version;
  return identity;
}

/** The host's own addresses (loopback left out), at most 256. */
export function hostAddresses(): string[] {
  const addresses: string[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && !addresses.includes(a.address)) addresses.push(a.address);
  }
  return addresses.slice(0, 256);
}

/**
 * Another OS's identity (Windows, AIX, the BSDs) through systeminformation, loaded only there: a
 * Linux agent never holds it.
 */
export async function otherIdentity(): Promise<DeviceIdentity> {
  const { default: si } = await import('systeminformation');
  const [system, osInfo] = await Promise.all([si.system().catch(() => undefined), si.osInfo().catch(() => undefined)]);
  return identityOf({
    vendor: system?.manufacturer,
    model: system?.model,
    serial: system?.serial,
    os: osInfo ? `${osInfo.distro} ${osInfo.release}`.trim() : `${os.type()} ${os.release()}`,
    version: osInfo?.kernel ?? os.release(),
  });
}
