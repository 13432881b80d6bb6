/**
 * One command set per OS, whatever runs it (checks/sources/commands). The readings that used to
 * exist on one side only — `ipmitool sensor` (local only) and the `dmesg` fallback (SSH only) —
 * now come from the Linux command set on both executors: this host's shell (localExecutor) and a
 * real sshd session. AIX cannot run here, so its whole command set runs through the local
 * executor against the recorded outputs the SSH tests use, as the agent on an AIX LPAR would.
 * Stand-in programs first on PATH answer with recorded output; each command is failed in turn
 * (exit 127, exit 1, empty output, garbage) and must leave a gap naming it, never a normal check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateReport } from '../../checks/index.js';
import { localExecutor, type Executor } from '../../checks/sources/commands/index.js';
import { collectLocal } from '../../checks/sources/local/index.js';
import { batchingSession } from '../../checks/sources/ssh/batch.js';
import { AIX } from '../../checks/sources/ssh/fault-injection/hosts.js';
import { DMESG_COMMAND, readDmesg, readIpmi } from '../../checks/sources/ssh/linux.js';
import { emptyCollection, type OsContext } from '../../checks/sources/ssh/os-context.js';
import { openSshSession } from '../../checks/sources/ssh/index.js';
import type { CheckId, Report } from '../../schemas/index.js';
import { startSshdFleet, type SshdFleet } from '../helpers/sshd.js';
import { kmsgLine, readKmsg } from '../../checks/sources/local/kmsg.js';
import { parseDmesg } from '../../checks/sources/ssh/dmesg.js';

// Port 2250 belongs to this file.
const PORT = 2250;
const START = new Date('2026-12-05T00:00:00.000Z');
const LOG_SINCE = new Date('2026-11-05T00:00:00.000Z');
const PARSER_CASES = join(import.meta.dirname, '..', '..', 'checks', 'sources', 'parsers', 'testcases');
const COMMAND_CASES = join(import.meta.dirname, '..', '..', 'checks', 'sources', 'commands', 'testcases');
const fixture = (dir: string, name: string) => readFileSync(join(dir, name, 'input.txt'), 'utf8');
const SLOW = { timeout: 240_000 };

type Fault = 'exit 127' | 'exit 1' | 'empty output' | 'garbage';
const FAULTS: Fault[] = ['exit 127', 'exit 1', 'empty output', 'garbage'];
const FAULT_BODIES: Record<Fault, string> = {
  'exit 127': 'echo "sh: $0: not found" >&2; exit 127',
  'exit 1': 'echo "Permission denied" >&2; exit 1',
  'empty output': 'exit 0',
  garbage: 'echo "%%% Segmentation fault (core dumped) ~~ 0x7f3a 42 @@"; exit 0',
};

/** A recorded command: the program it runs, a shell `case` pattern of its arguments, its output. */
interface Recorded {
  program: string;
  args: string;
  stdout: string;
}

/**
 * Writes one stand-in per program into `bin`: it answers each recorded argument pattern with its
 * output, unless `<key>.mode` names a fault. Everything else goes to the real program.
 */
function standIns(bin: string, recorded: Record<string, Recorded>): (key: string, mode: Fault | 'healthy') => void {
  const programs = new Map<string, string[]>();
  for (const [key, r] of Object.entries(recorded)) {
    const file = join(bin, `${key}.out`);
    writeFileSync(file, `${r.stdout}\n`);
    writeFileSync(join(bin, `${key}.mode`), 'healthy');
    const faults = Object.entries(FAULT_BODIES).map(([m, body]) => `'${m}') ${body};;`).join(' ');
    const arm = `${r.args}) case "$(cat ${join(bin, `${key}.mode`)})" in ${faults} *) cat ${file};; esac;;`;
    programs.set(r.program, [...(programs.get(r.program) ?? []), arm]);
  }
  for (const [program, arms] of programs) {
    const fallback = `for d in /usr/bin /bin /usr/sbin /sbin; do [ -x "$d/${program}" ] && exec "$d/${program}" "$@"; done; echo "sh: ${program}: not found" >&2; exit 127`;
    writeFileSync(join(bin, program), `#!/bin/sh\ncase "$*" in\n${arms.join('\n')}\n*) ${fallback};;\nesac\n`, { mode: 0o755 });
  }
  return (key, mode) => writeFileSync(join(bin, `${key}.mode`), mode);
}

const LINUX_READINGS: Record<string, Recorded> = {
  sdr: { program: 'ipmitool', args: "'sdr elist'", stdout: fixture(PARSER_CASES, 'ipmi-sdr-elist-telegraf') },
  sensor: { program: 'ipmitool', args: 'sensor', stdout: fixture(PARSER_CASES, 'ipmi-sensor-nec-r120f') },
  sel: { program: 'ipmitool', args: "'sel elist'", stdout: fixture(PARSER_CASES, 'ipmi-sel-quanta-ecc') },
  dmesg: { program: 'dmesg', args: "'-x --time-format iso'", stdout: fixture(COMMAND_CASES, 'dmesg-host') },
};

