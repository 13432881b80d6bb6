import type { Report } from '../../schemas/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaintenanceRequest, Ticket } from '../../schemas/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/** Reports go in with the agent token of their own device (an agent token speaks for one device). */
const asAgent = (body: Report) => ({ token: c.agentFor(body.site ?? 'acme', body.identity.hostname), body });

/** Maintenance requests through a real collector: the 24 h rule, customer-only approval, suppression. */
let c: TestCollector;
let clock = new Date('2026-11-20T09:00:00.000Z');
const hours = (h: number) => new Date(clock.getTime() + h * 3_600_000).toISOString();
const t = {} as Record<'agent' | 'engineer' | 'customer' | 'admin' | 'otherCustomer', string>;

beforeAll(async () => {
  c = await startTestCollector({}, { now: () => clock });
  t.agent = c.token('agent', 'acme');
  t.engineer = c.token('engineer', 'acme', 'Zhang San');
  t.customer = c.token('customer', 'acme', 'Customer rep');
  t.admin = c.token('admin', null);
  t.otherCustomer = c.token('customer', 'other');
  // A request names devices of its site's equipment record: each has reported once, normal.
  for (const hostname of ['db01', 'db02', 'db03', 'db04', 'web01']) {
    const res = await c.request('POST', '/api/v1/reports', { token: c.agentFor('acme', hostname), body: realisticReport({ hostname, at: new Date('2026-11-01T00:00:00.000Z') }) });
    expect(res.status).toBe(201);
  }
});
afterAll(async () => c?.stop());

async function call<T = any>(method: string, path: string, token: string, body?: unknown) {
  const res = await c.request(method, path, { token, body });
  return { status: res.status, body: (await res.json()) as T };
}

const request = (startH: number, endH: number, extra: Record<string, unknown> = {}) => ({
  site: 'acme',
  purpose: 'Firmware upgrade of the database server and its RAID controller',
  engineer: 'Zhang San',
  recorder: 'Li Si',
  steps: ['Back up the configuration', 'Upgrade the iLO and RAID firmware', 'Reboot and verify'],
  hardwareChanges: 'none',
  softwareChanges: 'Smart Array P408i firmware 5.61 → 7.20',
  expectedDurationMinutes: 90,
  windowStart: hours(startH),
  windowEnd: hours(endH),
  devices: ['db01'],
  rollbackPlan: 'Flash the previous firmware back from the vendor image and restore the configuration backup',
  customerRepresentative: 'Customer rep',
  removableMedia: 'virus-checked',
  ...extra,
});

