/**
 * AIX and Windows inspected through real sshd sessions. They cannot run here, so each host's PATH
 * starts with scripts that answer as `lsvg`, `errpt` or `powershell` would, with the recorded
 * output of the golden cases — the shell, the framing of the batch, the exit codes and a command
 * that does not exist at all (sh: exit 127) are real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshdFleet, type SshdFleet } from '../helpers/sshd.js';
import { collectSsh, type SshTarget } from '../../checks/sources/ssh/index.js';
import { evaluateReport } from '../../checks/index.js';
import type { CheckResult, Report } from '../../schemas/index.js';
import { AIX, WINDOWS } from '../../checks/sources/ssh/fault-injection/hosts.js';

// Ports 2240–2245 belong to this file.
const HEALTHY_AIX = 2240;
const BROKEN_AIX = 2241;
const FAILING_AIX = 2242;
const WINDOWS_HOST = 2243;
const START = new Date('2026-11-28T12:00:00.000Z');
// Each inspection is five or more sshd sessions (a shell each): on a loaded 2-core machine one can
// take seconds, so the bound is generous; no test asserts a duration.
const SLOW = { timeout: 240_000 };

let fleet: SshdFleet;
let dir: string;
const bins = new Map<number, string>();

function script(bin: string, name: string, body: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

/** Answer files and scripts standing in for AIX's commands. `omit`: commands this host lacks (exit 127). */
function aixHost(bin: string, opts: { omit?: string[]; answers?: Record<string, string>; zone?: string; machine?: string } = {}): void {
  const a = (key: string) => opts.answers?.[key] ?? AIX.answers[key]!.stdout;
  const file = (key: string) => {
    const p = join(bin, `${key.replace(/[^\w]+/g, '_')}.out`);
    writeFileSync(p, `${a(key)}\n`);
    return p;
  };
  const scripts: Record<string, string> = {
    uname: `case "$1" in -s) echo AIX;; -M) printf '%s' '${opts.machine ?? 'IBM,9117-MMA'}';; *) exec /usr/bin/uname "$@";; esac`,
    oslevel: `echo ${a('oslevel -s')}`,
    date: `if [ "$1" = "+%z" ]; then ${opts.zone ?? 'echo +0800'}; else exec /usr/bin/date "$@"; fi`,
    lsattr: `cat ${file('lsattr -El sys0 -a modelname -a systemid -a fwversion')}`,
    vmstat: `cat ${file('vmstat *')}`,
    svmon: `cat ${file('svmon -G')}`,
    lsps: `cat ${file('lsps -s')}`,
    lspv: `cat ${file('lspv')}`,
    lsdev: `case "$2" in disk) cat ${file('lsdev -Cc disk')};; adapter) cat ${file('lsdev -Cc adapter')};; esac`,
    lsvg: `case "$1" in -o) cat ${file('lsvg -o')};; -p) cat ${file('lsvg -p rootvg')};; -l) cat ${file('lsvg -l rootvg')};; esac`,
    df: `cat ${file('df -k')}`,
    errpt: `cat ${file('errpt -s *')}`,
  };
  // A command this AIX lacks answers as sh does (df and date also exist here, in /usr/bin).
  for (const [name, body] of Object.entries(scripts)) script(bin, name, opts.omit?.includes(name) ? `echo "sh: ${name}: not found" >&2; exit 127` : body);
}

/** PowerShell on Windows OpenSSH: -EncodedCommand decoded, answered by what the script queries. */
function windowsHost(bin: string): void {
  const words: [string, string][] = [['Win32_ComputerSystem', 'identity'], ['PerfOS_Processor', 'cpu'], ['Win32_PageFileUsage', 'memory'], ['Get-PhysicalDisk', 'disks'], ['Get-Volume', 'volumes'], ['Get-Service', 'services'], ['Get-WinEvent', 'events']];
  for (const [, key] of words) writeFileSync(join(bin, `${key}.json`), WINDOWS.answers[key]!.stdout);
  // cmd.exe has no uname: it says so and exits 1.
  script(bin, 'uname', `echo "'uname' is not recognized as an internal or external command," >&2; exit 1`);
  const cases = words.map(([word, key]) => `*${word}*) cat ${join(bin, `${key}.json`)};;`).join(' ');
  script(
    bin,
    'powershell',
    [
      'enc=""; prev=""; for a in "$@"; do [ "$prev" = "-EncodedCommand" ] && enc="$a"; prev="$a"; done',
      `s=$(printf '%s' "$enc" | base64 -d | iconv -f UTF-16LE -t UTF-8)`,
      `case "$s" in *PSVersionTable*) echo 5.1.17763.6414;; ${cases} *) echo "unknown query" >&2; exit 1;; esac`,
    ].join('\n'),
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xunjian-aix-win-'));
  for (const port of [HEALTHY_AIX, BROKEN_AIX, FAILING_AIX, WINDOWS_HOST]) {
    const bin = join(dir, `bin-${port}`);
    mkdirSync(bin);
    bins.set(port, bin);
  }
  aixHost(bins.get(HEALTHY_AIX)!);
  // The issue's host: 12 stale logical volumes in rootvg, /usr 97 % full, computational pages
  // above real memory — and lsdev, lsvg and df missing altogether on the second.
  const stale = Array.from({ length: 12 }, (_, i) => `datalv${String(i).padStart(2, '0')}           jfs2       40      80      2    open/stale    /data${i}`).join('\n');
  const sick = {
    'lsvg -l rootvg': `rootvg:\nLV NAME             TYPE       LPs     PPs     PVs  LV STATE      MOUNT POINT\nhd2                 jfs2       152     304     2    open/syncd    /usr\n${stale}`,
    'df -k': 'Filesystem    1024-blocks      Free %Used    Iused %Iused Mounted on\n/dev/hd2          5242880    157286   97%    60331    27% /usr',
    'svmon -G': '               size       inuse        free         pin     virtual\nmemory      1048576     1040000        8576      300000     1534566\npg space     524288      207618',
  };
  aixHost(bins.get(BROKEN_AIX)!, { answers: sick, omit: ['lsdev', 'lsvg', 'df'], machine: '', zone: 'exit 1' });
  aixHost(bins.get(FAILING_AIX)!, { answers: sick });
  windowsHost(bins.get(WINDOWS_HOST)!);
  fleet = await startSshdFleet([HEALTHY_AIX, BROKEN_AIX, FAILING_AIX, WINDOWS_HOST], { sessionEnv: (port) => ({ PATH: `${bins.get(port)}:/usr/bin:/bin` }) });
  writeFileSync(join(dir, 'known_hosts'), fleet.knownHosts());
}, 120_000);
afterAll(async () => {
  await fleet?.stop();
});