let dir: string;
let fleet: SshdFleet;
let linuxBin: string;
let setLinux: (key: string, mode: Fault | 'healthy') => void;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xunjian-command-sets-'));
  linuxBin = join(dir, 'linux-bin');
  mkdirSync(linuxBin);
  setLinux = standIns(linuxBin, LINUX_READINGS);
  fleet = await startSshdFleet([PORT], { sessionEnv: () => ({ PATH: `${linuxBin}:/usr/bin:/bin` }) });
  writeFileSync(join(dir, 'known_hosts'), fleet.knownHosts());
}, 120_000);
afterAll(async () => {
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const EXECUTORS: [string, () => Promise<Executor>][] = [
  ['this host (local executor)', async () => localExecutor({ pathPrefix: [linuxBin] })],
  ['a real sshd session', () => openSshSession({ host: '127.0.0.1', port: PORT, user: fleet.user, privateKeyPath: fleet.clientKeyPath, knownHostsPath: join(dir, 'known_hosts'), commandTimeoutMs: 120_000 })],
];

/** The Linux command set's IPMI and kernel-log readings through one executor, judged. */
async function linuxReadings(open: () => Promise<Executor>) {
  const executor = await open();
  try {
    const ctx: OsContext = { session: batchingSession(executor), direct: executor, windowMs: 0, logSince: LOG_SINCE, requiredServices: [], clock: () => START };
    const out = emptyCollection();
    await readIpmi(ctx, out);
    const dmesgWhy = await readDmesg(ctx, out);
    if (dmesgWhy) out.gaps.push({ check: 'SXKR-006', reason: `dmesg: ${dmesgWhy}`, command: DMESG_COMMAND, component: 'kernel log' });
    const report: Report = {
      id: 'command-sets',
      source: 'local',
      window: { start: START.toISOString(), end: START.toISOString() },
      identity: { hostname: 'linux', kind: 'server', addresses: [] },
      measurements: out.measurements,
      gaps: out.gaps,
    };
    return { report, results: evaluateReport(report) };
  } finally {
    executor.close();
  }
}

describe.each(EXECUTORS)('the Linux command set on %s', (_name, open) => {
  it('reads ipmitool sdr, sensor (the BMC limits) and sel, and the kernel ring buffer', SLOW, async () => {
    for (const key of Object.keys(LINUX_READINGS)) setLinux(key, 'healthy');
    const { report } = await linuxReadings(open);
    expect(report.gaps).toEqual([]);
    const by = (command: string, check: CheckId) => report.measurements.filter((m) => m.command === command && m.check === check);
    expect(by('ipmitool sdr elist', 'SXKR-004').length).toBeGreaterThan(0);
    // Temperatures come from `ipmitool sensor`, with the BMC's own ucr as the limit.
    const temps = report.measurements.filter((m) => m.check === 'SXKR-005');
    expect(temps.length).toBeGreaterThan(0);
    expect(temps.every((m) => m.command === 'ipmitool sensor')).toBe(true);
    expect(temps.some((m) => m.limits?.high !== undefined)).toBe(true);
    expect(by('ipmitool sel elist', 'SXKR-006').some((m) => m.metric === 'log.scanned')).toBe(true);
    expect(by(DMESG_COMMAND, 'SXKR-006').find((m) => m.metric === 'log.scanned')?.value).toBe(readFileSync(join(COMMAND_CASES, 'dmesg-host', 'input.txt'), 'utf8').trim().split('\n').length);
  });

  it('each command failing in turn is a gap naming it; a failed sensor leaves the SDR temperatures, saying why they have no limit', SLOW, async () => {
    const wrong: string[] = [];
    for (const key of Object.keys(LINUX_READINGS)) {
      for (const fault of FAULTS) {
        for (const k of Object.keys(LINUX_READINGS)) setLinux(k, k === key ? fault : 'healthy');
        const { report, results } = await linuxReadings(open);
        const verdict = (c: CheckId) => results.find((r) => r.check === c)!.verdict;
        const gapOn = (c: CheckId, command: string) => report.gaps.some((g) => g.check === c && g.command === command && g.reason.length > 0);
        const label = `${key} (${fault})`;
        if (key === 'sdr' && !(gapOn('SXKR-004', 'ipmitool sdr elist') && verdict('SXKR-004') !== 'normal')) wrong.push(`${label}: SXKR-004 not a gap`);
        if (key === 'sel' && !(gapOn('SXKR-006', 'ipmitool sel elist') && verdict('SXKR-006') !== 'normal')) wrong.push(`${label}: SXKR-006 not a gap`);
        if (key === 'dmesg' && !(gapOn('SXKR-006', DMESG_COMMAND) && verdict('SXKR-006') !== 'normal')) wrong.push(`${label}: SXKR-006 not a gap`);
        if (key === 'sensor') {
          const temps = report.measurements.filter((m) => m.check === 'SXKR-005');
          if (temps.length === 0 || !temps.every((m) => m.command === 'ipmitool sdr elist' && /BMC limits not read \(ipmitool sensor: /.test(m.detail ?? ''))) wrong.push(`${label}: SDR temperatures without the reason`);
        }
      }
    }
    for (const k of Object.keys(LINUX_READINGS)) setLinux(k, 'healthy');
    expect(wrong).toEqual([]);
  });
});

describe('the AIX command set through the local executor (an agent on an AIX LPAR)', () => {
  let aixBin: string;
  let setAix: (key: string, mode: Fault | 'healthy') => void;
  // Each recorded AIX command of the SSH harness, as a stand-in program's argument pattern.
  const AIX_COMMANDS: Record<string, Recorded> = Object.fromEntries(
    Object.entries(AIX.answers).map(([command, a]) => {
      const [program, ...rest] = command.split(' ');
      const args = rest.join(' ');
      const pattern = args.endsWith('*') ? `'${args.slice(0, -1)}'*` : args ? `'${args}'` : "''";
      return [command.replace(/[^\w]+/g, '_'), { program: program!, args: pattern, stdout: a.stdout }];
    }),
  );

  beforeAll(() => {
    aixBin = join(dir, 'aix-bin');
    mkdirSync(aixBin);
    setAix = standIns(aixBin, AIX_COMMANDS);
  });

  async function inspectAix() {
    const { report } = await collectLocal({ os: 'aix', executor: localExecutor({ pathPrefix: [aixBin] }), windowMs: 1000, logSince: LOG_SINCE, requiredServices: [], now: () => START, identity: { hostname: 'p570', kind: 'server', addresses: [] } });
    return { report, results: evaluateReport(report, { site: { 'SXKR-003': { fsUsedMax: 95 } } }) };
  }

  it('reads CPU, memory with paging space, disks, volume groups, file systems and errpt: no gap beyond the sensors AIX leaves to the HMC', SLOW, async () => {
    const { report, results } = await inspectAix();
    expect(report.source).toBe('local');
    expect(report.identity).toMatchObject({ hostname: 'p570', model: '9117-MMA', version: '7200-05-03-2148' });
    expect(report.gaps.filter((g) => !['SXKR-004', 'SXKR-005'].includes(g.check))).toEqual([]);
    for (const check of ['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-006']) expect(results.find((r) => r.check === check)!.verdict, check).toBe('normal');
    expect(report.measurements.some((m) => m.command === 'lsvg -l rootvg' && m.check === 'SXKR-003')).toBe(true);
  });

  it('each command failing in turn leaves no check it fed normal, and a gap names it', SLOW, async () => {
    const clean = await inspectAix();
    const wrong: string[] = [];
    let tried = 0;
    for (const [key, r] of Object.entries(AIX_COMMANDS)) {
      const command = Object.keys(AIX.answers).find((c) => c.replace(/[^\w]+/g, '_') === key)!;
      const matches = (shown: string) => (command.endsWith('*') ? shown.startsWith(command.slice(0, -1)) : shown === command);
      const fed = new Set(clean.report.measurements.filter((m) => matches(m.command)).map((m) => m.check));
      if (command === 'date +%z') fed.add('SXKR-006');
      if (fed.size === 0 || r.program === 'uname') continue;
      for (const fault of FAULTS) {
        // errpt -s printing nothing is "no entry since the last inspection": an answer.
        if (fault === 'empty output' && command === 'errpt -s *') continue;
        tried++;
        for (const k of Object.keys(AIX_COMMANDS)) setAix(k, k === key ? fault : 'healthy');
        const { report, results } = await inspectAix();
        for (const check of fed) {
          if (results.find((x) => x.check === check)!.verdict !== 'normal') continue;
          // Normal only when another command answered for it (plain errpt after errpt -s).
          const other = report.measurements.some((m) => m.check === check && !clean.report.measurements.some((c) => c.command === m.command));
          if (!other) wrong.push(`${command} (${fault}) → ${check} normal`);
        }
        if (!report.gaps.some((g) => fed.has(g.check)) && !report.measurements.some((m) => !clean.report.measurements.some((c) => c.command === m.command))) wrong.push(`${command} (${fault}) left no gap`);
      }
    }
    for (const k of Object.keys(AIX_COMMANDS)) setAix(k, 'healthy');
    expect(tried).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  });
});

describe('the agent reads the kernel log from /dev/kmsg, in dmesg’s format, for the same parser', () => {
  it('every record of this host’s ring buffer becomes a dmesg -x --time-format iso line the parser counts', () => {
    const text = readKmsg();
    const lines = text.split('\n');
    expect(lines.length).toBeGreaterThan(0);
    const parsed = parseDmesg(text, { command: 'kmsg', at: START.toISOString() });
    expect(parsed.measurements.find((m) => m.metric === 'log.scanned')?.value).toBe(lines.length);
  });

  it('formats a record as util-linux dmesg does (facility, level, ISO time from boot, message)', () => {
    const bootMs = Date.parse('2026-12-04T20:38:50.000Z');
    expect(kmsgLine('3,812,5250000,-;ata1.00: failed command: READ FPDMA QUEUED', bootMs)).toBe('kern  :err   : 2026-12-04T20:38:55,250000+00:00 ata1.00: failed command: READ FPDMA QUEUED');
    expect(kmsgLine(' SUBSYSTEM=pci', bootMs)).toBeUndefined();
  });
});
