/*
 * Older management controllers over IPMI on the LAN: `ipmitool -I lanplus` run here against the
 * BMC's address, its output read by the same parsers as the local and SSH sources' in-band IPMI
 * (checks/sources/parsers/ipmitool): `sdr elist` for PSU and fan states and temperatures,
 * `sensor` for the BMC's own temperature limits, `sel elist` for hardware events since the last
 * inspection, `fru print` for vendor, model and serial. The password goes to ipmitool through
 * its environment (`-E`, IPMI_PASSWORD), never its command line where `ps` would show it.
 * A session that cannot be established (wrong password, unreachable, IPMI over LAN disabled)
 * makes SXKR-004/005/006 unknown with ipmitool's own words.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { CheckId, DeviceIdentity, Gap, Measurement, Report } from '../../../schemas/index.js';
import { clip, parseIpmiSdr, parseIpmiSel, parseIpmiSensor } from '../parsers/index.js';
import { parseIpmiFru } from './fru.js';

export const PRODUCER = 'xunjian-inspect/0.1.0';
/** What IPMI over LAN answers for: no processors, memory or drives beyond their sensors. */
export const IPMI_LAN_CHECKS: CheckId[] = ['SXKR-004', 'SXKR-005', 'SXKR-006'];

export interface IpmiLanTarget {
  host: string;
  port?: number;
  user: string;
  password: string;
  /** RMCP+ cipher suite (`-C`); default: ipmitool's own choice. 3 is the one every BMC speaks. */
  cipherSuite?: number;
  /** Per ipmitool run. Default 30 s. */
  timeoutMs?: number;
  identity: DeviceIdentity;
  site?: string;
}

export interface CollectIpmiLanOptions {
  now?: Date;
  logSince?: Date;
  /** The ipmitool binary. Default `ipmitool` from PATH. */
  ipmitool?: string;
}

interface Run {
  stdout: string;
  stderr: string;
  ok: boolean;
}

function runIpmitool(bin: string, t: IpmiLanTarget, args: string[]): Promise<Run> {
  const timeoutMs = t.timeoutMs ?? 30_000;
  const base = ['-I', 'lanplus', '-H', t.host, '-p', String(t.port ?? 623), '-U', t.user, '-E', '-N', String(Math.max(1, Math.round(timeoutMs / 6000))), '-R', '2'];
  if (t.cipherSuite !== undefined) base.push('-C', String(t.cipherSuite));
  return new Promise((resolve) => {
    execFile(bin, [...base, ...args], { timeout: timeoutMs, env: { ...process.env, IPMI_PASSWORD: t.password }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const killed = error && (error as { killed?: boolean }).killed;
      const missing = error && (error as NodeJS.ErrnoException).code === 'ENOENT';
      resolve({
        stdout: String(stdout),
        stderr: missing ? `${bin} is not installed` : killed ? `no answer within ${timeoutMs} ms` : String(stderr),
        ok: !error,
      });
    });
  });
}

/** ipmitool's complaint in one line, without the noise it prints on every lanplus run. */
function complaint(r: Run): string {
  const text = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Unable to Get Channel Cipher Suites$/i.test(l));
  return clip(text.join('; ') || 'ipmitool failed without a message', 1500);
}

const SESSION_FAILED = /Unable to establish|Error in open session|Activate Session|RAKP|Unauthorized|password|not installed|no answer within|Get Auth Capabilities/i;

export async function collectIpmiLan(target: IpmiLanTarget, opts: CollectIpmiLanOptions = {}): Promise<Report> {
  const bin = opts.ipmitool ?? 'ipmitool';
  const t0 = Date.now();
  const start = opts.now ?? new Date();
  const clock = () => new Date(start.getTime() + (Date.now() - t0)).toISOString();
  const since = opts.logSince ?? new Date(start.getTime() - 31 * 86_400_000);
  const shown = (cmd: string) => `ipmitool -I lanplus -H ${target.host}${target.port && target.port !== 623 ? ` -p ${target.port}` : ''} -U ${target.user} ${cmd}`;
  const measurements: Measurement[] = [];
  const gaps: Gap[] = [];
  const identity: DeviceIdentity = { ...target.identity, addresses: [...(target.identity.addresses ?? [])] };
  if (!identity.addresses.includes(target.host)) identity.addresses.push(target.host);
  const where = `${target.host}:${target.port ?? 623}`;

  const sdr = await runIpmitool(bin, target, ['sdr', 'elist']);
  if (!sdr.ok && (SESSION_FAILED.test(sdr.stderr) || !sdr.stdout.trim())) {
    for (const check of IPMI_LAN_CHECKS) gaps.push({ check, reason: `IPMI over LAN to BMC ${where}: ${complaint(sdr)}`, command: shown('sdr elist') });
  } else {
    const parsedSdr = parseIpmiSdr(sdr.stdout, { command: shown('sdr elist'), at: clock() });
    let temps = parsedSdr.measurements.filter((m) => m.check === 'SXKR-005');
    // `ipmitool sensor` carries the BMC's thresholds: its temperatures win when it has any.
    const sensor = await runIpmitool(bin, target, ['sensor']);
    if (sensor.ok) {
      const withLimits = parseIpmiSensor(sensor.stdout, { command: shown('sensor'), at: clock() }).measurements.filter((m) => m.check === 'SXKR-005');
      if (withLimits.length > 0) temps = withLimits;
    }
    measurements.push(...parsedSdr.measurements.filter((m) => m.check === 'SXKR-004'), ...temps);
    gaps.push(...parsedSdr.gaps);
    if (!measurements.some((m) => m.check === 'SXKR-004')) gaps.push({ check: 'SXKR-004', reason: `the BMC ${where} lists no power supply or fan sensor`, command: shown('sdr elist') });
    if (temps.length === 0) gaps.push({ check: 'SXKR-005', reason: `the BMC ${where} lists no temperature sensor`, command: shown('sdr elist') });

    const sel = await runIpmitool(bin, target, ['sel', 'elist']);
    if (sel.ok) {
      const parsed = parseIpmiSel(sel.stdout, { command: shown('sel elist'), at: clock() }, { since });
      measurements.push(...parsed.measurements);
      gaps.push(...parsed.gaps);
    } else {
      gaps.push({ check: 'SXKR-006', component: 'IPMI SEL', reason: `ipmitool sel elist on BMC ${where}: ${complaint(sel)}`, command: shown('sel elist') });
    }

    const fru = await runIpmitool(bin, target, ['fru', 'print']);
    if (fru.ok || fru.stdout.trim()) {
      for (const [k, v] of Object.entries(parseIpmiFru(fru.stdout))) {
        const key = k as 'vendor' | 'model' | 'serial';
        if (v && !identity[key]) identity[key] = v;
      }
    }
  }
  return {
    id: `bmc-${identity.hostname.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 50)}-${start.getTime()}-${randomBytes(4).toString('hex')}`,
    source: 'bmc',
    ...(target.site ? { site: target.site } : {}),
    window: { start: start.toISOString(), end: clock() },
    identity,
    measurements: measurements.slice(0, 20_000),
    gaps: gaps.slice(0, 1000),
    producer: PRODUCER,
  };
}
