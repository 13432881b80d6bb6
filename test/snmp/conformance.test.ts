/**
 * Real-device conformance: snmpsimd serves the walks of real Cisco and Comware devices from
 * ../shared/testdata/snmp/recordings, and every device's extracted CPU, memory, temperatures (with
 * only the device's own limits), fan and PSU states, module power states, serial and profile are compared with the
 * independently derived values in ../shared/testdata/snmp/expected/*.json, matched by OID.
 * Each device is also served a second time with its sysDescr replaced by a bare model and serial
 * (as industrial and some newer switches answer): it must be read with its vendor's broadest
 * profile — chosen by the sysObjectID's enterprise — and give the same values, and the form must say
 * which profile and why.
 * The recordings are not ours to commit: when the folder is absent this suite says so and skips.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport, renderForm } from '../../checks/index.js';
import { collectSnmp, profileOf } from '../../checks/sources/snmp/index.js';
import type { Measurement, Report } from '../../schemas/index.js';
import { addRecording, makeDataDir, startSnmpsim, writeVariant, type Snmpsim } from '../helpers/snmpsim.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED_SNMP = resolve(repoRoot, '../shared/testdata/snmp');
const present = existsSync(join(SHARED_SNMP, 'recordings')) && existsSync(join(SHARED_SNMP, 'expected'));
if (!present) console.warn(`SNMP conformance suite skipped: ${SHARED_SNMP} (real-device recordings) is not here`);

/** Which profile each recording must be detected as. */
const PROFILES: Record<string, string> = {
  ios_2960x: 'cisco-ios',
  ios_c3560: 'cisco-ios',
  iosxe_c9400: 'cisco-iosxe',
  'nxos_n3k-3064pq': 'cisco-nxos',
  comware_hpe5900: 'comware7',
  comware_a5500: 'comware5',
  comware_1: 'comware5',
  comware_h3c: 'comware5',
};

/**
 * With a bare sysDescr: the vendor's broadest profile. Cisco's OS profiles all need an OS name in
 * sysDescr, so the enterprise (1.3.6.1.4.1.9) picks cisco-ios, which the others build on; Comware's
 * base profile already matches on the H3C enterprise alone.
 */
const BARE_PROFILES: Record<string, { profile: string; by: string }> = {
  ios_2960x: { profile: 'cisco-ios', by: 'enterprise:1.3.6.1.4.1.9' },
  ios_c3560: { profile: 'cisco-ios', by: 'enterprise:1.3.6.1.4.1.9' },
  iosxe_c9400: { profile: 'cisco-ios', by: 'enterprise:1.3.6.1.4.1.9' },
  'nxos_n3k-3064pq': { profile: 'cisco-ios', by: 'enterprise:1.3.6.1.4.1.9' },
  comware_hpe5900: { profile: 'comware5', by: 'match' },
  comware_a5500: { profile: 'comware5', by: 'match' },
  comware_1: { profile: 'comware5', by: 'match' },
  comware_h3c: { profile: 'comware5', by: 'match' },
};

/** A bare model and serial, the way an IE-3400 or a newer Catalyst answers sysDescr.0. */
function bareDescr(e: Expected): string {
  const d = e.system.librenms_derived;
  const model = (d?.hardware ?? e.device).split(' ')[0]!;
  const serial = d?.serial && !/[<>]/.test(d.serial) ? ` ${d.serial}` : '';
  return `${model}${serial}`;
}
const BARE = '-bare';

interface ExpectedState { descr: string; oid: string; state: string; severity: string }
interface ExpectedTemp { descr: string; oid: string; value_c: number; high_limit: number | null; high_limit_source: string | null; low_limit: number | null; low_limit_source: string | null }
interface Expected {
  device: string;
  system: { librenms_derived?: { serial?: string; hardware?: string } };
  cpu?: { descr: string; oid: string; load_pct: number }[];
  memory?: { descr: string; oid_used?: string; oid_pct?: string; used_pct: number }[];
  temperature?: ExpectedTemp[];
  temperature_transceiver?: ExpectedTemp[];
  fans?: ExpectedState[];
  psus?: ExpectedState[];
  module_power_states?: ExpectedState[];
}

const expectedFiles = present ? readdirSync(join(SHARED_SNMP, 'expected')).filter((f) => f.endsWith('.json')).sort() : [];
const expectations: Expected[] = expectedFiles.map((f) => JSON.parse(readFileSync(join(SHARED_SNMP, 'expected', f), 'utf8')));

