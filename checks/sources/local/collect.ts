import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceIdentity, Gap, Measurement, Report } from '../../../schemas/index.js';
import {
  clip,
  linkMeasurements,
  measurement,
  parseIpLink,
  parseJournalJson,
  parseMdstat,
  parseMeminfo,
  parseProcStat,
  parseSmartctl,
  parseSyslog,
  parseSystemctlFailed,
  parseSystemctlIsActive,
  type ParseContext,
  type ParseResult,
  LOG_LINE,
  unrecognisedLog,
} from '../parsers/index.js';
import type { CpuSummary } from './cpu-sampler.js';
import { commandLine, exists, run, runForOutput, which } from './exec.js';
import { MOUNTS_COMMAND, readFileSystems } from './filesystems.js';
import { readKernelFile } from './kernel-file.js';
import { readBlockDisks, readHwmon, readSysNet, readThermalZones } from './sysfs.js';
import { linuxIdentity, otherIdentity } from './identity.js';
import { localExecutor } from '../commands/local-executor.js';
import { parseDmesg } from '../ssh/dmesg.js';
import { createKmsgReader } from './kmsg.js';
import { batchingSession } from '../ssh/batch.js';
import { DMESG_COMMAND, readDmesg, readIpmi } from '../ssh/linux.js';
import type { OsCollection, OsContext } from '../ssh/os-context.js';
import type { DetectedOs } from '../commands/command-set.js';
import type { Executor } from '../commands/executor.js';
import { collectThroughCommandSet, platformOs } from './command-set.js';

export interface CollectLocalOptions {
  /** CPU sampling window (ignored when `cpu` is given). */
  windowMs: number;
  /** Interval between /proc/stat readings within the window; default window/10, 0.2–5 s. */
  sampleEveryMs?: number;
  /** systemd units that must be active (SXKR-003). */
  requiredServices?: string[];
  /** journald cursor from the previous collection: read only newer entries. */
  logCursor?: string;
  /** Without a cursor, read log entries since this time (default: 30 days back). */
  logSince?: Date;
  now?: () => Date;
  /** A summary from the agent's sampler: no sampling here. */
  cpu?: CpuSummary;
  /** The identity already known (the agent caches it between collections): it is not read again. */
  identity?: DeviceIdentity;
  /** Which OS's command set; default this host's. AIX and Windows run theirs through `executor`. */
  os?: DetectedOs;
  /** Where the AIX and Windows command sets run; default this host's shell (tests: recorded stand-ins first on PATH). */
  executor?: Executor;
}

export interface CollectLocalResult {
  report: Report;
  /** journald cursor to pass next time (absent when the journal was not read). */
  logCursor?: string;
}

const PRODUCER = 'xunjian-local/0.1.0';
const DEFAULT_LOG_LOOKBACK_MS = 30 * 24 * 3600 * 1000;
/** At most this much of a syslog file is read (its end): a month of errors fits easily. */
const SYSLOG_TAIL_BYTES = 16 * 1024 * 1024;
const IPMI_DEVICES = ['/dev/ipmi0', '/dev/ipmi/0', '/dev/ipmidev/0'];
const SYSTEMD_RUNNING = '/run/systemd/system';
/** Virtual disks smartctl could not read, remembered so the agent's cycles do not spawn it for nothing. */
const noSmart = new Map<string, { at: number; gaps: Gap[] }>();
const NO_SMART_RECHECK_MS = 3_600_000;
/** Block devices that are not disks in a chassis. */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Collector implements OsCollection {
  readonly measurements: Measurement[] = [];
  readonly gaps: Gap[] = [];
  readonly identity: OsCollection['identity'] = {};
  constructor(readonly now: () => Date) {}
  at(): string {
    return this.now().toISOString();
  }
  ctx(command: string): ParseContext {
    return { command, at: this.at() };
  }
  add(r: ParseResult): void {
    this.measurements.push(...r.measurements);
    this.gaps.push(...r.gaps);
  }
  gap(check: Gap['check'], reason: string, component?: string, command?: string): void {
    const g: Gap = { check, reason: clip(reason, 2000) };
    if (component) g.component = component;
    if (command) g.command = command;
    this.gaps.push(g);
  }
}

/** This host's shell, for the commands the Linux command set shares with SSH (IPMI, dmesg). */
const shell = localExecutor();

function commandContext(c: Collector, logSince: Date): OsContext {
  return { session: batchingSession(shell), direct: shell, windowMs: 0, logSince, requiredServices: [], clock: c.now };
}