describe('maintenance requests', () => {
  let id: number;

  it('refuses a request asked less than 24 h ahead, saying why', async () => {
    const r = await call('POST', '/api/v1/maintenance', t.engineer, request(23, 25));
    expect(r.status).toBe(400);
    expect(r.body.message).toBe(
      'maintenance must be requested at least 24 h before its window (this one is 23.0 h ahead); mark it emergency if it cannot wait',
    );
    const backwards = await call('POST', '/api/v1/maintenance', t.engineer, request(30, 29));
    expect(backwards.status).toBe(400);
    expect(backwards.body.message).toMatch(/windowEnd .* must be after windowStart/);
    const missing = await call('POST', '/api/v1/maintenance', t.engineer, { ...request(30, 32), steps: [] });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toContain('/body/steps');
    expect(await call('GET', '/api/v1/maintenance', t.engineer)).toMatchObject({ status: 200, body: [] });
  });

  it('accepts an emergency at short notice, and a request 24 h ahead', async () => {
    const emergency = await call<MaintenanceRequest>('POST', '/api/v1/maintenance', t.engineer, request(1, 2, { emergency: true, devices: ['web01'] }));
    expect(emergency.status).toBe(201);
    expect(emergency.body).toMatchObject({ status: 'requested', emergency: true, requestedBy: 'Zhang San' });
    const r = await call<MaintenanceRequest>('POST', '/api/v1/maintenance', t.engineer, request(24, 26));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      site: 'acme', status: 'requested', emergency: false, devices: ['db01'], recorder: 'Li Si',
      steps: ['Back up the configuration', 'Upgrade the iLO and RAID firmware', 'Reboot and verify'],
      expectedDurationMinutes: 90, decidedBy: null,
    });
    id = r.body.id;
    expect((await call('POST', '/api/v1/maintenance', c.token('engineer', 'other'), request(48, 50))).status).toBe(403);
  });

  it('lets the engineer change it while it awaits approval, under the same 24 h rule', async () => {
    const moved = await call<MaintenanceRequest>('PATCH', `/api/v1/maintenance/${id}`, t.engineer, { windowStart: hours(25), windowEnd: hours(27) });
    expect(moved.status).toBe(200);
    expect(moved.body.windowStart).toBe(hours(25));
    const tooSoon = await call('PATCH', `/api/v1/maintenance/${id}`, t.engineer, { windowStart: hours(2) });
    expect(tooSoon.status).toBe(400);
  });

  it('is approved only by a customer-role token of its site', async () => {
    for (const token of [t.engineer, t.admin, t.agent]) {
      const r = await call('POST', `/api/v1/maintenance/${id}/approve`, token, {});
      expect(r.status).toBe(403);
    }
    expect((await call('POST', `/api/v1/maintenance/${id}/approve`, t.otherCustomer, {})).status).toBe(404);
    const ok = await call<MaintenanceRequest>('POST', `/api/v1/maintenance/${id}/approve`, t.customer, { note: '同意, 书面确认' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', decidedBy: 'Customer rep', decidedAt: clock.toISOString(), decisionNote: '同意, 书面确认' });
    expect((await call('POST', `/api/v1/maintenance/${id}/approve`, t.customer, {})).status).toBe(409);
    expect((await call('PATCH', `/api/v1/maintenance/${id}`, t.engineer, { purpose: 'changed' })).status).toBe(409);
  });

  it('an approved window suppresses new tickets for its devices; results are still stored', async () => {
    clock = new Date(Date.parse(hours(25.5))); // inside the window
    const report = realisticReport({ hostname: 'db01', psuFault: true, at: clock });
    const sent = await c.request('POST', '/api/v1/reports', asAgent(report));
    expect(sent.status).toBe(201);
    expect((await sent.json()).verdicts['SXKR-004']).toBe('abnormal');
    const tickets = await call<Ticket[]>('GET', '/api/v1/tickets?device=db01', t.engineer);
    expect(tickets.body).toEqual([]);
    const stored = await call<any>('GET', `/api/v1/reports/${report.id}`, t.engineer);
    expect(stored.status).toBe(200);
    expect(stored.body.results.find((r: { check: string }) => r.check === 'SXKR-004').verdict).toBe('abnormal');

    // Another device at the same moment is not covered.
    await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ hostname: 'db02', psuFault: true, at: clock })));
    expect((await call<Ticket[]>('GET', '/api/v1/tickets?device=db02', t.engineer)).body).toHaveLength(1);
  });

  it('after the window, the fault opens its ticket', async () => {
    clock = new Date(Date.parse(hours(2))); // window ended
    await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ hostname: 'db01', psuFault: true, at: clock })));
    const tickets = await call<Ticket[]>('GET', '/api/v1/tickets?device=db01', t.engineer);
    expect(tickets.body.map((x) => x.subject)).toEqual(['SXKR-004']);
  });

  it('a request awaiting approval or rejected suppresses nothing; every record is kept', async () => {
    const pending = await call<MaintenanceRequest>('POST', '/api/v1/maintenance', t.engineer, request(30, 40, { devices: ['db03'] }));
    const rejected = await call<MaintenanceRequest>('POST', '/api/v1/maintenance', t.engineer, request(30, 40, { devices: ['db04'] }));
    expect((await call('POST', `/api/v1/maintenance/${rejected.body.id}/reject`, t.customer, { note: 'not this week' })).body.status).toBe('rejected');
    const cancelled = await call<MaintenanceRequest>('POST', `/api/v1/maintenance/${pending.body.id}/cancel`, t.engineer);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    clock = new Date(Date.parse(hours(35)));
    for (const hostname of ['db03', 'db04']) {
      await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ hostname, psuFault: true, at: clock })));
      expect((await call<Ticket[]>('GET', `/api/v1/tickets?device=${hostname}`, t.engineer)).body).toHaveLength(1);
    }
    const all = await call<MaintenanceRequest[]>('GET', '/api/v1/maintenance?site=acme', t.customer);
    expect(all.body.map((r) => r.status).sort()).toEqual(['approved', 'cancelled', 'rejected', 'requested']);
    expect((await call<MaintenanceRequest[]>('GET', '/api/v1/maintenance?device=db04', t.customer)).body.map((r) => r.status)).toEqual(['rejected']);
    expect((await call<MaintenanceRequest[]>('GET', '/api/v1/maintenance', t.otherCustomer)).body).toEqual([]);
    expect((await call('GET', `/api/v1/maintenance/${id}`, t.otherCustomer)).status).toBe(404);
    expect((await call('GET', '/api/v1/maintenance/4242', t.admin)).status).toBe(404);
  });
});