const bare = (oid: string) => oid.replace(/^\./, '');
/** The measurement of `metric` whose command names exactly this OID. */
function byOid(r: Report, metric: string, oid: string): Measurement | undefined {
  return r.measurements.find((m) => m.metric === metric && m.command.includes(`(${bare(oid)})`));
}
const deviceSource = (s: string | null) => s !== null && s.startsWith('device');
const oidIn = (s: string) => /\.?(1\.3\.6\.1[0-9.]*[0-9])/.exec(s)?.[1];

/** LibreNMS severity + state name → our normalised status. */
function status(e: ExpectedState): string {
  if (/not-?install|notPresent/i.test(e.state)) return 'absent';
  return { normal: 'ok', warning: 'warning', critical: 'fault', unknown: 'unknown' }[e.severity] ?? e.severity;
}

describe.skipIf(!present)('real-device recordings (../shared/testdata/snmp)', () => {
  let sim: Snmpsim;
  const reports = new Map<string, Report>();

  let dataDir: string;

  beforeAll(async () => {
    // The recordings as they are, and a copy of each with a bare sysDescr (community <name>-bare).
    dataDir = makeDataDir('xunjian-conformance-');
    for (const e of expectations) {
      const source = join(SHARED_SNMP, 'recordings', `${e.device}.snmprec`);
      addRecording(dataDir, source, e.device, 'symlink');
      writeVariant(dataDir, source, `${e.device}${BARE}`, { '1.3.6.1.2.1.1.1.0': `4|${bareDescr(e)}` });
    }
    sim = await startSnmpsim({ dataDir, probeCommunity: 'ios_2960x' });
    for (const e of expectations)
      for (const community of [e.device, `${e.device}${BARE}`])
        reports.set(community, await collectSnmp({ host: sim.host, port: sim.port, version: '2c', community, timeoutMs: 3000, retries: 1 }));
  }, 240_000);
  afterAll(async () => {
    await sim?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('has an expectation for every recording and a profile for every one', () => {
    const recordings = readdirSync(join(SHARED_SNMP, 'recordings')).filter((f) => f.endsWith('.snmprec')).map((f) => f.replace(/\.snmprec$/, '')).sort();
    expect(recordings).toEqual(Object.keys(PROFILES).sort());
    expect(expectations.map((e) => e.device).sort()).toEqual(recordings);
  });

  describe.each(expectations.map((e) => [`${e.device}${BARE}`, e] as const))('%s (sysDescr a bare model)', (community, e) => {
    const report = () => reports.get(community)!;
    const expected = BARE_PROFILES[e.device]!;

    it(`is read with ${expected.profile} (${expected.by}), and the form says so`, () => {
      expect(report().identity.os).toBe(bareDescr(e));
      expect(profileOf(report())).toBe(expected.profile);
      expect(report().producer).toContain(`by=${expected.by}`);
      expect(report().gaps.filter((g) => /failed|no SNMP answer/.test(g.reason))).toEqual([]);
      const form = renderForm(report(), evaluateReport(report()), 'en', 'Asia/Shanghai');
      expect(form).toContain(`SNMP profile: ${expected.profile}`);
      if (expected.by.startsWith('enterprise:')) {
        expect(form).toMatch(/sysDescr names no OS a profile knows; the broadest profile of the vendor whose enterprise 1\.3\.6\.1\.4\.1\.9 /);
        expect(renderForm(report(), evaluateReport(report(), undefined, { lang: 'zh' }), 'zh', 'Asia/Shanghai')).toContain('按 sysObjectID 所属厂商企业号 1.3.6.1.4.1.9 选用该厂商最全的模板');
      }
    });

    it('the same values as with its full sysDescr, and no hardware check unknown that was measured there', () => {
      const full = reports.get(e.device)!;
      const key = (r: Report) => r.measurements.filter((m) => m.check !== 'SXKR-006').map((m) => [m.check, m.component, m.metric, m.value, m.status ?? null, m.limits ?? null]);
      expect(key(report())).toEqual(key(full));
      expect(report().identity.serial).toBe(full.identity.serial);
      // The model from ENTITY-MIB, else the bare sysDescr's first word (5900AF-48G-4XG-2QSFP+ of '…+ Switch').
      expect(report().identity.model).toBeTruthy();
      if (full.identity.model) expect(full.identity.model).toContain(report().identity.model);
      const verdicts = (r: Report) => evaluateReport(r).filter((x) => x.check !== 'SXKR-006').map((x) => [x.check, x.verdict]);
      expect(verdicts(report())).toEqual(verdicts(full));
    });
  });

  describe.each(expectations.map((e) => [e.device, e] as const))('%s', (device, e) => {
    const report = () => reports.get(device)!;

    it(`is detected as ${PROFILES[device]}`, () => {
      expect(profileOf(report())).toBe(PROFILES[device]);
      expect(report().producer).toContain('by=match');
      expect(report().gaps.filter((g) => /failed|no SNMP answer/.test(g.reason))).toEqual([]);
    });

    it('CPU: every expected CPU with the device’s 5-minute value as average, and nothing else', () => {
      const cpus = e.cpu ?? [];
      for (const c of cpus) {
        const m = byOid(report(), 'cpu.avg', c.oid);
        expect(m, `${c.descr} ${c.oid}`).toBeDefined();
        expect(m!.value).toBe(c.load_pct);
        const max = report().measurements.find((x) => x.metric === 'cpu.max' && x.component === m!.component)!;
        expect(max.value as number).toBeGreaterThanOrEqual(c.load_pct);
      }
      expect(report().measurements.filter((m) => m.metric === 'cpu.avg')).toHaveLength(cpus.length);
    });

    it('memory: used % of every expected pool', () => {
      const pools = e.memory ?? [];
      for (const p of pools) {
        const m = byOid(report(), 'memory.used', (p.oid_used ?? p.oid_pct)!);
        expect(m, p.descr).toBeDefined();
        expect(m!.value as number).toBeCloseTo(p.used_pct, 1);
      }
      expect(report().measurements.filter((m) => m.metric === 'memory.used')).toHaveLength(pools.length);
    });

    it('temperatures: values, and limits only where the device gives them', () => {
      const temps = [...(e.temperature ?? []), ...(e.temperature_transceiver ?? [])];
      for (const t of temps) {
        const m = byOid(report(), 'temperature', t.oid);
        expect(m, `${t.descr} ${t.oid}`).toBeDefined();
        expect(m!.value as number).toBeCloseTo(t.value_c, 3);
        if (deviceSource(t.high_limit_source)) {
          expect(m!.limits?.high, `${t.descr} high`).toBe(t.high_limit);
          expect(m!.limits?.source).toContain(`(${oidIn(t.high_limit_source!)})`);
        } else expect(m!.limits?.high, `${t.descr}: LibreNMS guessed this limit`).toBeUndefined();
        if (deviceSource(t.low_limit_source)) expect(m!.limits?.low, `${t.descr} low`).toBe(t.low_limit);
        else expect(m!.limits?.low).toBeUndefined();
      }
      expect(report().measurements.filter((m) => m.metric === 'temperature')).toHaveLength(temps.length);
    });

    it('fans and power supplies: every state, an empty bay as absent', () => {
      for (const [metric, list] of [
        ['fan.state', e.fans ?? []],
        ['psu.state', e.psus ?? []],
      ] as const) {
        for (const s of list) {
          const m = byOid(report(), metric, s.oid);
          expect(m, `${s.descr} ${s.oid}`).toBeDefined();
          expect(m!.status, s.descr).toBe(status(s));
        }
        expect(report().measurements.filter((m) => m.metric === metric)).toHaveLength(list.length);
      }
    });

    it('modules: the power state of every expected line card and supervisor (SXKR-003)', () => {
      for (const s of e.module_power_states ?? []) {
        const m = byOid(report(), 'module.state', s.oid);
        expect(m, `${s.descr} ${s.oid}`).toBeDefined();
        expect(m!.status, s.descr).toBe(status(s));
      }
      const fru = report().measurements.filter((m) => m.metric === 'module.state' && m.command.includes('(1.3.6.1.4.1.9.9.117.1.1.2.1.2.'));
      expect(fru).toHaveLength((e.module_power_states ?? []).length);
    });

    it('inventory: serial number, model and version', () => {
      const serial = e.system.librenms_derived?.serial;
      if (serial) expect(report().identity.serial).toBe(serial);
      if (e.system.librenms_derived) {
        expect(report().identity.model).toBeTruthy();
        expect(report().identity.version).toBeTruthy();
      }
      expect(report().identity.os).toBeTruthy();
    });
  });
});
