/**
 * A device under a vendor's enterprise whose sysDescr names no OS, against a real snmpsimd: read
 * with the vendor's broadest profile; but one that answers none of that profile's hardware tables
 * (an appliance on Linux carrying the vendor's sysObjectID) is read with the standard MIBs, and the
 * report says why. The real-device cases (Cisco IOS, IOS-XE, NX-OS, Comware) are in
 * conformance.test.ts.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport, renderForm } from '../../checks/index.js';
import { collectSnmp, profileOf } from '../../checks/sources/snmp/index.js';
import { makeDataDir, simTarget, startSnmpsim, writeVariant, type Snmpsim } from '../helpers/snmpsim.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
let sim: Snmpsim;
let dataDir: string;

beforeAll(async () => {
  dataDir = makeDataDir();
  // A Linux host (HOST-RESOURCES only) that announces a Cisco sysObjectID and a bare model.
  writeVariant(dataDir, join(FIXTURES, 'linux_host.snmprec'), 'cisco_appliance', {
    '1.3.6.1.2.1.1.1.0': '4|ISE-3615-K9',
    '1.3.6.1.2.1.1.2.0': '6|1.3.6.1.4.1.9.1.2139',
  });
  // A Cisco switch (CISCO-PROCESS, MEMORY-POOL, ENVMON, SYSLOG) whose sysDescr is a bare model.
  writeVariant(dataDir, join(FIXTURES, 'cisco_log.snmprec'), 'cisco_bare', { '1.3.6.1.2.1.1.1.0': '4|IE-3400-8T2S FOC2233X0AB' });
  sim = await startSnmpsim({ dataDir, probeCommunity: 'cisco_bare' });
}, 130_000);

afterAll(async () => {
  await sim?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('vendor enterprise, no OS in sysDescr', () => {
  it('a Cisco switch answering a bare model is read with cisco-ios: CPU, memory, power and temperature measured', async () => {
    const r = await collectSnmp(simTarget(sim, 'cisco_bare'));
    expect(profileOf(r)).toBe('cisco-ios');
    expect(r.producer).toMatch(/by=enterprise:1\.3\.6\.1\.4\.1\.9$/);
    expect(r.identity).toMatchObject({ vendor: 'Cisco', os: 'IE-3400-8T2S FOC2233X0AB' });
    for (const check of ['SXKR-001', 'SXKR-002', 'SXKR-004', 'SXKR-005'] as const) expect(r.measurements.some((m) => m.check === check), check).toBe(true);
    expect(evaluateReport(r).filter((x) => ['SXKR-001', 'SXKR-002', 'SXKR-004', 'SXKR-005'].includes(x.check)).map((x) => x.verdict)).not.toContain('unknown');
    // A check it reports nothing for says which profile looked and why it was chosen.
    const empty = r.gaps.find((g) => /reported none of/.test(g.reason));
    expect(empty?.reason).toMatch(/\(profile cisco-ios: sysObjectID 1\.3\.6\.1\.4\.1\.9\.1\.1208 is under Cisco's enterprise 1\.3\.6\.1\.4\.1\.9, but sysDescr "IE-3400-8T2S FOC2233X0AB" names no OS/);
  });

  it('an appliance with a Cisco sysObjectID that answers none of the Cisco tables is read with the standard MIBs', async () => {
    const r = await collectSnmp(simTarget(sim, 'cisco_appliance'));
    expect(profileOf(r)).toBe('generic');
    expect(r.producer).toMatch(/by=unanswered:1\.3\.6\.1\.4\.1\.9$/);
    expect(r.measurements.some((m) => m.check === 'SXKR-001' && m.command.includes('hrProcessorLoad.196608'))).toBe(true);
    expect(r.measurements.some((m) => m.metric === 'memory.used')).toBe(true);
    expect(renderForm(r, evaluateReport(r), 'en', 'Asia/Shanghai')).toContain("SNMP profile: generic (the sysObjectID is under enterprise 1.3.6.1.4.1.9, but the device answered none of that vendor's hardware tables: standard MIBs only)");
  });
});
