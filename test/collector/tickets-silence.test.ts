import type { Report } from '../../schemas/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../schemas/index.js';
import { detectSilence } from '../../collector/tickets/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/** Reports go in with the agent token of their own device (an agent token speaks for one device). */
const asAgent = (body: Report) => ({ token: c.agentFor(body.site ?? 'acme', body.identity.hostname), body });

/**
 * Silence is a fault: a device that misses its expected reports is down and gets a ticket; when it
 * reports again the ticket shows it recovered. The scan runs against the real database at a `now`
 * the test chooses (the app's own timer runs the same function).
 */
let c: TestCollector;
let clock = new Date('2026-11-28T10:00:00.000Z');
const t0 = clock.getTime();
const at = (seconds: number) => new Date(t0 + seconds * 1000);
let agent: string;
let engineer: string;
let admin: string;

beforeAll(async () => {
  c = await startTestCollector({}, { now: () => clock });
  agent = c.token('agent', 'acme');
  engineer = c.token('engineer', 'acme');
  admin = c.token('admin', null);
});
afterAll(async () => c?.stop());

async function report(hostname: string, role?: string) {
  const r = realisticReport({ hostname, at: clock });
  if (role) r.identity.role = role;
  const res = await c.request('POST', '/api/v1/reports', asAgent(r));
  expect(res.status).toBe(201);
}
const tickets = async (device: string): Promise<Ticket[]> =>
  (await c.request('GET', `/api/v1/tickets?device=${device}`, { token: engineer })).json() as Promise<Ticket[]>;

describe('silence → down → recovered', () => {
  it('watches only devices with an expected interval', async () => {
    await report('db01');
    await report('sw-core1', 'core');
    await report('unwatched');
    // db01: every 60 s, 3 missed (the site default); sw-core1: every 60 s, 2 missed (its own setting).
    let res = await c.request('PUT', '/api/v1/sites/acme/devices/db01/silence', { token: engineer, body: { expectedIntervalSeconds: 60 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ expectedIntervalSeconds: 60, missedReports: 3 });
    res = await c.request('PUT', '/api/v1/sites/acme/devices/sw-core1/silence', { token: engineer, body: { expectedIntervalSeconds: 60, missedReports: 2 } });
    expect(await res.json()).toMatchObject({ expectedIntervalSeconds: 60, missedReports: 2 });
    res = await c.request('PUT', '/api/v1/sites/acme/devices/ghost/silence', { token: engineer, body: { missedReports: 2 } });
    expect(res.status).toBe(404);
    res = await c.request('PUT', '/api/v1/sites/acme/devices/db01/silence', { token: engineer, body: { missedReports: 0 } });
    expect(res.status).toBe(400);
  });

  it('is not down within its allowance', async () => {
    expect((await detectSilence(c.store, at(60)))).toEqual([]);
    expect((await detectSilence(c.store, at(120)))).toEqual([]);
  });

  it('a core device past 2 missed reports is down: a P1 ticket', async () => {
    const changes = (await detectSilence(c.store, at(121))).concat((await detectSilence(c.store, at(150))));
    expect(changes).toEqual([{ site: 'acme', hostname: 'sw-core1', state: 'down', ticket: { action: 'opened', ticketId: expect.any(Number) } }]);
    const [t] = await tickets('sw-core1');
    expect(t).toMatchObject({ subject: 'down', priority: 'P1', emergency: true, status: 'open', recoveredAt: null });
    expect(t!.symptom).toContain('no report or heartbeat since 2026-11-28T10:00:00.000Z (expected every 60 s; 2 missed)');
  });

  it('an ordinary server past 3 missed reports is down: P2, and one ticket however often the scan runs', async () => {
    const changes = (await detectSilence(c.store, at(181)));
    expect(changes.map((x) => [x.hostname, x.state])).toEqual([['db01', 'down']]);
    expect((await detectSilence(c.store, at(600)))).toEqual([]);
    expect((await detectSilence(c.store, at(6000)))).toEqual([]);
    const list = await tickets('db01');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ subject: 'down', priority: 'P2', emergency: false });
    expect(await tickets('unwatched')).toEqual([]);
  });

  it('reporting again shows the ticket recovered; a person still closes it', async () => {
    clock = at(6100);
    await report('db01');
    const [t] = await tickets('db01');
    expect(t).toMatchObject({ subject: 'down', status: 'open', recoveredAt: clock.toISOString() });
    expect(t!.events.map((e) => e.event)).toEqual(['open', 'recovered']);
    // Down at 181 s, back at 6100 s: within the P2's 4 h recovery limit.
    expect(t!.deadlines.recovery.overdue).toBe(false);
    expect((await detectSilence(c.store, at(6150)))).toEqual([]);
  });

  it('a heartbeat also ends silence, found by the next scan', async () => {
    clock = at(6200);
    const res = await c.request('POST', '/api/v1/heartbeat', { token: c.agentFor('acme', 'sw-core1'), body: { hostname: 'sw-core1', agentId: 'agent-sw-core1' } });
    expect(res.status).toBeLessThan(300);
    expect((await detectSilence(c.store, at(6210)))).toEqual([{ site: 'acme', hostname: 'sw-core1', state: 'up' }]);
    const [t] = await tickets('sw-core1');
    expect(t!.recoveredAt).toBe(at(6210).toISOString());
  });

  it('silence again while the ticket is still open relapses the same ticket', async () => {
    expect((await detectSilence(c.store, at(6100 + 181))).map((x) => x.hostname)).toEqual(['db01']);
    const list = await tickets('db01');
    expect(list).toHaveLength(1);
    expect(list[0]!.recoveredAt).toBeNull();
    expect(list[0]!.events.map((e) => e.event)).toEqual(['open', 'recovered', 'relapsed']);
  });

  it("the site's profile sets missed reports for devices without their own", async () => {
    clock = at(7000);
    await report('db02');
    await c.request('PUT', '/api/v1/sites/acme/devices/db02/silence', { token: engineer, body: { expectedIntervalSeconds: 10 } });
    const put = await c.request('PUT', '/api/v1/sites/acme/sla', { token: admin, body: { missedReports: 5 } });
    expect(put.status).toBe(200);
    expect((await detectSilence(c.store, at(7049))).map((x) => x.hostname)).not.toContain('db02');
    expect((await detectSilence(c.store, at(7051))).map((x) => x.hostname)).toContain('db02');
  });
});

