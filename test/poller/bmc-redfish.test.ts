/**
 * The collector's out-of-band poller against a real Redfish BMC: the DMTF public-rackmount1 mockup
 * served over HTTPS with sessions (test/helpers/redfish.ts), registered through the API of a real
 * collector on a SQLite file. Covers: the sealed password, the certificate pinned on first use in
 * the database, a device combining its agent's report with the BMC's (neither overwrites the
 * other), a wrong password, a changed certificate accepted by an admin, a BMC gone (unknown with
 * the reason) and a BMC-only device that goes silent.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSilence } from '../../collector/tickets/index.js';
import type { CheckResult, Report } from '../../schemas/index.js';
import { realisticReport, startTestCollector, until, type TestCollector } from '../helpers/collector.js';
import { makeCertificate, mockupPresent, PUBLIC_RACKMOUNT, startRedfishMockup, type RedfishMockup } from '../helpers/redfish.js';
import { closedPort } from '../helpers/sshd.js';
import { expectNotStoredInClear } from '../helpers/stored-secrets.js';

const present = mockupPresent();
if (!present) console.warn(`BMC poller suite skipped: ${PUBLIC_RACKMOUNT} (the DMTF public mockup) is not here`);
const KEY = randomBytes(32).toString('hex');
const PASSWORD = 'Bmc-s3cret-pw';

let bmc: RedfishMockup;
let c: TestCollector;
let engineer: string;
let admin: string;
let id: number;

type Latest = { check: string; verdict: string; report: string; result: CheckResult };
const latest = async (hostname: string): Promise<Record<string, Latest>> => {
  const res = await c.request('GET', `/api/v1/sites/hq/devices/${hostname}/results`, { token: engineer });
  expect(res.status).toBe(200);
  return Object.fromEntries(((await res.json()) as { results: Latest[] }).results.map((r) => [r.check, r]));
};
const target = async (n = id) => (await (await c.request('GET', `/api/v1/sites/hq/bmc-targets/${n}`, { token: engineer })).json()) as Record<string, unknown>;
const patch = (body: Record<string, unknown>) => c.request('PATCH', `/api/v1/sites/hq/bmc-targets/${id}`, { token: engineer, body });
const pollNow = () => c.app.bmcPoller!.pollOne(id);

/** The agent's own report of the server: CPU, memory, disks, journal — and no IPMI device for PSUs, fans, temperatures. */
function agentReport(): Report {
  const r = realisticReport({ hostname: 'rack1', site: 'hq', at: new Date() });
  return {
    ...r,
    measurements: r.measurements.filter((m) => m.check !== 'SXKR-004' && m.check !== 'SXKR-005'),
    gaps: [
      { check: 'SXKR-004', reason: 'no IPMI device (/dev/ipmi0): power supplies and fans not visible to the OS', command: 'ipmitool sdr type "Power Supply"' },
      { check: 'SXKR-005', reason: 'no IPMI device (/dev/ipmi0): no temperature sensors', command: 'ipmitool sdr type Temperature' },
    ],
  };
}

