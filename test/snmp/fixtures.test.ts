/**
 * The SNMP source against a real agent (snmpsimd) serving our own small recordings
 * (test/snmp/fixtures): UPS-MIB, a generic Net-SNMP host, a Cisco with a syslog history table,
 * CPU sampling across a window; and the failure paths: nothing listening, wrong community.
 */
import { createSocket, type Socket } from 'node:dgram';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import { collectSnmp, collectSnmpMany, profileOf, SnmpSession, SnmpTimeoutError, type SnmpTarget } from '../../checks/sources/snmp/index.js';
import type { Report } from '../../schemas/index.js';
import { addRecording, makeDataDir, simTarget, startSnmpsim, type Snmpsim } from '../helpers/snmpsim.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

let sim: Snmpsim;
let dataDir: string;
const target = (community: string, extra: Partial<SnmpTarget> = {}) => simTarget(sim, community, extra);
const result = (r: Report, check: string) => evaluateReport(r).find((x) => x.check === check)!;

beforeAll(async () => {
  dataDir = makeDataDir();
  for (const f of readdirSync(FIXTURES).filter((f) => f.endsWith('.snmprec'))) addRecording(dataDir, join(FIXTURES, f));
  sim = await startSnmpsim({ dataDir, probeCommunity: 'cisco_log' });
}, 130_000);

