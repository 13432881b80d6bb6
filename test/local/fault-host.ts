/**
 * Runs inside a private mount namespace (`unshare -m --propagation private`, started by
 * fault-injection.test.ts): makes this machine look like a systemd host with a journal, puts
 * recorded stand-ins over systemctl, smartctl and journalctl, then inspects it with collectLocal
 * once cleanly and once per fault — a program failing (exit 127, exit 1, empty output, garbage),
 * a /proc file empty or garbage — and prints one JSON line per run. Nothing outside the
 * namespace is touched: every mount is private to it and ends with it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateReport } from '../../checks/index.js';
import { collectLocal } from '../../checks/sources/local/index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'checks', 'sources', 'parsers', 'testcases');
const dir = mkdtempSync(join(tmpdir(), 'xunjian-fault-'));
const mount = (...args: string[]) => execFileSync('mount', args);

// A systemd host (sd_booted) with a journal, in tmpfs private to this namespace.
mount('-t', 'tmpfs', 'tmpfs', '/run');
mkdirSync('/run/systemd/system', { recursive: true });
mount('-t', 'tmpfs', 'tmpfs', '/var/log');
mkdirSync('/var/log/journal/0123456789abcdef0123456789abcdef', { recursive: true });
writeFileSync('/var/log/journal/0123456789abcdef0123456789abcdef/system.journal', '');

const PROGRAMS: Record<string, { path: string; healthy: string }> = {
  systemctl: {
    path: '/usr/bin/systemctl',
    healthy: 'case "$1" in --failed) printf "  UNIT LOAD ACTIVE SUB DESCRIPTION\\n\\n0 loaded units listed.\\n";; is-active) shift; for u in "$@"; do echo active; done;; esac',
  },
  smartctl: { path: '/usr/sbin/smartctl', healthy: `cat ${join(FIXTURES, 'smartctl-ata-passed-ssd', 'input.txt')}` },
  // No error entry since the last inspection: journalctl prints nothing.
  journalctl: { path: '/usr/bin/journalctl', healthy: 'true' },
};
// smartctl last: a virtual disk that smartctl could not read is remembered for an hour (collect.ts),
// which would make SXKR-003 unknown in every later run whatever its own fault.
const ORDER = ['systemctl', 'journalctl', 'smartctl'];
const FAULT_BODIES: Record<string, string> = {
  'exit 127': 'echo "$0: not found" >&2; exit 127',
  'exit 1': 'echo "Permission denied" >&2; exit 1',
  'empty output': 'exit 0',
  garbage: 'echo "%%% Segmentation fault (core dumped) ~~ 0x7f3a 42 @@"; exit 0',
};
for (const [name, p] of Object.entries(PROGRAMS)) {
  const script = join(dir, name);
  writeFileSync(script, `#!/bin/sh\nmode=$(cat ${join(dir, `${name}.mode`)})\ncase "$mode" in\n${Object.entries(FAULT_BODIES).map(([m, body]) => `'${m}') ${body};;`).join('\n')}\n*) ${p.healthy};;\nesac\n`, { mode: 0o755 });
  writeFileSync(join(dir, `${name}.mode`), 'healthy');
  mount('--bind', script, p.path);
}

const FILES = ['/proc/meminfo', '/proc/stat', `/proc/${process.pid}/mounts`];
const FILE_FAULTS: Record<string, string> = { 'empty output': '', garbage: '%%% Segmentation fault (core dumped) ~~ 0x7f3a 42 @@\n' };

async function run(target: string, fault: string): Promise<void> {
  const at = new Date();
  const { report } = await collectLocal({
    windowMs: 300,
    sampleEveryMs: 100,
    requiredServices: ['sshd'],
    logSince: new Date(at.getTime() - 86_400_000),
    identity: { hostname: 'fault-host', kind: 'server', addresses: [] },
  });
  // The machine's own load is not the point: CPU is judged only on whether it was measured.
  const results = evaluateReport(report, { site: { 'SXKR-001': { avgMax: 100, peakMax: 100 } } });
  const verdicts = Object.fromEntries(results.map((r) => [r.check, r.verdict]));
  const fed = report.measurements.map((m) => ({ check: m.check, command: m.command }));
  process.stdout.write(`${JSON.stringify({ target, fault, verdicts, fed, gaps: report.gaps.map((g) => `${g.check} ${g.command ?? ''}: ${g.reason}`) })}\n`);
}

await run('none', 'none');
for (const file of FILES) {
  for (const [fault, text] of Object.entries(FILE_FAULTS)) {
    const stand = join(dir, `file-${fault.replace(/\W/g, '')}`);
    writeFileSync(stand, text);
    mount('--bind', stand, file);
    try {
      await run(file.replace(String(process.pid), 'self'), fault);
    } finally {
      execFileSync('umount', [file]);
    }
  }
}
for (const name of ORDER) {
  for (const fault of Object.keys(FAULT_BODIES)) {
    writeFileSync(join(dir, `${name}.mode`), fault);
    await run(PROGRAMS[name]!.path, fault);
  }
  writeFileSync(join(dir, `${name}.mode`), 'healthy');
}