describe.skipIf(!present)('BMC targets polled by the collector over Redfish (HTTPS mockup)', () => {
  beforeAll(async () => {
    bmc = await startRedfishMockup({ mockupDir: PUBLIC_RACKMOUNT, users: { admin: PASSWORD } });
    c = await startTestCollector({ snmp: { credentialKey: KEY, pollerEnabled: true, concurrency: 4 }, silenceScanSeconds: 0 });
    engineer = c.token('engineer', 'hq');
    admin = c.token('admin', null);
  }, 60_000);
  afterAll(async () => {
    await c?.stop();
    await bmc?.stop().catch(() => undefined);
  });

  it('validates a target: no password is a 400, an hmc without its managed system a 400, a customer a 403', async () => {
    const post = (token: string, body: Record<string, unknown>) => c.request('POST', '/api/v1/sites/hq/bmc-targets', { token, body });
    const bare = await post(engineer, { host: bmc.host, user: 'admin', hostname: 'x1' });
    expect(bare.status).toBe(400);
    expect(await bare.json()).toMatchObject({ error: 'password_required' });
    const hmc = await post(engineer, { protocol: 'hmc', host: bmc.host, user: 'hscroot', password: 'x', hostname: 'x1' });
    expect(hmc.status).toBe(400);
    expect(((await hmc.json()) as { message: string }).message).toMatch(/managedSystem/);
    expect((await post(c.token('customer', 'hq'), { host: bmc.host, user: 'admin', password: 'x', hostname: 'x1' })).status).toBe(403);
    expect((await c.request('GET', '/api/v1/sites/branch/bmc-targets', { token: engineer })).status).toBe(403);
  });

  it('polls the BMC: PSU and drive in Warning abnormal from their URLs, the certificate pinned, the password never returned nor stored in clear', async () => {
    const res = await c.request('POST', '/api/v1/sites/hq/bmc-targets', {
      token: engineer,
      body: { protocol: 'redfish', host: bmc.host, port: bmc.port, user: 'admin', password: PASSWORD, hostname: 'rack1', intervalS: 3600, timeoutMs: 5000 },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({ protocol: 'redfish', hasPassword: true, hostname: 'rack1' });
    expect(JSON.stringify(created)).not.toContain(PASSWORD);
    id = created.id as number;

    const polled = await until('the first poll', async () => ((await target()).lastPollAt ? target() : undefined), 60_000);
    expect(polled).toMatchObject({ lastResult: 'ok', pinned: bmc.fingerprint.toUpperCase() });
    expect(JSON.stringify(polled)).not.toContain(PASSWORD);
    expect(JSON.stringify(await (await c.request('GET', '/api/v1/sites/hq/bmc-targets', { token: engineer })).json())).not.toContain(PASSWORD);

    const r = await latest('rack1');
    // The BMC answers for SXKR-003…006 only.
    expect(Object.keys(r).sort()).toEqual(['SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']);
    expect(r['SXKR-004']).toMatchObject({ verdict: 'abnormal', report: polled.lastReportId });
    expect(r['SXKR-004']!.result.commands).toContain(`GET https://127.0.0.1:${bmc.port}/redfish/v1/Chassis/1U/Power`);
    expect(r['SXKR-003']!.verdict).toBe('abnormal');
    const report = (await (await c.request('GET', `/api/v1/reports/${String(polled.lastReportId)}`, { token: engineer })).json()) as Record<string, unknown>;
    expect(JSON.stringify(report)).toMatch(/"source":"bmc"/);
    const device = (await (await c.request('GET', '/api/v1/sites/hq/devices/rack1', { token: engineer })).json()) as Record<string, unknown>;
    expect(device).toMatchObject({ expectedIntervalS: 3600, serial: '437XR1138R2' });

    await expectNotStoredInClear(c, PASSWORD, ['bmc_targets']);
    expect((await c.store.get<{ password_sealed: string }>('SELECT password_sealed FROM bmc_targets WHERE id = ?', [id]))!.password_sealed).toMatch(/^v1:/);
  });

  it('combines the agent and the BMC: each report judged with the other side, neither one’s gaps overwriting the other’s values', async () => {
    const posted = await c.request('POST', '/api/v1/reports', { token: c.agentFor('hq', 'rack1'), body: agentReport() });
    expect(posted.status, await posted.clone().text()).toBe(201);
    let r = await latest('rack1');
    expect(r['SXKR-001']).toMatchObject({ verdict: 'normal', result: { commands: ['/proc/stat'] } });
    // The agent has no IPMI device: SXKR-004/005 still come from the BMC's URLs.
    expect(r['SXKR-004']!.verdict).toBe('abnormal');
    expect(r['SXKR-004']!.result.commands.every((cmd) => cmd.startsWith('GET https://'))).toBe(true);
    expect(r['SXKR-005']!.verdict).toBe('normal');
    expect(r['SXKR-005']!.result.reason ?? '').not.toMatch(/no IPMI device/);
    // SXKR-003 is read by both: the drive the BMC calls Warning stays abnormal at the agent's report.
    expect(r['SXKR-003']!.verdict).toBe('abnormal');
    expect(r['SXKR-003']!.result.commands).toEqual(expect.arrayContaining(['df -P', expect.stringMatching(/^GET https:\/\/127\.0\.0\.1:\d+\/redfish\/v1\//)]));
    const agentReportId = r['SXKR-001']!.report;

    await pollNow();
    r = await latest('rack1');
    // The BMC's poll leaves the agent's CPU and memory results alone.
    expect(r['SXKR-001']!.report).toBe(agentReportId);
    expect(r['SXKR-002']!.report).toBe(agentReportId);
    expect(r['SXKR-004']!.report).not.toBe(agentReportId);
    expect(r['SXKR-003']!.result.commands).toContain('df -P');
    // The equipment record keeps the OS's version and addresses; the BMC does not overwrite them.
    const device = (await (await c.request('GET', '/api/v1/sites/hq/devices/rack1', { token: engineer })).json()) as Record<string, unknown>;
    expect(device).toMatchObject({ version: '5.14.0-427', addresses: ['10.1.2.3'] });
    // One ticket per fault, not reopened and recovered at each source's turn.
    const tickets = await c.store.all<{ check_id: string; recovered_at: number | null }>("SELECT subject AS check_id, recovered_at FROM tickets t JOIN devices d ON d.id = t.device_id WHERE d.hostname = 'rack1' ORDER BY subject");
    expect(tickets.map((t) => t.check_id)).toEqual(['SXKR-003', 'SXKR-004']);
    expect(tickets.every((t) => t.recovered_at === null)).toBe(true);
  });

  it('a wrong password: the BMC checks unknown with the controller’s refusal; the agent’s results stay', async () => {
    expect((await patch({ password: 'not-the-password' })).status).toBe(200);
    await pollNow();
    expect(await target()).toMatchObject({ lastResult: 'unreachable', lastError: expect.stringMatching(/refused the credentials/) });
    const r = await latest('rack1');
    expect(r['SXKR-004']).toMatchObject({ verdict: 'unknown', result: { reason: expect.stringMatching(/refused the credentials/) } });
    expect(r['SXKR-001']!.verdict).toBe('normal');
    expect((await patch({ password: PASSWORD })).status).toBe(200);
  });

  it('a changed certificate: unknown with the reason, nothing sent; an admin accepts the presented one and polling resumes', async () => {
    const port = bmc.port;
    const pinned = bmc.fingerprint.toUpperCase();
    await bmc.stop();
    bmc = await startRedfishMockup({ mockupDir: PUBLIC_RACKMOUNT, users: { admin: PASSWORD }, tls: makeCertificate(), port });
    await pollNow();
    expect(bmc.requests).toEqual([]);
    const fresh = bmc.fingerprint.toUpperCase();
    expect(await target()).toMatchObject({ lastResult: 'unreachable', pinned, presented: fresh });
    const r = await latest('rack1');
    expect(r['SXKR-004']!.verdict).toBe('unknown');
    expect(r['SXKR-004']!.result.reason).toMatch(/has CHANGED .*accept-certificate/);

    const accept = (token: string, fingerprint?: string) =>
      c.request('POST', `/api/v1/sites/hq/bmc-targets/${id}/accept-certificate`, { token, body: fingerprint ? { fingerprint } : {} });
    expect((await accept(engineer, fresh)).status).toBe(403);
    const wrong = await accept(admin, pinned);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'fingerprint_mismatch' });
    const ok = await accept(admin, fresh);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ pinned: fresh });
    expect((await target()).presented).toBeUndefined();
    await pollNow();
    expect((await target()).lastResult).toBe('ok');
    expect((await latest('rack1'))['SXKR-004']!.verdict).toBe('abnormal');
  });

  it('a BMC gone: its checks unknown naming the controller; a BMC-only device whose BMC is dead goes down like a dead SNMP target', async () => {
    await bmc.stop();
    await pollNow();
    expect(await target()).toMatchObject({ lastResult: 'unreachable', lastError: expect.stringMatching(/unreachable/) });
    expect((await latest('rack1'))['SXKR-005']).toMatchObject({ verdict: 'unknown', result: { reason: expect.stringMatching(/BMC 127\.0\.0\.1:\d+ unreachable/) } });

    const res = await c.request('POST', '/api/v1/sites/hq/bmc-targets', {
      token: engineer,
      body: { host: '127.0.0.1', port: await closedPort(), user: 'admin', password: 'x', hostname: 'dark-srv', intervalS: 60, timeoutMs: 1000 },
    });
    expect(res.status).toBe(201);
    const dark = ((await res.json()) as { id: number }).id;
    await until('the dead BMC polled', async () => ((await target(dark)).lastPollAt ? true : undefined), 60_000);
    expect(await target(dark)).toMatchObject({ lastResult: 'unreachable' });
    const changes = (await detectSilence(c.store, new Date(Date.now() + 60_000 * 3 + 5_000)));
    expect(changes).toContainEqual(expect.objectContaining({ site: 'hq', hostname: 'dark-srv', state: 'down' }));
    // rack1 reported measurements (its agent, its BMC before it died) within its hour: not down.
    expect(changes.find((x) => x.hostname === 'rack1')).toBeUndefined();

    // A site whose devices are expected every minute (the device has no interval of its own): a
    // server known only through its BMC is watched at the site's interval like an agent's.
    await c.app.repos.sites.ensure('edge', Date.now());
    expect((await c.request('PATCH', '/api/v1/sites/edge', { token: admin, body: { expectedIntervalS: 60 } })).status).toBe(200);
    const edge = await c.request('POST', '/api/v1/sites/edge/bmc-targets', {
      token: admin,
      body: { host: '127.0.0.1', port: await closedPort(), user: 'admin', password: 'x', hostname: 'edge-srv', intervalS: 3600, timeoutMs: 1000 },
    });
    expect(edge.status).toBe(201);
    const edgeId = ((await edge.json()) as { id: number }).id;
    await until('the edge BMC polled', async () => ((await (await c.request('GET', `/api/v1/sites/edge/bmc-targets/${edgeId}`, { token: admin })).json()) as { lastPollAt?: string }).lastPollAt, 60_000);
    const device = (await (await c.request('GET', '/api/v1/sites/edge/devices/edge-srv', { token: admin })).json()) as Record<string, unknown>;
    expect(device.expectedIntervalS ?? null).toBeNull();
    expect((await detectSilence(c.store, new Date(Date.now() + 60_000 * 3 + 5_000)))).toContainEqual(expect.objectContaining({ site: 'edge', hostname: 'edge-srv', state: 'down' }));

    expect((await c.request('DELETE', `/api/v1/sites/hq/bmc-targets/${dark}`, { token: engineer })).status).toBe(204);
    expect((await c.request('GET', `/api/v1/sites/hq/bmc-targets/${dark}`, { token: engineer })).status).toBe(404);
  });
});