afterAll(async () => {
  await sim?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('session', () => {
  it('GETs scalars and walks a subtree with GETBULK, in OID order', async () => {
    const s = new SnmpSession(target('cisco_log'));
    try {
      const [descr, missing] = await s.get(['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.99.0']);
      expect(descr).toMatch(/^Cisco IOS Software, C2960X/);
      expect(missing).toBeUndefined();
      const rows = await s.walk('1.3.6.1.4.1.9.9.41.1.2.3.1.3');
      expect(rows.map((r) => [r.oid.split('.').pop(), r.value])).toEqual([
        ['1', 6],
        ['2', 4],
        ['3', 3],
        ['4', 4],
      ]);
    } finally {
      s.close();
    }
  });

  it('walks with GETNEXT under SNMPv1', async () => {
    const s = new SnmpSession(target('linux_host', { version: '1' }));
    try {
      const rows = await s.walk('1.3.6.1.2.1.25.3.3.1.2');
      expect(rows.map((r) => r.value)).toEqual([12, 30]);
    } finally {
      s.close();
    }
  });

  it('rejects with SnmpTimeoutError when the community is wrong (the agent stays silent)', async () => {
    const s = new SnmpSession(target('no-such-community', { timeoutMs: 200, retries: 1 }));
    try {
      const err = await s.get(['1.3.6.1.2.1.1.1.0']).catch((e) => e);
      expect(err).toBeInstanceOf(SnmpTimeoutError);
      expect(err.code).toBe('SNMP_TIMEOUT');
      expect(err.message).toMatch(/within 200 ms after 1 retry/);
    } finally {
      s.close();
    }
  });

  it('refuses a malformed target with a clear message', () => {
    expect(() => new SnmpSession({ host: '127.0.0.1', version: '2c' })).toThrow(/needs a community/);
    expect(() => new SnmpSession({ host: '127.0.0.1', version: '3', user: 'u', level: 'authPriv', authKey: 'authpass12' })).toThrow(/privacy key/);
  });
});

describe('collectSnmp on our fixtures', () => {
  it('UPS on battery with battery low: ups-mib profile, SXKR-004 abnormal naming both, CPU/memory unknown with why', async () => {
    const r = await collectSnmp(target('ups_onbattery'));
    expect(profileOf(r)).toBe('ups-mib');
    expect(r.identity).toMatchObject({ hostname: 'ups-room-1', kind: 'ups', model: '9PX3000IRT2U', version: 'INV: 1.10' });
    const power = result(r, 'SXKR-004');
    expect(power.verdict).toBe('abnormal');
    expect(power.components.find((c) => c.component === 'UPS output source')).toMatchObject({ verdict: 'abnormal', actual: 'battery(5)' });
    expect(power.components.find((c) => c.component === 'UPS battery')).toMatchObject({ verdict: 'abnormal', actual: 'batteryLow(3)' });
    expect(result(r, 'SXKR-003').verdict).toBe('abnormal'); // 2 alarms present
    expect(result(r, 'SXKR-001')).toMatchObject({ verdict: 'unknown', reason: expect.stringMatching(/UPS-MIB/) });
    expect(result(r, 'SXKR-005').components[0]).toMatchObject({ component: 'UPS battery temperature', verdict: 'normal' });
  });

  it('the same UPS on mains is normal for power', async () => {
    const r = await collectSnmp(target('ups_normal'));
    expect(result(r, 'SXKR-004').verdict).toBe('normal');
    expect(result(r, 'SXKR-003').verdict).toBe('normal');
  });

  it('a Net-SNMP host through the generic profile: CPUs, RAM, swap, a full file system, the down port listed', async () => {
    const r = await collectSnmp(target('linux_host'), { windowMs: 0 });
    expect(profileOf(r)).toBe('generic');
    expect(r.identity).toMatchObject({ hostname: 'db01', kind: 'server' });
    const cpu = r.measurements.filter((m) => m.metric === 'cpu.avg').map((m) => [m.component, m.value]);
    expect(cpu).toEqual([
      ['CPU 196608', 12],
      ['CPU 196609', 30],
    ]);
    expect(r.measurements.find((m) => m.metric === 'memory.used')).toMatchObject({ component: 'Physical memory', value: 37.5 });
    expect(r.measurements.find((m) => m.metric === 'swap.used')).toMatchObject({ component: 'Swap space', value: 10 });
    const modules = result(r, 'SXKR-003');
    expect(modules.verdict).toBe('abnormal');
    expect(modules.components.find((c) => c.component === '/')).toMatchObject({ verdict: 'abnormal' });
    expect(modules.components.find((c) => c.component === '/var')).toMatchObject({ verdict: 'normal' });
    expect(r.measurements.find((m) => m.component === 'ports admin-up, oper-down')).toMatchObject({ value: '1: eth1' });
    // hrDeviceStatus: the processors are listed; network interfaces (ifb0 down) are left to IF-MIB.
    expect(r.measurements.filter((m) => m.command.startsWith('hrDeviceStatus')).map((m) => m.value)).toEqual(['running(2)', 'running(2)']);
    // No sensor table on this host: temperature is unknown with what was looked for.
    expect(result(r, 'SXKR-005')).toMatchObject({ verdict: 'unknown', reason: expect.stringMatching(/entPhySensorValue/) });
  });

  it('reads the Cisco syslog history since logSince: error and worse only, each with its time', async () => {
    const since = new Date(Date.now() - 2000_000); // entries 3 and 4 were logged 1000 s and 500 s ago
    const r = await collectSnmp(target('cisco_log'), { logSince: since });
    expect(profileOf(r)).toBe('cisco-ios');
    expect(r.identity).toMatchObject({ hostname: 'acc-sw-07', serial: 'FOC2101X0AB', model: 'WS-C2960X-24TS-L', version: '15.2(7)E3' });
    const entries = r.measurements.filter((m) => m.metric === 'log.entry');
    expect(entries.map((e) => [e.severity, e.value])).toEqual([
      ['critical', '%PLATFORM_ENV-FAN_NOT_PRESENT: Fan 1 is not present'],
      ['error', '%SYS-MGMT_RESTART: Management process restarted unexpectedly'],
    ]);
    const age = (Date.parse(r.window.end) - Date.parse(entries[0]!.at)) / 1000;
    expect(age).toBeCloseTo(1000, 0);
    expect(r.measurements.find((m) => m.metric === 'log.scanned')).toMatchObject({ value: 4 });
    const log = result(r, 'SXKR-006');
    expect(log.verdict).toBe('abnormal');
    expect(log.actual).toMatch(/2 new error entries \(4 read\)/);
    // An empty PSU bay is not a failure, and says so.
    const power = result(r, 'SXKR-004');
    expect(power.verdict).toBe('normal');
    expect(power.components.find((c) => c.component === 'Sw1, PS2')).toMatchObject({ verdict: 'normal', actual: expect.stringMatching(/notPresent\(5\) \(not present\)/) });
  });

  it('without logSince every error entry in the table is reported', async () => {
    const r = await collectSnmp(target('cisco_log'));
    expect(r.measurements.filter((m) => m.metric === 'log.entry').map((e) => e.severity)).toEqual(['error', 'critical', 'error']);
  });

  it('samples the 5-second CPU across the window: average = 5-minute value, maximum over samples and average', async () => {
    const r = await collectSnmp(target('cisco_log'), { windowMs: 600, samples: 3 });
    const avg = r.measurements.find((m) => m.metric === 'cpu.avg')!;
    const max = r.measurements.find((m) => m.metric === 'cpu.max')!;
    expect(avg).toMatchObject({ component: 'Processor 1', value: 20, command: 'cpmCPUTotal5minRev.1 (1.3.6.1.4.1.9.9.109.1.1.1.1.8.1)' });
    expect(max).toMatchObject({ value: 35, detail: 'samples 35, 35, 35 %; 5-minute average 20 %' });
    expect(max.command).toMatch(/^max of 3 samples of cpmCPUTotal5secRev\.1 .* over 1 s and cpmCPUTotal5minRev\.1/);
    expect(Date.parse(r.window.end) - Date.parse(r.window.start)).toBeGreaterThanOrEqual(600);
  });
});

describe('unreachable devices', () => {
  let silent: Socket;
  let silentPort: number;
  beforeAll(async () => {
    // A bound UDP socket that never answers: requests are delivered and ignored.
    silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    silentPort = silent.address().port;
  });
  afterAll(() => silent.close());

  it('nothing answering: every check unknown with the timeout and retries in the reason', async () => {
    const r = await collectSnmp({ host: '127.0.0.1', port: silentPort, version: '2c', community: 'public', timeoutMs: 150, retries: 2, name: 'core-sw' });
    expect(r.measurements).toEqual([]);
    expect(r.identity.hostname).toBe('core-sw');
    const results = evaluateReport(r);
    expect(results).toHaveLength(6);
    for (const res of results) {
      expect(res.verdict).toBe('unknown');
      expect(res.reason).toMatch(/no SNMP answer from 127\.0\.0\.1:\d+ .* within 150 ms after 2 retries/);
    }
  });

  it('a closed port (no socket at all): unknown with the reason, after the retries', async () => {
    const probe = createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', () => r()));
    const closedPort = probe.address().port;
    await new Promise<void>((r) => probe.close(() => r()));
    const r = await collectSnmp({ host: '127.0.0.1', port: closedPort, version: '2c', community: 'public', timeoutMs: 150, retries: 1 });
    expect(evaluateReport(r).map((x) => x.verdict)).toEqual(Array(6).fill('unknown'));
    expect(r.gaps[0]!.reason).toMatch(/within 150 ms after 1 retry/);
  });

  it('wrong community on a live agent: unknown with the reason, not normal', async () => {
    const r = await collectSnmp(target('wrong-community', { timeoutMs: 150, retries: 0 }));
    for (const res of evaluateReport(r)) expect(res).toMatchObject({ verdict: 'unknown', reason: expect.stringMatching(/wrong community/) });
  });

  it('collectSnmpMany: a dead device does not hold up the others', async () => {
    const dead: SnmpTarget = { host: '127.0.0.1', port: silentPort, version: '2c', community: 'x', timeoutMs: 3000, retries: 0 };
    const order: string[] = [];
    const outcomes = await collectSnmpMany([dead, target('ups_normal'), target('linux_host'), target('ups_onbattery')], {
      concurrency: 2,
      onDone: (o) => order.push(o.target.community!),
    });
    expect(outcomes.map((o) => (o.report ? profileOf(o.report) ?? 'unreachable' : 'error'))).toEqual(['unreachable', 'ups-mib', 'generic', 'ups-mib']);
    // With two slots, the three live devices all finish through the other slot while the dead one waits out its timeout.
    expect(order.at(-1)).toBe('x');
    expect(outcomes[0]!.report!.gaps).toHaveLength(6);
  });
});
