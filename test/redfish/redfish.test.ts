/**
 * The Redfish source end to end: the DMTF's public-rackmount1 mockup (../shared/testdata/redfish)
 * served over real HTTPS with sessions by test/helpers/redfish.ts, and vendor-shaped variants of it
 * (test/redfish/variants/<name>/, each with the README saying where its shapes come from).
 * Certificates are pinned on first use; failures (refused credentials, 500/404, a hung resource,
 * a closed port, a changed certificate) make the affected checks unknown with the reason.
 * Skipped, saying so, when the shared mockup is absent.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import { inspectRedfish, readPins, type RedfishTarget } from '../../checks/sources/redfish/index.js';
import { validate, Report, type CheckResult, type Report as ReportT } from '../../schemas/index.js';
import { applyVariant, loadMockup, makeCertificate, mockupPresent, PUBLIC_RACKMOUNT, startRedfishMockup, type RedfishMockup, type Variant } from '../helpers/redfish.js';

const present = mockupPresent();
if (!present) console.warn(`Redfish suite skipped: ${PUBLIC_RACKMOUNT} (the DMTF public mockup) is not here`);
const VARIANTS = join(dirname(fileURLToPath(import.meta.url)), 'variants');
const NOW = new Date('2026-12-01T00:00:00Z');
const SINCE = new Date('2026-11-01T00:00:00Z');

let dir: string;
const target = (bmc: RedfishMockup, extra: Partial<RedfishTarget> = {}): RedfishTarget => ({
  host: bmc.host,
  port: bmc.port,
  user: 'admin',
  password: 'pw',
  pins: { path: join(dir, 'known_bmc_certs'), acceptNew: true },
  identity: { hostname: 'rack1', kind: 'server', addresses: [] },
  timeoutMs: 3000,
  ...extra,
});
const byCheck = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.check, r]));
const evaluate = (r: ReportT) => byCheck(evaluateReport(r, undefined, { lang: 'en' }));
const component = (r: CheckResult, name: string) => r.components.find((c) => c.component === name);

describe.skipIf(!present)('Redfish over HTTPS against the DMTF public-rackmount1 mockup', () => {
  let bmc: RedfishMockup;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xunjian-redfish-'));
    bmc = await startRedfishMockup({ mockupDir: PUBLIC_RACKMOUNT, users: { admin: 'pw' } });
  });
  afterAll(async () => {
    await bmc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a controller whose certificate is not pinned, before sending any request', async () => {
    const { report } = await inspectRedfish(target(bmc, { pins: { path: join(dir, 'known_bmc_certs'), acceptNew: false } }), { now: NOW });
    const r = evaluate(report);
    for (const id of ['SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']) {
      expect(r[id]!.verdict).toBe('unknown');
      expect(r[id]!.reason).toMatch(/not known in .*known_bmc_certs: run with --accept-new/);
    }
    expect(bmc.requests).toEqual([]);
  });

  it('inspects the mockup: the PSU and the drive in Warning are abnormal, temperatures judged against the BMC limits', async () => {
    bmc.requests.length = 0;
    const { report, counts, profile } = await inspectRedfish(target(bmc), { now: NOW, logSince: SINCE });
    validate(Report, report, 'report');
    expect(profile).toBe('generic');
    expect(readPins(join(dir, 'known_bmc_certs'))).toEqual([{ target: `127.0.0.1:${bmc.port}`, fingerprint: bmc.fingerprint, line: 1 }]);
    const r = evaluate(report);
    expect(r['SXKR-004']!.verdict).toBe('abnormal');
    expect(component(r['SXKR-004']!, 'Power Supply Bay')).toMatchObject({ verdict: 'abnormal', command: `GET https://127.0.0.1:${bmc.port}/redfish/v1/Chassis/1U/Power` });
    expect(component(r['SXKR-004']!, 'BaseBoard System Fan')!.verdict).toBe('normal');
    expect(r['SXKR-003']!.verdict).toBe('abnormal');
    expect(r['SXKR-003']!.components.filter((c) => c.verdict === 'abnormal').map((c) => c.component)).toEqual(['drive SATA Bay 2']);
    // Empty bays and sockets are not faults.
    expect(component(r['SXKR-003']!, 'drive SATA Bay 3')!.verdict).toBe('normal');
    expect(component(r['SXKR-003']!, 'memory DIMM Slot 4')!.verdict).toBe('normal');
    expect(r['SXKR-005']!.verdict).toBe('normal');
    const cpu = report.measurements.find((m) => m.component === 'CPU1 Temp')!;
    expect(cpu).toMatchObject({ value: 41, kind: 'cpu', limits: { high: 45 } });
    // CPU2 is an empty socket (State Disabled, no reading): not a sensor to judge.
    expect(report.measurements.some((m) => m.component === 'CPU2 Temp')).toBe(false);
    // The mockup's log entries are from 2012: read, none since the last inspection.
    expect(r['SXKR-006']!.verdict).toBe('normal');
    expect(report.measurements.filter((m) => m.metric === 'log.scanned').map((m) => m.component).sort()).toEqual(['437XR1138R2 Log1', 'BMC Log']);
    expect(report.identity).toMatchObject({ vendor: 'Contoso', model: '3500', serial: '437XR1138R2', version: 'BIOS P79 v1.45 (12/06/2017); BMC 1.45.455b66-rev4' });
    // One session, closed at the end; only the resources needed, not a crawl of the tree.
    expect(bmc.requests.filter((q) => q.startsWith('POST'))).toEqual(['POST /redfish/v1/SessionService/Sessions']);
    expect(bmc.requests.at(-1)).toMatch(/^DELETE \/redfish\/v1\/SessionService\/Sessions\//);
    expect(bmc.openSessions()).toBe(0);
    expect(counts.requests).toBe(bmc.requests.length);
    expect(counts.requests).toBeLessThan(25);
    expect(bmc.requests.some((q) => /SecureBoot|Certificates|AccountService|Registries|PowerSubsystem/.test(q))).toBe(false);
  });

  it('lists log entries since the last inspection (the mockup\'s critical SEL records, read from 2012)', async () => {
    const { report } = await inspectRedfish(target(bmc), { now: NOW, logSince: new Date('2012-01-01T00:00:00Z') });
    const r = evaluate(report);
    expect(r['SXKR-006']!.verdict).toBe('abnormal');
    const entries = report.measurements.filter((m) => m.metric === 'log.entry');
    expect(entries.map((e) => [e.component, e.value, e.severity])).toEqual([
      ['437XR1138R2 Log1 1', 'Temperature threshold exceeded', 'critical'],
      ['437XR1138R2 Log1 2', 'Temperature threshold exceeded', 'critical'],
      ['BMC Log 1', 'System May be Melting', 'critical'],
    ]);
  });

  it('uses basic auth when asked (no session made)', async () => {
    bmc.requests.length = 0;
    const { report } = await inspectRedfish(target(bmc, { auth: 'basic' }), { now: NOW, logSince: SINCE });
    expect(evaluate(report)['SXKR-004']!.verdict).toBe('abnormal');
    expect(bmc.requests.some((q) => q.includes('SessionService'))).toBe(false);
  });

  it('refused credentials: every BMC check unknown with the reason', async () => {
    const { report } = await inspectRedfish(target(bmc, { password: 'wrong' }), { now: NOW });
    const r = evaluate(report);
    for (const id of ['SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']) expect(r[id]!.reason).toMatch(/refused the credentials: POST \/redfish\/v1\/SessionService\/Sessions answered 401/);
    expect(report.measurements).toEqual([]);
  });

  it('a resource answering 500 or 404 makes only its check unknown; the rest is inspected', async () => {
    bmc.fail.set('/redfish/v1/Chassis/1U/Thermal', 500);
    bmc.fail.set('/redfish/v1/Systems/437XR1138R2/Memory', 404);
    try {
      const { report } = await inspectRedfish(target(bmc), { now: NOW, logSince: SINCE });
      const r = evaluate(report);
      expect(r['SXKR-005']!.verdict).toBe('unknown');
      expect(r['SXKR-005']!.reason).toContain('GET /redfish/v1/Chassis/1U/Thermal');
      expect(r['SXKR-005']!.reason).toContain('HTTP 500');
      // The PSU still reads from Power; the drive still from SimpleStorage.
      expect(r['SXKR-004']!.verdict).toBe('abnormal');
      expect(r['SXKR-003']!.verdict).toBe('abnormal');
      expect(r['SXKR-003']!.components.find((c) => c.verdict === 'unknown')?.reason).toContain('HTTP 404');
      expect(r['SXKR-006']!.verdict).toBe('normal');
    } finally {
      bmc.fail.clear();
    }
  });

  it('a resource that never answers: a timeout, and the checks not yet read unknown with it', async () => {
    bmc.hang.add('/redfish/v1/Chassis/1U/Thermal');
    try {
      const { report } = await inspectRedfish(target(bmc, { timeoutMs: 400 }), { now: NOW, logSince: SINCE });
      const r = evaluate(report);
      expect(r['SXKR-005']!.verdict).toBe('unknown');
      expect(r['SXKR-005']!.reason).toMatch(/no answer from BMC 127\.0\.0\.1:\d+ to GET \/redfish\/v1\/Chassis\/1U\/Thermal within 400 ms/);
      expect(r['SXKR-004']!.verdict).toBe('abnormal'); // read before the hang
      expect(r['SXKR-006']!.verdict).toBe('unknown');
    } finally {
      bmc.hang.clear();
    }
  });

  it('a closed port: every BMC check unknown, the controller named', async () => {
    const { report } = await inspectRedfish(target(bmc, { port: 1 }), { now: NOW });
    expect(evaluate(report)['SXKR-004']!.reason).toMatch(/BMC 127\.0\.0\.1:1 unreachable: .*ECONNREFUSED/);
  });

  it('a changed certificate stops that controller with a clear message and sends it nothing', async () => {
    const port = bmc.port;
    await bmc.stop();
    const impostor = await startRedfishMockup({ mockupDir: PUBLIC_RACKMOUNT, users: { admin: 'pw' }, tls: makeCertificate(), port });
    try {
      const { report } = await inspectRedfish(target(impostor), { now: NOW });
      expect(evaluate(report)['SXKR-004']!.reason).toMatch(/certificate of BMC 127\.0\.0\.1:\d+ has CHANGED .* pinned .*known_bmc_certs:1/);
      expect(impostor.requests).toEqual([]);
    } finally {
      await impostor.stop();
      bmc = await startRedfishMockup({ mockupDir: PUBLIC_RACKMOUNT, users: { admin: 'pw' } });
    }
  });
});

interface Expectation {
  profile: string;
  verdicts: Record<string, string>;
  abnormal: Record<string, string[]>;
  normalAbsent?: string[];
  notRequested?: RegExp;
}
const EXPECTED: Record<string, Expectation> = {
  'hpe-ilo5': {
    profile: 'hpe-ilo',
    verdicts: { 'SXKR-003': 'abnormal', 'SXKR-004': 'abnormal', 'SXKR-005': 'normal', 'SXKR-006': 'abnormal' },
    abnormal: { 'SXKR-004': ['Fan 2'], 'SXKR-003': ['drive SATA Bay 2'], 'SXKR-006': ['1 IML 1'] },
    normalAbsent: ['Fan 3'],
    notRequested: /IEL/,
  },
  'dell-idrac9': {
    profile: 'dell-idrac',
    verdicts: { 'SXKR-003': 'normal', 'SXKR-004': 'normal', 'SXKR-005': 'abnormal', 'SXKR-006': 'abnormal' },
    abnormal: { 'SXKR-005': ['CPU1 Temp'], 'SXKR-006': ['iDRAC.Embedded.1 Sel 2'] },
    notRequested: /Lclog/,
  },
  'lenovo-xcc': {
    profile: 'lenovo-xcc',
    verdicts: { 'SXKR-003': 'normal', 'SXKR-004': 'normal', 'SXKR-005': 'normal', 'SXKR-006': 'normal' },
    abnormal: {},
    normalAbsent: ['PSU2'],
    notRequested: /AuditLog/,
  },
  'openbmc-subsystem': {
    profile: 'generic',
    verdicts: { 'SXKR-003': 'abnormal', 'SXKR-004': 'abnormal', 'SXKR-005': 'normal', 'SXKR-006': 'normal' },
    abnormal: { 'SXKR-004': ['Power Supply Bay 1', 'Fan for CPU 2'], 'SXKR-003': ['drive SATA Bay 2'] },
    normalAbsent: ['Power Supply Bay 2'],
    notRequested: /\$expand|Chassis\/1U\/(Power|Thermal)$/,
  },
};

describe.skipIf(!present)('vendor-shaped variants of the mockup', () => {
  const names = present ? readdirSync(VARIANTS).sort() : [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'xunjian-redfish-v-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has an expectation and a README for every variant', () => {
    expect(names).toEqual(Object.keys(EXPECTED).sort());
    for (const n of names) expect(readFileSync(join(VARIANTS, n, 'README.md'), 'utf8')).toMatch(/Source|source|documentation|from/);
  });

  it.each(Object.keys(EXPECTED))('%s', async (name) => {
    const variant = JSON.parse(readFileSync(join(VARIANTS, name, 'variant.json'), 'utf8')) as Variant;
    const bmc = await startRedfishMockup({ tree: applyVariant(loadMockup(PUBLIC_RACKMOUNT), variant), users: { admin: 'pw' } });
    try {
      const { report, profile } = await inspectRedfish(target(bmc), { now: NOW, logSince: SINCE });
      validate(Report, report, 'report');
      const e = EXPECTED[name]!;
      expect(profile).toBe(e.profile);
      const r = evaluate(report);
      for (const [check, verdict] of Object.entries(e.verdicts)) expect([check, r[check]!.verdict, r[check]!.reason]).toEqual([check, verdict, r[check]!.reason]);
      for (const [check, comps] of Object.entries(e.abnormal)) {
        expect(r[check]!.components.filter((c) => c.verdict === 'abnormal').map((c) => c.component)).toEqual(comps);
      }
      for (const c of e.normalAbsent ?? []) {
        const m = report.measurements.find((x) => x.component === c)!;
        expect(m.status).toBe('absent');
      }
      if (e.notRequested) expect(bmc.requests.filter((q) => e.notRequested!.test(q))).toEqual([]);
      expect(bmc.openSessions()).toBe(0);
    } finally {
      await bmc.stop();
    }
  });
});
