/**
 * IBM Power servers through their HMC over real sshd sessions. No HMC can run here, so each HMC
 * host's PATH starts with scripts that answer as `lssyscfg` and `lssvcevents` would — with the
 * recorded output of checks/sources/hmc/testcases, and only to the exact arguments the source must
 * send. The login, host-key check, shell, exit codes and a failing command are real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { closedPort, startSshdFleet, type SshdFleet } from '../helpers/sshd.js';
import { hmcFixture, hmcHost } from '../helpers/hmc.js';
import { collectHmc, type HmcTarget } from '../../checks/sources/hmc/index.js';
import { evaluateReport } from '../../checks/index.js';
import { inspectSite, parseSiteFile } from '../../checks/run/index.js';
import type { CheckResult, Report } from '../../schemas/index.js';

// Ports 2260–2264 belong to this file.
const HMC_EVENTS = 2260;
const HMC_QUIET = 2261;
const HMC_FAILING = 2262;
const LINUX_SERVER = 2263;
const SINCE = new Date('2026-10-28T12:00:00.000Z');
const SLOW = { timeout: 400_000 };
const fixture = hmcFixture;

let fleet: SshdFleet;
let dir: string;
const bins = new Map<number, string>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xunjian-hmc-'));
  for (const port of [HMC_EVENTS, HMC_QUIET, HMC_FAILING]) {
    const bin = join(dir, `bin-${port}`);
    mkdirSync(bin);
    bins.set(port, bin);
  }
  hmcHost(bins.get(HMC_EVENTS)!, { events: fixture('lssvcevents-ibm-n1014321') + fixture('lssvcevents-power-fan-thermal-constructed') });
  hmcHost(bins.get(HMC_QUIET)!, { events: fixture('lssvcevents-none') });
  // The HMC's own generic failure sentence (as public HMC scripts match it).
  hmcHost(bins.get(HMC_FAILING)!, { failure: 'An unknown error occurred while trying to perform this command. Retry the command. If the error persists, contact your software support representative.' });
  fleet = await startSshdFleet([HMC_EVENTS, HMC_QUIET, HMC_FAILING, LINUX_SERVER], { sessionEnv: (port) => (bins.has(port) ? { PATH: `${bins.get(port)}:/usr/bin:/bin` } : undefined) });
  writeFileSync(join(dir, 'known_hosts'), fleet.knownHosts());
}, 120_000);
afterAll(async () => {
  await fleet?.stop();
});

function target(port: number, managedSystem: string): HmcTarget {
  // A loaded 2-core machine can take tens of seconds for one session: generous bounds, no duration asserted.
  return { host: '127.0.0.1', port, user: fleet.user, privateKeyPath: fleet.clientKeyPath, knownHostsPath: join(dir, 'known_hosts'), connectTimeoutMs: 60_000, commandTimeoutMs: 120_000, managedSystem, identity: { hostname: 'power-server', kind: 'server', addresses: [] } };
}

async function inspect(port: number, managedSystem: string): Promise<{ report: Report; results: CheckResult[] }> {
  const report = await collectHmc(target(port, managedSystem), { now: new Date('2026-11-30T12:00:00.000Z'), logSince: SINCE });
  return { report, results: evaluateReport(report, undefined, { lang: 'en' }).filter((r) => ['SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006'].includes(r.check)) };
}
const of = (results: CheckResult[], check: string) => results.find((r) => r.check === check)!;

describe('HMC over SSH (recorded lssyscfg/lssvcevents on PATH)', SLOW, () => {
  it('a server with open power, fan and thermal events: SXKR-004/005 abnormal, every open event in SXKR-006 with its age', async () => {
    const { report, results } = await inspect(HMC_EVENTS, 'Server-9117-MMA-SN10ACFDE');
    expect(report.gaps).toEqual([]);
    expect(report.identity).toMatchObject({ vendor: 'IBM', model: '9117-MMA', serial: '10ACFDE' });
    expect(of(results, 'SXKR-004').verdict).toBe('abnormal');
    expect(of(results, 'SXKR-004').components.map((c) => c.component)).toEqual(['power (HMC problem 101)', 'fan (HMC problem 102)']);
    expect(of(results, 'SXKR-005').verdict).toBe('abnormal');
    expect(of(results, 'SXKR-006').components.map((c) => c.component)).toEqual(['HMC problem 101', 'HMC problem 102', 'HMC problem 103']);
    // `Error - Dump in progress` is a fault of the server itself.
    expect(of(results, 'SXKR-003')).toMatchObject({ verdict: 'abnormal' });
    const entry = (n: string) => report.measurements.find((m) => m.component === `HMC problem ${n}`)!;
    expect(entry('101')).toMatchObject({ at: '2026-11-30T01:15:02.000Z', command: 'lssvcevents -t hardware --filter "status=open" (HMC 127.0.0.1:2260)' });
    expect(entry('101').detail).toMatch(/new since the last inspection/);
    expect(entry('102').detail).toMatch(/already open at the last inspection .* and still open/);
  });

  it('the technote\'s events are matched to their server by type-model/serial although sys_name is the console', async () => {
    const { report, results } = await inspect(HMC_EVENTS, 'Server-8286-41A-SN0TU20305');
    expect(of(results, 'SXKR-003').verdict).toBe('normal');
    expect(of(results, 'SXKR-004').verdict).toBe('normal');
    expect(of(results, 'SXKR-005').verdict).toBe('normal');
    expect(of(results, 'SXKR-006').verdict).toBe('abnormal');
    expect(of(results, 'SXKR-006').components.map((c) => c.component).sort()).toEqual(['HMC problem 104', 'HMC problem 44', 'HMC problem 45']);
    expect(report.measurements.find((m) => m.component === 'HMC problem 45')?.value).toBe('B3020001: Communications to the SFP component on partition P8TiOS are unavailable.');
  });

  it('"No results were found." is a clean server; the system can be named by type-model*serial', async () => {
    const { report, results } = await inspect(HMC_QUIET, '8286-41A*TU20305');
    expect(report.gaps).toEqual([]);
    for (const check of ['SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']) expect(of(results, check).verdict, check).toBe('normal');
  });

  it('a server the HMC cannot talk to, a name it does not know, a failing lssvcevents and an unreachable HMC are unknown with the reason', async () => {
    const blind = await inspect(HMC_EVENTS, 'Server-8284-22A-SN12F082W');
    for (const check of ['SXKR-004', 'SXKR-005', 'SXKR-006']) expect(of(blind.results, check).verdict, check).toBe('unknown');
    expect(blind.report.gaps[0]!.reason).toMatch(/no working connection to its service processor \(state "No Connection"\)/);

    const missing = await inspect(HMC_EVENTS, 'Server-0000-000-SN0000000');
    expect(missing.results.map((r) => r.verdict)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(missing.report.gaps[0]!.reason).toMatch(/manages no system of this name \(it manages: Server-8286-41A-SN0TU20305, /);

    const failing = await inspect(HMC_FAILING, 'Server-8286-41A-SN0TU20305');
    expect(of(failing.results, 'SXKR-003').verdict).toBe('normal');
    for (const check of ['SXKR-004', 'SXKR-005', 'SXKR-006']) expect(of(failing.results, check).verdict, check).toBe('unknown');
    expect(failing.report.gaps.find((g) => g.check === 'SXKR-006')?.reason).toMatch(/lssvcevents .* failed: An unknown error occurred/);

    const refused = await inspect(await closedPort(), 'Server-8286-41A-SN0TU20305');
    expect(refused.results.map((r) => r.verdict)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
    expect(refused.report.gaps[0]!.reason).toMatch(/connection refused/);
  });

  it('a site server with an hmc: entry combines its OS over SSH with the HMC; an unset HMC password is said', async () => {
    const siteFile = join(dir, 'power.yaml');
    const hmc = { host: '127.0.0.1', port: HMC_EVENTS, user: fleet.user, managed_system: '9117-MMA*10ACFDE', timeout_s: 120 };
    writeFileSync(
      siteFile,
      stringify({
        site: 'power',
        ssh: { user: fleet.user, auth: { key_file: fleet.clientKeyPath }, known_hosts: join(dir, 'known_hosts'), timeout_s: 60 },
        servers: [
          { name: 'p570', host: '127.0.0.1', port: LINUX_SERVER, hmc },
          { name: 'p570-nopw', host: '127.0.0.1', port: LINUX_SERVER, hmc: { ...hmc, auth: { password_env: 'XJ_TEST_UNSET_HMC_PW' } } },
        ],
        thresholds: { site: { 'SXKR-001': { avgMax: 100, peakMax: 100 }, 'SXKR-002': { usedMax: 100 } } },
      }),
    );
    const run = await inspectSite(parseSiteFile(readFileSync(siteFile, 'utf8'), siteFile), { windowMs: 1000, lang: 'en', env: {}, logSince: SINCE });
    const [p570, nopw] = run.devices;
    const r = (d: typeof p570, check: string) => d!.results.find((x) => x.check === check)!;
    expect(r(p570, 'SXKR-004').verdict).toBe('abnormal');
    expect(r(p570, 'SXKR-004').components.every((c) => c.command?.includes('(HMC 127.0.0.1:2260)'))).toBe(true);
    expect(r(p570, 'SXKR-005').verdict).toBe('abnormal');
    // The OS part, over SSH (the HMC says nothing of CPU): measured, or — when a loaded machine
    // times the session out — a gap naming the server, never the HMC.
    const cpu = [...p570!.report.measurements.filter((m) => m.check === 'SXKR-001').map(() => 'measured'), ...p570!.report.gaps.filter((g) => g.check === 'SXKR-001').map((g) => g.reason)];
    expect(cpu.length).toBeGreaterThan(0);
    expect(cpu.every((c) => c === 'measured' || c.startsWith(`127.0.0.1:${LINUX_SERVER}`))).toBe(true);
    expect(r(nopw, 'SXKR-004').verdict).toBe('unknown');
    expect(nopw!.report.gaps.filter((g) => g.check === 'SXKR-004').map((g) => g.reason)).toContainEqual(expect.stringMatching(/^HMC 127\.0\.0\.1:2260: environment variable XJ_TEST_UNSET_HMC_PW .* is not set/));
  });
});
