/**
 * Each OS's whole command set, with each command failing in turn (exit 127, exit 1, empty output,
 * garbage): no check the command fed may read `normal` for lack of data. See README.md.
 */
import { describe, expect, it } from 'vitest';
import { evaluateReport } from '../../../index.js';
import type { CheckId, Report, ThresholdOverrides } from '../../../../schemas/index.js';
import { collectAix } from '../aix.js';
import { collectLinux } from '../linux.js';
import type { OsCollection, OsContext } from '../os-context.js';
import { collectWindows } from '../windows.js';
import { AIX, EMPTY_IS_ANSWER, FAULTS, LINUX, WINDOWS, recordedSession, type Fault, type RecordedHost } from './hosts.js';

const START = new Date('2026-11-28T12:00:00.000Z');
// The recorded df has /home at 92 %: the harness judges data, not thresholds.
const OVERRIDES: ThresholdOverrides = { site: { 'SXKR-003': { fsUsedMax: 95 } } };
const JUDGED: CheckId[] = ['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-006'];

type Collect = (ctx: OsContext) => Promise<OsCollection>;

async function inspect(host: RecordedHost, collect: Collect, target?: { key: string; fault: Fault }) {
  const session = recordedSession(host, target);
  const ctx: OsContext = { session, windowMs: 2000, logSince: new Date(START.getTime() - 30 * 86_400_000), requiredServices: ['sshd', 'cron'], clock: () => START };
  const c = await collect(ctx);
  const report: Report = {
    id: `fault-${host.name}`,
    source: 'ssh',
    window: { start: START.toISOString(), end: START.toISOString() },
    identity: { hostname: host.name, kind: 'server', addresses: [] },
    measurements: c.measurements,
    gaps: c.gaps,
  };
  return { report, results: evaluateReport(report, OVERRIDES), ran: session.ran };
}

/** Which checks each recorded command fed in the clean run (by the measurements it produced). */
function feeds(host: RecordedHost, report: Report): Map<string, Set<CheckId>> {
  const out = new Map<string, Set<CheckId>>();
  for (const m of report.measurements) {
    const key = Object.keys(host.answers).find((k) => (k.endsWith('*') ? m.command.startsWith(k.slice(0, -1)) : m.command === k)) ?? windowsKey(m.command);
    if (!key) continue;
    if (!out.has(key)) out.set(key, new Set());
    out.get(key)!.add(m.check);
  }
  return out;
}

/** A Windows measurement's command is the readable script: map it back by what it queries. */
function windowsKey(shown: string): string | undefined {
  const words: [string, string][] = [['PerfOS_Processor', 'cpu'], ['Win32_PageFileUsage', 'memory'], ['Get-PhysicalDisk', 'disks'], ['Get-Volume', 'volumes'], ['Get-Service', 'services'], ['Get-WinEvent', 'events']];
  return words.find(([w]) => shown.includes(w))?.[1];
}

const OSES: [RecordedHost, Collect][] = [
  [LINUX, collectLinux],
  [AIX, collectAix],
  [WINDOWS, collectWindows],
];

describe.each(OSES)('fault injection: $name', (host, collect) => {
  it('the clean recording is judged normal on every check it measures (a baseline the faults can spoil)', async () => {
    const { results, ran } = await inspect(host, collect);
    for (const check of JUDGED) expect(results.find((r) => r.check === check)!.verdict, check).toBe('normal');
    // Every recorded command was asked for: the harness covers the whole command set.
    expect([...ran].sort()).toEqual(Object.keys(host.answers).filter((k) => host.name !== 'aix' || k !== 'errpt').sort());
  });

  it('no check turns normal when one of its commands fails', async () => {
    const clean = await inspect(host, collect);
    const fed = feeds(host, clean.report);
    // AIX: the UTC offset feeds the error log's times without being a measurement's command.
    if (host === AIX) fed.set('date +%z', new Set(['SXKR-006']));
    expect(fed.size).toBeGreaterThan(4);
    const wrong: string[] = [];
    for (const [key, checks] of fed) {
      for (const fault of FAULTS) {
        if (fault === 'empty output' && EMPTY_IS_ANSWER[host.name]!.includes(key)) continue;
        const { report, results } = await inspect(host, collect, { key, fault });
        for (const check of checks) {
          const r = results.find((x) => x.check === check)!;
          if (r.verdict !== 'normal') continue;
          // Normal is right only when another command answered for it (errpt after errpt -s).
          const otherSource = report.measurements.some((m) => m.check === check && !clean.report.measurements.some((c) => c.command === m.command));
          if (!otherSource) wrong.push(`${key} (${fault}) → ${check} normal`);
        }
        // A failure is named: some gap carries the failing command's words.
        if (!report.gaps.some((g) => g.reason.length > 0 && checks.has(g.check)) && !report.measurements.some((m) => !clean.report.measurements.some((c) => c.command === m.command))) {
          wrong.push(`${key} (${fault}) left no gap`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