function logSinceOf(opts: CollectLocalOptions, started: Date): Date {
  return opts.logSince ?? new Date(started.getTime() - DEFAULT_LOG_LOOKBACK_MS);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// ---------- SXKR-001 ----------

async function collectCpu(c: Collector, opts: CollectLocalOptions): Promise<void> {
  if (opts.cpu) {
    const detail = `${opts.cpu.samples} readings since ${opts.cpu.since}`;
    const ctx = c.ctx('/proc/stat (sampled by the agent)');
    c.measurements.push(
      measurement(ctx, 'SXKR-001', 'CPU', 'cpu.avg', opts.cpu.avg, { unit: '%', detail }),
      measurement(ctx, 'SXKR-001', 'CPU', 'cpu.max', opts.cpu.max, { unit: '%', detail }),
    );
    return;
  }
  const every = opts.sampleEveryMs ?? Math.min(5000, Math.max(200, Math.floor(opts.windowMs / 10)));
  const command = `cat /proc/stat (every ${every} ms for ${opts.windowMs} ms)`;
  try {
    const snapshots: string[] = [];
    const firstLine = () => readKernelFile('/proc/stat').split('\n', 1)[0] ?? '';
    const end = Date.now() + opts.windowMs;
    snapshots.push(firstLine());
    while (Date.now() < end) {
      await sleep(Math.min(every, Math.max(0, end - Date.now())));
      snapshots.push(firstLine());
    }
    c.add(parseProcStat(snapshots.join('\n'), c.ctx(command)));
  } catch (e) {
    c.gap('SXKR-001', `cannot read /proc/stat: ${errorText(e)}`, undefined, command);
  }
}

// ---------- SXKR-002 ----------

async function collectMemory(c: Collector): Promise<void> {
  try {
    c.add(parseMeminfo(readKernelFile('/proc/meminfo'), c.ctx('cat /proc/meminfo')));
  } catch (e) {
    c.gap('SXKR-002', `cannot read /proc/meminfo: ${errorText(e)}`, undefined, 'cat /proc/meminfo');
  }
}

// ---------- SXKR-003 ----------

async function collectFileSystems(c: Collector): Promise<void> {
  c.add(await readFileSystems(c.ctx(MOUNTS_COMMAND)));
}

async function collectRaid(c: Collector): Promise<void> {
  if (!(await exists('/proc/mdstat'))) return; // no md driver loaded: no software RAID to judge
  let text: string;
  try {
    text = readKernelFile('/proc/mdstat');
  } catch (e) {
    c.gap('SXKR-003', `cannot read /proc/mdstat: ${errorText(e)}`, 'md arrays', 'cat /proc/mdstat');
    return;
  }
  // Without its "Personalities" line it is not mdstat: no array listed would read as none to judge.
  if (!/^Personalities\s*:/m.test(text)) c.gap('SXKR-003', `/proc/mdstat not recognised (first line: "${clip(text.split('\n')[0] ?? '', 120)}")`, 'md arrays', 'cat /proc/mdstat');
  else c.add(parseMdstat(text, c.ctx('cat /proc/mdstat')));
}

/** Link state from sysfs (no process to spawn, every cycle); `ip -o link` only where sysfs says nothing. */
async function collectLinks(c: Collector): Promise<void> {
  const links = await readSysNet().catch(() => []);
  if (links.length > 0) {
    c.add(linkMeasurements(links, c.ctx('/sys/class/net/*/{flags,operstate,carrier}')));
    return;
  }
  const ip = await which('ip');
  if (!ip) {
    c.gap('SXKR-003', 'neither /sys/class/net nor the ip command lists network interfaces', 'network interfaces', 'ip -o link');
    return;
  }
  try {
    const { stdout } = await run(ip, ['-o', 'link']);
    c.add(parseIpLink(stdout, c.ctx('ip -o link')));
  } catch (e) {
    c.gap('SXKR-003', `ip -o link failed: ${errorText(e)}`, 'network interfaces', 'ip -o link');
  }
}

const DISKS_COMMAND = '/sys/block/*/device/{vendor,model}';

async function collectDisks(c: Collector): Promise<void> {
  const disks = await readBlockDisks();
  if (disks.length === 0) {
    c.gap('SXKR-003', '/sys/block lists no physical disks', 'disks', DISKS_COMMAND);
    return;
  }
  const smartctl = await which('smartctl');
  for (const d of disks) {
    const component = `disk ${d.name}`;
    if (!smartctl) {
      c.gap('SXKR-003', 'smartctl not installed (Debian/RHEL package smartmontools): disk health not read', component, DISKS_COMMAND);
      continue;
    }
    const args = ['-H', '-A', `/dev/${d.name}`];
    const command = commandLine('smartctl', args);
    const virtual = /^x?vd[a-z]/.test(d.name) || /QEMU|VBOX|VMware|Virtual/i.test(`${d.vendor ?? ''} ${d.model ?? ''}`);
    const known = virtual ? noSmart.get(d.name) : undefined;
    if (known && Date.now() - known.at < NO_SMART_RECHECK_MS) {
      for (const g of known.gaps) c.gap('SXKR-003', g.reason, g.component, g.command);
      continue;
    }
    try {
      const { stdout, stderr } = await runForOutput(smartctl, args, { timeoutMs: 20_000 });
      const r = parseSmartctl(`${stdout}\n${stderr}`, c.ctx(command), { component });
      for (const g of r.gaps) {
        if (virtual) g.reason = clip(`${g.reason} — virtual disk: the hypervisor exposes no SMART data; judge the host's disks`, 2000);
      }
      // A virtual disk does not grow SMART: the agent asks again hourly, not every cycle.
      if (virtual && r.measurements.length === 0 && r.gaps.length > 0) noSmart.set(d.name, { at: Date.now(), gaps: r.gaps });
      c.add(r);
    } catch (e) {
      c.gap('SXKR-003', `smartctl failed: ${errorText(e)}`, component, command);
    }
  }
}

async function collectServices(c: Collector, required: string[]): Promise<void> {
  const systemctl = await which('systemctl');
  if (!systemctl) {
    c.gap('SXKR-003', 'systemctl not found: this host does not run systemd; services not listed', 'systemd units', 'systemctl --failed');
    for (const u of required) c.gap('SXKR-003', 'systemctl not found: service state unknown', `service ${u}`);
    return;
  }
  // sd_booted(3): without /run/systemd/system, systemd is not the init system (a container,
  // another init) and systemctl can only say so — known without spawning it every cycle.
  if (!(await exists(SYSTEMD_RUNNING))) {
    const why = `systemd is not the init system here (no ${SYSTEMD_RUNNING}): systemctl cannot list units`;
    c.gap('SXKR-003', `${why}; services not listed`, 'systemd units', 'systemctl --failed');
    for (const u of required) c.gap('SXKR-003', `${why}; service state unknown`, `service ${u}`, `systemctl is-active ${u}`);
    return;
  }
  // With its legend ("N loaded units listed."): no output at all is then no answer, not "0 failed".
  const failedArgs = ['--failed', '--plain', '--no-pager'];
  try {
    const { stdout, stderr, exitCode } = await runForOutput(systemctl, failedArgs);
    const parsed = parseSystemctlFailed(`${stdout}\n${stderr}`, c.ctx(commandLine('systemctl', failedArgs)));
    if (parsed.gaps.length === 0 && (exitCode !== 0 || !/\d+ loaded units? listed/.test(stdout))) {
      const why = exitCode !== 0 ? `exit code ${exitCode}${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''}` : 'output not recognised (no "N loaded units listed" legend)';
      c.gap('SXKR-003', `systemctl --failed: ${why}`, 'systemd units', commandLine('systemctl', failedArgs));
    } else c.add(parsed);
  } catch (e) {
    c.gap('SXKR-003', `systemctl failed: ${errorText(e)}`, 'systemd units', commandLine('systemctl', failedArgs));
  }
  if (required.length > 0) {
    const args = ['is-active', ...required];
    try {
      const { stdout, stderr } = await runForOutput(systemctl, args);
      c.add(parseSystemctlIsActive(stdout.trim() ? stdout : stderr, c.ctx(commandLine('systemctl', args)), required));
    } catch (e) {
      for (const u of required) c.gap('SXKR-003', `systemctl failed: ${errorText(e)}`, `service ${u}`, commandLine('systemctl', args));
    }
  }
}

// ---------- SXKR-004 and SXKR-005 ----------

async function ipmiDevice(): Promise<string | undefined> {
  for (const d of IPMI_DEVICES) if (await exists(d)) return d;
  return undefined;
}

async function collectHardware(c: Collector, since: Date): Promise<void> {
  const device = await ipmiDevice();
  const ipmitool = device ? await which('ipmitool') : undefined;
  let ipmiTemps = 0;
  let ipmiPowerFans = 0;
  if (device && ipmitool) {
    // The Linux command set's IPMI readings (sdr, sensor, sel), the same as over SSH.
    const read = await readIpmi(commandContext(c, since), c);
    ipmiTemps = read.temperatures;
    ipmiPowerFans = read.powerFans;
  }
  const why = device
    ? ipmitool
      ? undefined
      : `IPMI device ${device} present but ipmitool not installed`
    : 'no IPMI device (/dev/ipmi0, /dev/ipmi/0, /dev/ipmidev/0)';

  if (ipmiPowerFans === 0 || ipmiTemps === 0) {
    const at = c.at();
    const hw = await readHwmon(at);
    if (ipmiPowerFans === 0) {
      if (hw.fans.length > 0) {
        c.measurements.push(...hw.fans);
        c.gap('SXKR-004', `power supply state needs IPMI: ${why ?? 'the BMC lists no PSU'}`, 'power supplies', '/sys/class/hwmon');
      } else {
        c.gap('SXKR-004', `${why ?? 'the BMC lists no PSU or fan'} and no hwmon fan or PSU sensors`, undefined, '/sys/class/hwmon/*/fan*_input');
      }
    }
    if (ipmiTemps === 0) {
      let temps = hw.temperatures;
      if (temps.length === 0) temps = await readThermalZones(at);
      if (temps.length > 0) c.measurements.push(...temps);
      else
        c.gap(
          'SXKR-005',
          `${why ?? 'the BMC lists no temperature'} and no hwmon or thermal-zone temperature sensors`,
          undefined,
          '/sys/class/hwmon/*/temp*_input, /sys/class/thermal/thermal_zone*/temp',
        );
    }
  }
}

// ---------- SXKR-006 ----------

async function readTail(path: string, bytes: number): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const text = buf.toString('utf8');
    return start > 0 ? text.slice(text.indexOf('\n') + 1) : text; // drop the cut first line
  } finally {
    await fh.close();
  }
}

