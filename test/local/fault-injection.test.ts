/**
 * The local source's fault-injection harness: this machine, in a private mount namespace, made to
 * look like a systemd host whose programs and /proc files fail in turn (test/local/fault-host.ts).
 * No check the failing input fed may read `normal` for lack of data.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { nodeEntry } from '../helpers/node-entry.js';

interface Run {
  target: string;
  fault: string;
  verdicts: Record<string, string>;
  fed: { check: string; command: string }[];
  gaps: string[];
}

/** Which measurements' commands each target feeds. */
const FEEDS: Record<string, RegExp> = {
  '/proc/meminfo': /^cat \/proc\/meminfo$/,
  '/proc/stat': /^cat \/proc\/stat/,
  '/proc/self/mounts': /\/proc\/self\/mounts/,
  '/usr/bin/systemctl': /^systemctl /,
  '/usr/bin/journalctl': /^journalctl /,
  '/usr/sbin/smartctl': /^smartctl /,
};
/** journalctl printing nothing is the journal's own "no error entry since": an answer. */
const EMPTY_IS_ANSWER = new Set(['/usr/bin/journalctl']);

describe('fault injection: local source', () => {
  const out = execFileSync('unshare', ['-m', '--propagation', 'private', process.execPath, ...nodeEntry(join(import.meta.dirname, 'fault-host.ts'))], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const runs = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Run);
  const clean = runs.find((r) => r.target === 'none')!;

  it('the clean run is normal on CPU, memory, modules and log, each fed by the inputs under test', () => {
    for (const check of ['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-006']) expect(clean.verdicts[check], check).toBe('normal');
    for (const [target, command] of Object.entries(FEEDS)) expect(clean.fed.some((m) => command.test(m.command)), target).toBe(true);
  });

  it('every input failing in every way leaves the checks it fed not normal, with a gap', () => {
    const faulted = runs.filter((r) => r.target !== 'none');
    expect(faulted.length).toBe(3 * 2 + 3 * 4);
    const wrong: string[] = [];
    for (const r of faulted) {
      if (r.fault === 'empty output' && EMPTY_IS_ANSWER.has(r.target)) continue;
      const checks = new Set(clean.fed.filter((m) => FEEDS[r.target]!.test(m.command)).map((m) => m.check));
      for (const check of checks) {
        if (r.verdicts[check] === 'normal') wrong.push(`${r.target} (${r.fault}) → ${check} normal`);
        if (!r.gaps.some((g) => g.startsWith(check))) wrong.push(`${r.target} (${r.fault}) → ${check} has no gap`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