function target(port: number, hostname: string): SshTarget {
  return { host: '127.0.0.1', port, user: fleet.user, privateKeyPath: fleet.clientKeyPath, knownHostsPath: join(dir, 'known_hosts'), identity: { hostname, kind: 'server', addresses: [] }, requiredServices: ['sshd', 'cron'] };
}

async function inspect(port: number, hostname: string): Promise<{ report: Report; results: CheckResult[] }> {
  const report = await collectSsh(target(port, hostname), { windowMs: 1000, now: START, logSince: new Date('2026-10-28T12:00:00.000Z') });
  return { report, results: evaluateReport(report, { site: { 'SXKR-003': { fsUsedMax: 95 } } }) };
}
const verdict = (results: CheckResult[], check: string) => results.find((r) => r.check === check)!;

describe('AIX over SSH (recorded commands on PATH)', SLOW, () => {
  it('reads identity, memory with paging space, disks, volume groups, file systems and errpt from framed commands', async () => {
    const { report, results } = await inspect(HEALTHY_AIX, 'p570');
    expect(report.identity).toMatchObject({ vendor: 'IBM', model: '9117-MMA', serial: '10ACFDE', version: '7200-05-03-2148' });
    expect(report.identity.os).toBe('AIX 7200-05-03-2148, firmware RG080425_d79e22_r');
    expect(report.gaps.filter((g) => !['SXKR-004', 'SXKR-005'].includes(g.check))).toEqual([]);
    for (const check of ['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-006']) expect(verdict(results, check).verdict, check).toBe('normal');
    expect(verdict(results, 'SXKR-002').components.map((c) => c.component).sort()).toEqual(['paging space', 'system']);
    expect(report.measurements.some((m) => m.command === 'lsvg -l rootvg' && m.component === 'lv rootvg/hd4')).toBe(true);
  });

  it('a missing lsdev, lsvg and df (sh: exit 127) are gaps naming them; an empty uname -M and a failing date +%z shift nothing', async () => {
    const { report, results } = await inspect(BROKEN_AIX, 'p570-broken');
    const r3 = verdict(results, 'SXKR-003');
    expect(r3.verdict).toBe('unknown');
    for (const c of ['lsdev -Cc disk', 'lsdev -Cc adapter', 'lsvg -o', 'df -k']) {
      expect(report.gaps.find((g) => g.command === c)?.reason, c).toMatch(/command not found \(exit 127/);
    }
    expect(report.identity.model).toBe('9114-275'); // from lsattr, never the OS level
    expect(report.identity.version).toBe('7200-05-03-2148');
    expect(report.gaps.find((g) => g.command === 'date +%z')).toMatchObject({ check: 'SXKR-006', component: 'entry times' });
    expect(verdict(results, 'SXKR-006').verdict).toBe('unknown');
    // Over-commit is judged, not dropped.
    expect(verdict(results, 'SXKR-002')).toMatchObject({ verdict: 'abnormal' });
    expect(verdict(results, 'SXKR-002').actual).toMatch(/146\.3 % \(above 100 %, judged as measured/);
  });

  it('12 stale logical volumes and /usr at 97 % are abnormal', async () => {
    const { results } = await inspect(FAILING_AIX, 'p570-sick');
    const r3 = verdict(results, 'SXKR-003');
    expect(r3.verdict).toBe('abnormal');
    expect(r3.components.filter((c) => c.verdict === 'abnormal' && /^lv rootvg\/datalv/.test(c.component))).toHaveLength(12);
    expect(r3.components.find((c) => c.component === '/usr')).toMatchObject({ verdict: 'abnormal' });
  });
});

describe('Windows over SSH (PowerShell answering -EncodedCommand)', SLOW, () => {
  it('reads identity, CPU, memory, disks, volumes, services and events as JSON', async () => {
    const { report, results } = await inspect(WINDOWS_HOST, 'win01');
    expect(report.identity).toMatchObject({ vendor: 'Dell Inc.', model: 'PowerEdge R740', serial: '7XK2Q53', version: '10.0.17763' });
    expect(report.gaps.filter((g) => !['SXKR-004', 'SXKR-005'].includes(g.check))).toEqual([]);
    for (const check of ['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-006']) expect(verdict(results, check).verdict, check).toBe('normal');
    const components = verdict(results, 'SXKR-003').components.map((c) => c.component);
    expect(components).toEqual(expect.arrayContaining(['disk 0 DELL PERC H730P', 'C:', 'service sshd', 'service cron']));
    // The form shows the query, not its base64 transport.
    expect(report.measurements.every((m) => !/EncodedCommand/.test(m.command))).toBe(true);
  });
});
