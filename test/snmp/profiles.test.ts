/**
 * Profiles as data: every shipped profile validates against schemas/snmp-profile.ts, bad ones are
 * refused naming the field, detection picks the right family, and extraction (pure) turns a
 * partial answer into gaps for exactly what is missing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import { builtinProfiles, detect, detectProfile, extract, loadProfiles, parseProfile, PROFILE_DIR, ProfileError } from '../../checks/sources/snmp/index.js';
import { SnmpProfile, validate, type Report } from '../../schemas/index.js';
import { addWalk, emptyWalked } from '../../checks/sources/snmp/walked.js';
import { renderLabel } from '../../checks/sources/snmp/template.js';

const SHIPPED = ['cisco-ios', 'cisco-iosxe', 'cisco-nxos', 'comware5', 'comware7', 'generic', 'ups-mib'];

describe('shipped profiles', () => {
  it.each(SHIPPED)('%s.yaml validates against the SnmpProfile schema', (name) => {
    const raw = parse(readFileSync(join(PROFILE_DIR, `${name}.yaml`), 'utf8'));
    expect(validate(SnmpProfile, raw, name).name).toBe(name);
  });

  it('all load, with includes resolved', () => {
    const profiles = builtinProfiles();
    expect(profiles.map((p) => p.name).sort()).toEqual([...SHIPPED].sort());
    const nxos = profiles.find((p) => p.name === 'cisco-nxos')!;
    expect(nxos.states!.map((s) => s.name)).toContain('cefcFanTrayOperStatus'); // from cisco-ios
    const cw7 = profiles.find((p) => p.name === 'comware7')!;
    expect(cw7.unsupported!.map((u) => u.check)).toEqual(['SXKR-006']);
  });
});

describe('a bad profile is refused, naming what is wrong', () => {
  const base = readFileSync(join(PROFILE_DIR, 'ups-mib.yaml'), 'utf8');
  it.each([
    ['an unknown field', base.replace('kind: ups', 'kind: ups\ncolour: red'), /colour/],
    ['an unknown device kind', base.replace('kind: ups', 'kind: toaster'), /\/kind/],
    ['an OID with a leading dot', base.replace('oid: 1.3.6.1.2.1.33.1.4.1,', 'oid: .1.3.6.1.2.1.33.1.4.1,'), /\/states\/0\/state\/0\/oid/],
    ['a status that is not ok/warning/fault/absent/unknown', base.replace('status: { ok: [2], fault: [3, 4], unknown: [1] }', 'status: { fine: [2] }'), /\/states\/1\/status/],
    ['an unknown label placeholder', base.replace("label: ['UPS battery']", "label: ['{sysName}']"), /unknown placeholder \{sysName\}/],
    ['a broken regex', base.replace('detect:', "detect:\n  sysDescr: '([a-'"), /detect\.sysDescr is not a valid regular expression/],
    ['not YAML', 'name: [unclosed', /not valid YAML/],
  ])('%s', (_what, text, message) => {
    expect(() => parseProfile(text, 'broken.yaml')).toThrow(ProfileError);
    expect(() => parseProfile(text, 'broken.yaml')).toThrow(message);
  });

  it('an include of a profile that does not exist, and a file named unlike its profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunjian-profiles-'));
    try {
      writeFileSync(join(dir, 'ups-mib.yaml'), base.replace('priority: 30', 'priority: 30\ninclude: [nowhere]'));
      expect(() => loadProfiles(dir)).toThrow(/includes unknown profile nowhere/);
      writeFileSync(join(dir, 'ups-mib.yaml'), base.replace('name: ups-mib', 'name: other'));
      expect(() => loadProfiles(dir)).toThrow(/must be other\.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('detection', () => {
  const sys = (sysDescr: string, sysObjectID: string, answered: string[] = []) => ({ sysDescr, sysObjectID, answered: new Set(answered) });
  it.each([
    ['Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.0(2a)EX5', '1.3.6.1.4.1.9.1.1208', 'cisco-ios'],
    ['Cisco Internetwork Operating System Software IOS (tm) C3500XL Software', '.1.3.6.1.4.1.9.1.248', 'cisco-ios'],
    ['Cisco IOS Software [Amsterdam], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.3.4', '1.3.6.1.4.1.9.1.2494', 'cisco-iosxe'],
    ['Cisco IOS Software, ASR1000 Software (PPC_LINUX_IOSD-ADVENTERPRISEK9-M), Version 15.5(3)S1a', '1.3.6.1.4.1.9.1.1116', 'cisco-iosxe'],
    ['Cisco NX-OS(tm) nxos.7.0.3.I7.8.bin, Software (nxos), Version 7.0(3)I7(8)', '1.3.6.1.4.1.9.12.3.1.3.1163', 'cisco-nxos'],
    ['Cisco NX-OS(tm) ucs, Software (ucs-6100-k9-system)', '1.3.6.1.4.1.9.12.3.1.3.1062', 'generic'],
    ['HPE Comware Platform Software, Software Version 7.1.045, Release 2422P01\nHPE 5900AF', '1.3.6.1.4.1.25506.11.1.120', 'comware7'],
    ['HP V1910-48G Switch Software Version 5.20 Release 1111P01', '.1.3.6.1.4.1.25506.11.1.85', 'comware5'],
    ['Hangzhou H3C Comware Platform Software, Software Version 3.10, Release 2211P06', '1.3.6.1.4.1.25506.1.244', 'comware5'],
    ['Linux db01 6.1.0-18-amd64', '1.3.6.1.4.1.8072.3.2.10', 'generic'],
  ])('%s → %s', (descr, oid, expected) => {
    expect(detectProfile(sys(descr, oid))?.name).toBe(expected);
  });

  it('a UPS is recognised by UPS-MIB answering, whatever its vendor OID', () => {
    expect(detectProfile(sys('Network Management Card for UPS', '1.3.6.1.4.1.318.1.3.27', ['1.3.6.1.2.1.33.1.1.2.0']))?.name).toBe('ups-mib');
    expect(detectProfile(sys('Network Management Card for UPS', '1.3.6.1.4.1.318.1.3.27'))?.name).toBe('generic');
  });

  it('a sysObjectID prefix matches whole arcs only (1.3.6.1.4.1.90 is not Cisco)', () => {
    expect(detectProfile(sys('Cisco IOS Software, fake', '1.3.6.1.4.1.90.1'))?.name).toBe('generic');
  });
});

describe('a device whose sysDescr names no OS: its vendor\'s broadest profile, by enterprise', () => {
  const sys = (sysDescr: string, sysObjectID: string, answered: string[] = []) => ({ sysDescr, sysObjectID, answered: new Set(answered) });

  it.each([
    ['IE-3400-8T2S FOC2233X0AB', '1.3.6.1.4.1.9.1.2694', 'cisco-ios', 'vendor'],
    ['C9300-48P', '.1.3.6.1.4.1.9.1.2494', 'cisco-ios', 'vendor'],
    ['N9K-C93180YC-FX', '1.3.6.1.4.1.9.12.3.1.3.1812', 'cisco-ios', 'vendor'],
    ['', '1.3.6.1.4.1.9.1.1208', 'cisco-ios', 'vendor'],
    // H3C's base profile already matches on the enterprise alone.
    ['S5130S-28S-EI', '1.3.6.1.4.1.25506.11.1.239', 'comware5', 'match'],
    ['IE-3400-8T2S', '1.3.6.1.4.1.8072.3.2.10', 'generic', 'default'],
    ['IE-3400-8T2S', '1.3.6.1.4.1.90.1', 'generic', 'default'],
  ])('%s (%s) → %s by %s', (descr, oid, name, by) => {
    const d = detect(sys(descr, oid))!;
    expect([d.profile.name, d.by]).toEqual([name, by]);
  });

  it('says why: the enterprise, the sysDescr, the profile chosen', () => {
    const d = detect(sys('IE-3400-8T2S FOC2233X0AB', '1.3.6.1.4.1.9.1.2694'))!;
    expect(d.enterprise).toBe('1.3.6.1.4.1.9');
    expect(d.why).toMatch(/^sysObjectID 1\.3\.6\.1\.4\.1\.9\.1\.2694 is under Cisco's enterprise 1\.3\.6\.1\.4\.1\.9, but sysDescr "IE-3400-8T2S FOC2233X0AB" names no OS a Cisco profile knows: read with cisco-ios, the broadest Cisco profile \(\d+ columns\)$/);
    expect(detect(sys('Cisco IOS Software, C2960X Software, Version 15.0(2a)EX5', '1.3.6.1.4.1.9.1.1208'))!.why).toMatch(/sysObjectID .* is under 1\.3\.6\.1\.4\.1\.9, sysDescr "Cisco IOS Software.*" matches/);
  });

  it('a sysDescr a vendor profile recognises and excludes (UCS) stays generic, saying so', () => {
    const d = detect(sys('Cisco NX-OS(tm) ucs, Software (ucs-6100-k9-system)', '1.3.6.1.4.1.9.12.3.1.3.1062'))!;
    expect([d.profile.name, d.by]).toEqual(['generic', 'default']);
    expect(d.why).toMatch(/excluded by cisco-nxos/);
  });

  it('any vendor with profiles: the one reading the most columns; a probe that did not answer rules a profile out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunjian-vendor-'));
    try {
      const generic = readFileSync(join(PROFILE_DIR, 'generic.yaml'), 'utf8');
      const vendor = (name: string, priority: number, extra: string, states: number) =>
        `name: ${name}\ndescription: test\nkind: switch\npriority: ${priority}\ndetect:\n  sysObjectID: ['1.3.6.1.4.1.99999']\n${extra}` +
        `inventory: { vendor: Acme }\nstates:\n` +
        Array.from({ length: states }, (_, i) => `  - { name: s${i}, metric: fan.state, state: [{ oid: 1.3.6.1.4.1.99999.1.${i}, name: s${i} }], enum: { '1': ok }, status: { ok: [1] }, label: ['fan {index}'] }\n`).join('');
      writeFileSync(join(dir, 'generic.yaml'), generic);
      writeFileSync(join(dir, 'acme-os1.yaml'), vendor('acme-os1', 50, "  sysDescr: 'AcmeOS 1'\n", 2));
      writeFileSync(join(dir, 'acme-os2.yaml'), vendor('acme-os2', 60, "  sysDescr: 'AcmeOS 2'\n", 5));
      writeFileSync(join(dir, 'acme-probe.yaml'), vendor('acme-probe', 10, '  probe: 1.3.6.1.4.1.99999.9.0\n', 9));
      const profiles = loadProfiles(dir);
      expect(detect(sys('AcmeOS 1.2', '1.3.6.1.4.1.99999.3'), profiles)!.profile.name).toBe('acme-os1');
      const bare = detect(sys('ACME-24X', '1.3.6.1.4.1.99999.3'), profiles)!;
      expect([bare.profile.name, bare.by, bare.enterprise]).toEqual(['acme-os2', 'vendor', '1.3.6.1.4.1.99999']);
      expect(bare.why).toMatch(/Acme's enterprise 1\.3\.6\.1\.4\.1\.99999/);
      // The probe answering makes acme-probe a match of its own (priority 10 beats generic's 0).
      expect(detect(sys('ACME-24X', '1.3.6.1.4.1.99999.3', ['1.3.6.1.4.1.99999.9.0']), profiles)!.profile.name).toBe('acme-probe');
      expect(detect(sys('ACME-24X', '1.3.6.1.4.1.9999.3'), profiles)!.profile.name).toBe('generic');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('extraction (pure)', () => {
  const profile = builtinProfiles().find((p) => p.name === 'cisco-ios')!;
  const at = '2026-11-28T10:00:00.000Z';
  const sysFacts = { sysDescr: 'Cisco IOS Software, C2960X Software, Version 15.0(2a)EX5', sysObjectID: '1.3.6.1.4.1.9.1.1208' };

  it('a partial answer: what failed to walk becomes gaps for its check, what was read is kept', () => {
    const walked = emptyWalked();
    addWalk(walked, '1.3.6.1.4.1.9.9.109.1.1.1.1.8', [{ oid: '1.3.6.1.4.1.9.9.109.1.1.1.1.8.1', value: 12 }]);
    addWalk(walked, '1.3.6.1.4.1.9.9.13.1.5.1.3', [{ oid: '1.3.6.1.4.1.9.9.13.1.5.1.3.1', value: 1 }]);
    walked.failed.set('1.3.6.1.4.1.9.9.13.1.4.1.3', 'no SNMP answer from 10.0.0.2:161 to GETBULK … within 2000 ms after 1 retry');
    walked.failed.set('1.3.6.1.4.1.9.9.13.1.3.1.3', 'not read: the device stopped answering');
    const { measurements, gaps } = extract({ profile, walked, samples: [walked], sys: sysFacts, at, windowMs: 0 });
    expect(measurements.filter((m) => m.metric === 'cpu.avg').map((m) => m.value)).toEqual([12]);
    expect(gaps.find((g) => g.check === 'SXKR-004')).toMatchObject({ component: 'ciscoEnvMonFanState', reason: expect.stringMatching(/ciscoEnvMonFanState \(1\.3\.6\.1\.4\.1\.9\.9\.13\.1\.4\.1\.3\) failed: no SNMP answer/) });
    expect(gaps.find((g) => g.check === 'SXKR-005')?.reason).toMatch(/stopped answering/);

    const report: Report = {
      id: 'snmp-test-partial',
      source: 'snmp',
      window: { start: at, end: at },
      identity: { hostname: 'sw1', kind: 'switch', addresses: [] },
      measurements,
      gaps,
    };
    const results = evaluateReport(report);
    // The PSU that was read is normal, but the fans that were not make the check unknown — never normal.
    expect(results.find((r) => r.check === 'SXKR-004')).toMatchObject({ verdict: 'unknown', reason: expect.stringMatching(/ciscoEnvMonFanState/) });
    expect(results.find((r) => r.check === 'SXKR-001')?.verdict).toBe('normal');
  });

  it('labels: entPhysicalName through a pointer column, index parts, fallbacks', () => {
    const walked = emptyWalked();
    addWalk(walked, '1.3.6.1.4.1.9.9.109.1.1.1.1.2', [{ oid: '1.3.6.1.4.1.9.9.109.1.1.1.1.2.7', value: 9001 }]);
    addWalk(walked, '1.3.6.1.2.1.47.1.1.1.1.7', [{ oid: '1.3.6.1.2.1.47.1.1.1.1.7.9001', value: 'cpu  R0/0' }]);
    const core = ['{entOf:1.3.6.1.4.1.9.9.109.1.1.1.1.2@i0}: Core {i1}', 'CPU {i0} core {i1}'];
    expect(renderLabel(core, '7.3', walked)).toBe('cpu R0/0: Core 3');
    expect(renderLabel(core, '8.1', walked)).toBe('CPU 8 core 1');
    expect(renderLabel(['{ent}'], '5', walked)).toBe('5');
  });
});