/**
 * journald's own files (the default namespace: directories named by machine id, without a dot).
 * Listed synchronously: two local directories, and each asynchronous listing was a round trip
 * through libuv's thread pool that woke the daemon once more per cycle.
 */
function hasJournalFiles(): boolean {
  for (const root of ['/var/log/journal', '/run/log/journal']) {
    let dirs: string[] = [];
    try {
      dirs = readdirSync(root);
    } catch {
      continue;
    }
    for (const d of dirs.filter((x) => /^[0-9a-f]{32}$/.test(x))) {
      try {
        if (readdirSync(join(root, d)).some((f) => f.endsWith('.journal') || f.endsWith('.journal~'))) return true;
      } catch {
        // unreadable: try the next
      }
    }
  }
  return false;
}

async function collectLog(c: Collector, opts: CollectLocalOptions, started: Date): Promise<string | undefined> {
  const since = logSinceOf(opts, started);
  const journalctl = await which('journalctl');
  let journalWhy = 'journalctl not installed';
  const journalFiles = hasJournalFiles();
  if (journalctl && !journalFiles) journalWhy = 'journald keeps no journal on this host (no *.journal under /var/log/journal or /run/log/journal)';
  if (journalctl && journalFiles) {
    const args = ['-p', '3', '-o', 'json', '--no-pager', '--show-cursor'];
    if (opts.logCursor) args.push(`--after-cursor=${opts.logCursor}`);
    else args.push(`--since=@${Math.floor(since.getTime() / 1000)}`);
    const command = commandLine('journalctl', args);
    try {
      const { stdout, stderr, exitCode } = await runForOutput(journalctl, args, { timeoutMs: 60_000, maxBuffer: 64 * 1024 * 1024 });
      const garbled = unrecognisedLog(stdout, LOG_LINE.journalJson);
      if (exitCode !== 0 || (/No journal files were found|Failed to open/i.test(stderr) && !stdout.trim())) {
        journalWhy = `journalctl could not read the journal (exit code ${exitCode}${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''})`;
      } else if (garbled) {
        c.gap('SXKR-006', `${command}: ${garbled}`, undefined, command);
        return opts.logCursor;
      } else {
        const r = parseJournalJson(stdout, c.ctx(command));
        c.add(r);
        const shown = /^-- cursor: (.+)$/m.exec(stdout)?.[1]?.trim();
        return shown ?? r.cursor ?? opts.logCursor;
      }
    } catch (e) {
      journalWhy = `journalctl failed: ${errorText(e)}`;
    }
  }
  for (const file of ['/var/log/messages', '/var/log/syslog']) {
    if (!(await exists(file))) continue;
    try {
      const text = await readTail(file, SYSLOG_TAIL_BYTES);
      const garbled = unrecognisedLog(text, LOG_LINE.syslog);
      if (garbled) c.gap('SXKR-006', `${file}: ${garbled}`, undefined, file);
      else c.add(parseSyslog(text, c.ctx(file), { since, utcOffsetMinutes: -started.getTimezoneOffset() }));
      return undefined;
    } catch (e) {
      c.gap('SXKR-006', `cannot read ${file}: ${errorText(e)}`, undefined, file);
      return undefined;
    }
  }
  if (journalctl && journalFiles) {
    // The journal exists but could not be read: its failure is the answer, not the kernel's
    // narrower log (dmesg holds no service's errors).
    c.gap('SXKR-006', `${journalWhy}, and no /var/log/messages or /var/log/syslog`, undefined, 'journalctl -p 3; /var/log/messages; /var/log/syslog');
    return undefined;
  }
  // No journal at all: the kernel ring buffer. /dev/kmsg in-process where it can be read (every
  // agent cycle; a spawned dmesg cost ~15 ms CPU), else the command set's dmesg.
  const kmsg = readKernelLog(c, since);
  if (kmsg) return undefined;
  const dmesgWhy = await readDmesg(commandContext(c, since), c);
  if (dmesgWhy) c.gap('SXKR-006', `${journalWhy}, no /var/log/messages or /var/log/syslog, and dmesg: ${dmesgWhy}`, undefined, `journalctl -p 3; /var/log/messages; /var/log/syslog; ${DMESG_COMMAND}`);
  return undefined;
}

