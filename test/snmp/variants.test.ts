/**
 * Abnormal variants of real devices: a copy of a real recording with exactly one value changed
 * (a PSU failed on IOS and on Comware, a fan failed, a sensor over the device's own limit, CPU at
 * 95 %, a module in fault; a UPS on battery from our own UPS-MIB recording, there being no real
 * one), served by snmpsimd, polled, and evaluated by the SXKR catalogue. Each must come out
 * abnormal naming exactly the changed component, while the unchanged recording is normal for
 * that check. An admin-up port gone oper-down is listed, not judged. Skipped, saying so, when ../shared/testdata/snmp is absent.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import { collectSnmp } from '../../checks/sources/snmp/index.js';
import type { CheckId, CheckResult, Report } from '../../schemas/index.js';
import { addRecording, makeDataDir, startSnmpsim, writeVariant, type Snmpsim } from '../helpers/snmpsim.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const RECORDINGS = resolve(repoRoot, '../shared/testdata/snmp/recordings');
const FIXTURES = resolve(repoRoot, 'test/snmp/fixtures');
const present = existsSync(RECORDINGS);
if (!present) console.warn(`SNMP abnormal-variant suite skipped: ${RECORDINGS} (real-device recordings) is not here`);

interface Variant {
  name: string;
  from: string;
  /** Where `from` lives: the real recordings (default) or our own fixtures (no real UPS walk exists). */
  dir?: string;
  change: Record<string, string>;
  check: CheckId;
  component: string;
  reason: RegExp;
}

const VARIANTS: Variant[] = [
  {
    name: 'failed PSU (ciscoEnvMonSupplyState critical) on stack member 2',
    from: 'ios_2960x',
    change: { '1.3.6.1.4.1.9.9.13.1.5.1.3.2006': '3' },
    check: 'SXKR-004',
    component: 'Sw2, PS1 Normal, RPS NotExist',
    reason: /critical\(3\)/,
  },
  {
    name: 'failed fan (hh3cDevMFanStatus deactive) on Comware 7',
    from: 'comware_hpe5900',
    change: { '1.3.6.1.4.1.25506.8.35.9.1.1.1.2.2': '2' },
    check: 'SXKR-004',
    component: 'Fan 2',
    reason: /deactive\(2\)/,
  },
  {
    name: 'entity sensor over the device’s own 70 °C threshold on NX-OS',
    from: 'nxos_n3k-3064pq',
    change: { '1.3.6.1.4.1.9.9.91.1.1.1.1.4.38486': '75' },
    check: 'SXKR-005',
    component: 'module-1 Back-Right (D0)', // entPhysicalName as the device spells it
    reason: /75\.0 °C ≥ device limit 70\.0 °C/,
  },
  {
    name: 'envmon temperature over its device threshold (68 °C) on IOS',
    from: 'ios_2960x',
    change: { '1.3.6.1.4.1.9.9.13.1.3.1.3.2008': '69' },
    check: 'SXKR-005',
    component: 'SW#2, Sensor#1, GREEN',
    reason: /69\.0 °C ≥ device limit 68\.0 °C/,
  },
  {
    name: 'CPU at 95 % (cpmCPUTotal5minRev) on IOS 12.2',
    from: 'ios_c3560',
    change: { '1.3.6.1.4.1.9.9.109.1.1.1.1.8.1': '95' },
    check: 'SXKR-001',
    component: 'Processor 1',
    reason: /average 95\.0 % > 50 %, maximum 95\.0 % > 70 %/,
  },
  {
    name: 'CPU at 95 % (hh3cEntityExtCpuUsage) on Comware 5',
    from: 'comware_a5500',
    change: { '1.3.6.1.4.1.25506.2.6.1.1.1.1.6.65': '95' },
    check: 'SXKR-001',
    component: 'Board',
    reason: /average 95\.0 %/,
  },
  {
    name: 'line card in fault (cefcFRUPowerOperStatus failed) on IOS-XE',
    from: 'iosxe_c9400',
    change: { '1.3.6.1.4.1.9.9.117.1.1.2.1.2.1000': '8' },
    check: 'SXKR-003',
    component: 'Slot 1 Linecard power',
    reason: /failed\(8\)/,
  },
  {
    name: 'stack member in fault (cswSwitchState verMismatch) on IOS',
    from: 'ios_2960x',
    change: { '1.3.6.1.4.1.9.9.500.1.2.1.1.6.2001': '6' },
    check: 'SXKR-003',
    component: 'stack member 2',
    reason: /verMismatch\(6\)/,
  },
  {
    name: 'failed PSU (hh3cDevMPowerStatus deactive) on Comware 7',
    from: 'comware_hpe5900',
    change: { '1.3.6.1.4.1.25506.8.35.9.1.2.1.2.1': '2' },
    check: 'SXKR-004',
    component: 'Power Supply 1',
    reason: /deactive\(2\)/,
  },
  {
    name: 'UPS on battery (upsOutputSource battery) — our UPS-MIB recording on mains',
    from: 'ups_normal',
    dir: FIXTURES,
    change: { '1.3.6.1.2.1.33.1.4.1.0': '5' },
    check: 'SXKR-004',
    component: 'UPS output source',
    reason: /battery\(5\)/,
  },
];

