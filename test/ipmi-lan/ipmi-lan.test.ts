/**
 * IPMI over LAN against a real BMC simulator: Debian's ipmi_sim (openipmi) on a loopback UDP port
 * (9623–9627 belong to this file), configured here with two temperature sensors and their
 * thresholds (bmc.sdrs), two power supply status sensors, a SEL event and FRU data, and read by the
 * real `ipmitool -I lanplus` through the shared ipmitool parsers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import { collectIpmiLan, parseIpmiFru, type IpmiLanTarget } from '../../checks/sources/ipmi-lan/index.js';
import { Report, validate, type CheckResult } from '../../schemas/index.js';
import { fruBytes, startIpmiSim, type IpmiSim } from '../helpers/ipmisim.js';

let sim: IpmiSim;
const fru = fruBytes({ manufacturer: 'Inspur', product: 'NF5280M5', part: 'YZMB-00882-10E', version: 'A1', serial: '219154632' });

beforeAll(async () => {
  sim = await startIpmiSim({
    sdrs: readFileSync(join(import.meta.dirname, 'bmc.sdrs'), 'utf8'),
    commands: [
      // Inlet 45 °C, above its upper critical 42; CPU 40 °C, below 85.
      'sensor_add 0x20 0 1 0x01 0x01',
      'sensor_set_threshold 0x20 0 1 settable 111000 50 42 38 00 00 00',
      'sensor_set_value 0x20 0 1 45 0',
      'sensor_add 0x20 0 2 0x01 0x01',
      'sensor_set_threshold 0x20 0 2 settable 111000 95 85 80 00 00 00',
      'sensor_set_value 0x20 0 2 40 0',
      // PS1 present and failed (the failure logged in the SEL), PS2 present.
      'sensor_add 0x20 0 8 0x08 0x6f',
      'sensor_set_bit_clr_rest 0x20 0 8 0 1 0',
      'sensor_set_event_support 0x20 0 8 enable scanning per-state 000000000000011 000000000000011 000000000000011 000000000000011',
      'sensor_set_bit 0x20 0 8 1 1 1',
      'sensor_add 0x20 0 9 0x08 0x6f',
      'sensor_set_bit_clr_rest 0x20 0 9 0 1 0',
      `mc_add_fru_data 0x20 0 ${fru.length} data ${fru.map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ')}`,
    ],
    ports: [9623, 9624, 9625, 9626, 9627],
  });
}, 60_000);
afterAll(async () => sim?.stop());

const target = (extra: Partial<IpmiLanTarget> = {}): IpmiLanTarget => ({
  host: sim.host,
  port: sim.port,
  user: sim.user,
  password: sim.password,
  cipherSuite: 3,
  timeoutMs: 15_000,
  identity: { hostname: 'oldsrv', kind: 'server', addresses: [] },
  ...extra,
});
const byCheck = (rs: CheckResult[]) => Object.fromEntries(rs.map((r) => [r.check, r]));

describe('IPMI over LAN (ipmitool -I lanplus against ipmi_sim)', () => {
  it('reads PSU states, temperatures with the BMC limits, SEL events and the FRU serial', async () => {
    const report = await collectIpmiLan(target());
    validate(Report, report, 'report');
    const r = byCheck(evaluateReport(report, undefined, { lang: 'en' }));
    expect(r['SXKR-004']!.verdict).toBe('abnormal');
    expect(r['SXKR-004']!.components.filter((c) => c.verdict === 'abnormal').map((c) => c.component)).toEqual(['PS1 Status']);
    expect(r['SXKR-004']!.components.find((c) => c.component === 'PS2 Status')!.verdict).toBe('normal');
    expect(r['SXKR-005']!.verdict).toBe('abnormal');
    const inlet = report.measurements.find((m) => m.component === 'Inlet Temp')!;
    expect(inlet).toMatchObject({ value: 45, limits: { high: 42 }, kind: 'inlet' });
    expect(inlet.command).toBe(`ipmitool -I lanplus -H 127.0.0.1 -p ${sim.port} -U admin sensor`);
    expect(r['SXKR-005']!.components.find((c) => c.component === 'CPU1 Temp')!.verdict).toBe('normal');
    expect(r['SXKR-006']!.verdict).toBe('abnormal');
    expect(report.measurements.filter((m) => m.metric === 'log.entry').map((m) => m.value)).toContain('Failure detected (Asserted)');
    expect(report.identity).toMatchObject({ vendor: 'Inspur', model: 'NF5280M5', serial: '219154632' });
    // The password never appears in a command.
    expect(JSON.stringify(report)).not.toContain(sim.password);
  }, 60_000);

  it('a wrong password: SXKR-004/005/006 unknown with ipmitool\'s reason', async () => {
    const report = await collectIpmiLan(target({ password: 'wrong-password', timeoutMs: 8000 }));
    const r = byCheck(evaluateReport(report, undefined, { lang: 'en' }));
    for (const id of ['SXKR-004', 'SXKR-005', 'SXKR-006']) {
      expect(r[id]!.verdict).toBe('unknown');
      expect(r[id]!.reason).toMatch(new RegExp(`IPMI over LAN to BMC 127\\.0\\.0\\.1:${sim.port}: .*(RAKP|Unable to establish|password|Unauthorized)`, 'i'));
    }
  }, 60_000);

  it('nothing listening: unknown with the reason', async () => {
    const report = await collectIpmiLan(target({ port: 9622, timeoutMs: 6000 }));
    expect(report.gaps.map((g) => g.check).sort()).toEqual(['SXKR-004', 'SXKR-005', 'SXKR-006']);
    expect(report.gaps[0]!.reason).toMatch(/IPMI over LAN to BMC 127\.0\.0\.1:9622: /);
  }, 60_000);
});

describe('parseIpmiFru', () => {
  it('reads the product area of ipmitool fru print as ipmi_sim serves it', async () => {
    const { execFileSync } = await import('node:child_process');
    const text = execFileSync('ipmitool', ['-I', 'lanplus', '-C', '3', '-H', sim.host, '-p', String(sim.port), '-U', sim.user, '-E', 'fru', 'print'], { env: { ...process.env, IPMI_PASSWORD: sim.password } }).toString();
    expect(text).toMatch(/Product Serial\s*:\s*219154632/);
    expect(parseIpmiFru(text)).toEqual({ vendor: 'Inspur', model: 'NF5280M5', serial: '219154632' });
    expect(parseIpmiFru('FRU Device Description : Builtin FRU Device (ID 0)\n Device not present (Invalid data field in request)\n')).toEqual({});
  });
});