const KMSG_COMMAND = `/dev/kmsg (as ${DMESG_COMMAND})`;

/** /dev/kmsg, held open between collections: each reads only what the kernel logged since the last. */
const kernelLog = createKmsgReader();

/** The kernel log from /dev/kmsg through the dmesg parser; false when /dev/kmsg cannot be read. */
function readKernelLog(c: Collector, since: Date): boolean {
  let read: { text: string; held: number };
  try {
    read = kernelLog.read(since);
  } catch {
    return false; // not readable (dmesg_restrict, no permission): the command may still be
  }
  // An empty ring buffer is no answer; one with nothing since the last report is "no errors".
  const why = read.held > 0 ? unrecognisedLog(read.text, LOG_LINE.dmesgIso) : 'printed nothing';
  if (why) c.gap('SXKR-006', `${KMSG_COMMAND}: ${why}`, undefined, KMSG_COMMAND);
  else c.add(parseDmesg(read.text, c.ctx(KMSG_COMMAND), { since }));
  return true;
}

// ---------- identity ----------

/** This host's identity: from its own files on Linux (identity.ts), through systeminformation elsewhere. */
export function localIdentity(): Promise<DeviceIdentity> {
  return process.platform === 'linux' ? linuxIdentity() : otherIdentity();
}

/**
 * Inspects the machine this runs on: the six checks' measurements, with a gap (and its reason)
 * for everything this host cannot show. Hardware and log collection run first, then the CPU
 * window, so our own commands do not count as the host's load.
 */