/** An admin-up port going oper-down is reported in its list, not judged (access ports go down when a PC is unplugged). */
const PORT_DOWN = {
  from: 'ios_2960x',
  change: { '1.3.6.1.2.1.2.2.1.8.10103': '2' }, // ifOperStatus.10103 (GigabitEthernet1/0/3, admin up) up → down
  port: 'Gi1/0/3', // ifName
  component: 'ports admin-up, oper-down',
};

const recording = (v: { from: string; dir?: string }) => join(v.dir ?? RECORDINGS, `${v.from}.snmprec`);

describe.skipIf(!present)('abnormal variants of real recordings', () => {
  let sim: Snmpsim;
  let dataDir: string;
  const results = new Map<string, CheckResult[]>();
  let portDown: Report;

  beforeAll(async () => {
    dataDir = makeDataDir();
    const originals = [...new Set(VARIANTS.map((v) => v.from))];
    for (const v of VARIANTS.filter((x, i) => VARIANTS.findIndex((y) => y.from === x.from) === i)) addRecording(dataDir, recording(v));
    VARIANTS.forEach((v, i) => writeVariant(dataDir, recording(v), `variant_${i}`, v.change));
    writeVariant(dataDir, recording(PORT_DOWN), 'variant_port_down', PORT_DOWN.change);
    sim = await startSnmpsim({ dataDir, probeCommunity: originals[0]! });
    const poll = async (community: string) =>
      evaluateReport(await collectSnmp({ host: sim.host, port: sim.port, version: '2c', community, timeoutMs: 3000, retries: 1 }));
    for (const o of originals) results.set(o, await poll(o));
    for (const [i] of VARIANTS.entries()) results.set(`variant_${i}`, await poll(`variant_${i}`));
    portDown = await collectSnmp({ host: sim.host, port: sim.port, version: '2c', community: 'variant_port_down', timeoutMs: 3000, retries: 1 });
  }, 180_000);

  afterAll(async () => {
    await sim?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(VARIANTS.map((v, i) => [v.name, v, i] as const))('%s → abnormal naming the component', (_name, v, i) => {
    const original = results.get(v.from)!.find((r) => r.check === v.check)!;
    expect(original.components.filter((c) => c.component === v.component).map((c) => c.verdict)).toEqual(['normal']);
    expect(original.verdict).toBe('normal');

    const changed = results.get(`variant_${i}`)!.find((r) => r.check === v.check)!;
    expect(changed.verdict).toBe('abnormal');
    const abnormal = changed.components.filter((c) => c.verdict === 'abnormal');
    expect(abnormal.map((c) => c.component)).toEqual([v.component]);
    expect(changed.reason).toMatch(v.reason);
    expect(changed.reason).toContain(v.component);
    // 检查命令: the OID that was changed is among the commands the form shows.
    const oid = Object.keys(v.change)[0]!;
    expect(changed.commands.some((c) => c.includes(`(${oid})`))).toBe(true);
  });

  it('an admin-up port gone oper-down is listed in SXKR-003, reported and not judged', () => {
    const listed = (r: { components: { component: string; actual: string; verdict: string }[] }) => r.components.find((c) => c.component === PORT_DOWN.component);
    const before = listed(results.get(PORT_DOWN.from)!.find((r) => r.check === 'SXKR-003')!);
    const modules = evaluateReport(portDown).find((r) => r.check === 'SXKR-003')!;
    const after = listed(modules);
    // "<count>: name, name, …" — one more port, and it is the changed one.
    const ports = (actual = '') => ({ count: Number(/^(\d+):/.exec(actual)?.[1] ?? 0), names: actual.replace(/^\d+: /, '').split(', ') });
    expect(ports(before?.actual).names).not.toContain(PORT_DOWN.port);
    expect(ports(after?.actual).names).toContain(PORT_DOWN.port);
    expect(ports(after?.actual).count).toBe(ports(before?.actual).count + 1);
    expect(after?.verdict).toBe('normal');
    expect(modules.verdict).toBe(results.get(PORT_DOWN.from)!.find((r) => r.check === 'SXKR-003')!.verdict);
    const row = portDown.measurements.find((m) => m.component === PORT_DOWN.component)!;
    expect(row.command).toContain('(1.3.6.1.2.1.2.2.1.8)');
  });
});