describe('a device that reports but cannot be reached', () => {
  it('is down when its reports are only gaps (an SNMP timeout), and up when it answers again', async () => {
    clock = at(10_000);
    const ups = (measured: boolean) => {
      const r = realisticReport({ hostname: 'ups01', at: clock });
      r.source = 'snmp';
      r.identity = { hostname: 'ups01', kind: 'ups', addresses: ['10.0.0.9'] };
      if (!measured) {
        r.measurements = [];
        r.gaps = (['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006'] as const).map((check) => ({
          check, reason: 'SNMP timeout after 3 retries (10.0.0.9:161)', command: 'snmpget 1.3.6.1.2.1.33.1.2.1.0',
        }));
      }
      return c.request('POST', '/api/v1/reports', asAgent(r));
    };
    expect((await ups(true)).status).toBe(201);
    await c.request('PUT', '/api/v1/sites/acme/devices/ups01/silence', { token: engineer, body: { expectedIntervalSeconds: 60, missedReports: 3 } });
    for (const s of [60, 120, 180]) {
      clock = at(10_000 + s);
      expect((await ups(false)).status).toBe(201);
    }
    expect((await detectSilence(c.store, at(10_181))).map((x) => [x.hostname, x.state])).toContainEqual(['ups01', 'down']);
    const [t] = await tickets('ups01');
    expect(t).toMatchObject({ subject: 'down', priority: 'P2', recoveredAt: null });

    clock = at(10_240);
    expect((await ups(true)).status).toBe(201);
    expect((await tickets('ups01'))[0]!.recoveredAt).toBe(clock.toISOString());
  });
});

describe("the site's default interval", () => {
  it('watches devices that report by themselves, not those seen only in field inspections', async () => {
    const site = 'branch';
    const a = c.token('agent', site);
    const e = c.token('engineer', site);
    clock = at(20_000);
    const byAgent = realisticReport({ hostname: 'br-db01', site, at: clock });
    const byField = realisticReport({ hostname: 'br-fs01', site, at: clock });
    byField.source = 'ssh';
    // The agent reports its own host; the field inspection comes from the engineer's laptop.
    expect((await c.request('POST', '/api/v1/reports', { token: a, body: byAgent })).status).toBe(201);
    expect((await c.request('POST', '/api/v1/reports', { token: e, body: byField })).status).toBe(201);
    const patch = await c.request('PATCH', `/api/v1/sites/${site}`, { token: e, body: { expectedIntervalS: 300 } });
    expect(patch.status).toBe(200);
    const changes = (await detectSilence(c.store, at(20_000 + 901))).filter((x) => x.site === site);
    expect(changes.map((x) => [x.hostname, x.state])).toEqual([['br-db01', 'down']]);
  });
});

describe('the silence timer', () => {
  let timed: TestCollector;
  afterAll(async () => timed?.stop());

  it('runs the scan from the app on its interval (silenceScanSeconds)', async () => {
    let now = new Date('2026-11-28T10:00:00.000Z');
    timed = await startTestCollector({ silenceScanSeconds: 1 }, { now: () => now });
    const a = timed.token('agent', 'acme');
    const e = timed.token('engineer', 'acme');
    await timed.request('POST', '/api/v1/reports', { token: a, body: realisticReport({ hostname: 'db01', at: now }) });
    await timed.request('PUT', '/api/v1/sites/acme/devices/db01/silence', { token: e, body: { expectedIntervalSeconds: 60 } });
    now = new Date(now.getTime() + 3_600_000);
    // No call to detectSilence here: the app's own timer finds the silent device. The test waits
    // for the schedule's next run (an event), not for a guessed time.
    const changes = await timed.app.silenceScan!.nextRun();
    expect(changes.map((x) => [x.hostname, x.state])).toEqual([['db01', 'down']]);
    const found = (await (await timed.request('GET', '/api/v1/tickets?device=db01', { token: e })).json()) as Ticket[];
    expect(found.map((t) => t.subject)).toEqual(['down']);
  });
});