export async function collectLocal(opts: CollectLocalOptions): Promise<CollectLocalResult> {
  const now = opts.now ?? (() => new Date());
  const started = now();
  const identityP = opts.identity ? Promise.resolve(opts.identity) : localIdentity();
  const os = opts.os ?? platformOs();
  if (os !== 'linux') {
    // No /proc or /sys to read in-process: the OS's command set, as the poller runs it over SSH.
    const report = await collectThroughCommandSet({
      os,
      executor: opts.executor ?? shell,
      windowMs: opts.windowMs,
      logSince: logSinceOf(opts, started),
      requiredServices: opts.requiredServices ?? [],
      now,
      ...(opts.cpu ? { cpu: opts.cpu } : {}),
      identity: identityP,
      producer: PRODUCER,
    });
    return { report };
  }
  const c = new Collector(now);
  await collectMemory(c);
  await collectFileSystems(c);
  await collectRaid(c);
  await collectLinks(c);
  await collectDisks(c);
  await collectServices(c, opts.requiredServices ?? []);
  await collectHardware(c, logSinceOf(opts, started));
  const logCursor = await collectLog(c, opts, started);
  await collectCpu(c, opts);
  const identity = await identityP;
  const report: Report = {
    id: `local-${randomUUID()}`,
    source: 'local',
    window: { start: opts.cpu?.since ?? started.toISOString(), end: now().toISOString() },
    identity,
    measurements: c.measurements,
    gaps: c.gaps,
    producer: PRODUCER,
  };
  return logCursor ? { report, logCursor } : { report };
}
