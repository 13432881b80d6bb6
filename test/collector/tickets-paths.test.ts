import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, Ticket } from '../../schemas/index.js';
import { createUser } from '../../collector/users/create.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/**
 * Issue 11, tickets: the two paths and their clocks, the SLA snapshot, people, manual devices and
 * service requests, part disposition, refused steps — through a real listening collector on a
 * real SQLite file. The collector's clock is the test's; no assertion reads wall time.
 */
let c: TestCollector;
let clock = new Date('2026-12-01T02:00:00.000Z');
const minutes = (n: number) => (clock = new Date(clock.getTime() + n * 60_000));
const at = (m: number) => new Date(clock.getTime() + m * 60_000).toISOString();
const tokens = {} as Record<'engineer' | 'customer' | 'admin', string>;

async function json<T = any>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await c.request(method, path, { token, body });
  return { status: res.status, body: (await res.json()) as T };
}
const open = (body: Record<string, unknown>) => json<Ticket>('POST', '/api/v1/tickets', tokens.engineer, { site: 'acme', symptom: 'reported by phone', ...body });
const step = (id: number, s: string, body: unknown = {}) => json<any>('POST', `/api/v1/tickets/${id}/${s}`, tokens.engineer, body);
const get = async (id: number) => (await json<Ticket>('GET', `/api/v1/tickets/${id}`, tokens.engineer)).body;
const audit = async () => (await json<{ entries: { action: string; subject: string; detail: string | null; actor: string }[] }>('GET', '/api/v1/sites/acme/audit?limit=200', tokens.admin)).body.entries;

beforeAll(async () => {
  c = await startTestCollector({}, { now: () => clock });
  tokens.engineer = c.token('engineer', 'acme', 'Wang Wei');
  tokens.customer = c.token('customer', 'acme', 'Li Na (customer)');
  tokens.admin = c.token('admin', null, 'Boss');
  // The site and its devices exist from their first reports.
  for (const hostname of ['db01', 'sw-core', 'app01']) {
    const body: Report = realisticReport({ hostname, at: clock });
    expect((await c.request('POST', '/api/v1/reports', { token: c.agentFor('acme', hostname), body })).status).toBe(201);
  }
  const password = 'a long enough secret';
  await createUser(c.location, { name: 'wang', role: 'engineer', sites: ['acme'], password });
  await createUser(c.location, { name: 'zhang', role: 'engineer', sites: ['acme'], password });
  await createUser(c.location, { name: 'zhao', role: 'engineer', sites: ['other-site'], password });
  await createUser(c.location, { name: 'li', role: 'customer', sites: ['acme'], password });
});
afterAll(async () => c?.stop());

describe('remote path: open → responded → resolved', () => {
  it('resolves a fault fixed remotely in 20 minutes; nothing is on-site overdue at 2 h', async () => {
    const t = (await open({ device: 'db01', priority: 'P2' })).body;
    expect(t.visitNeeded).toBe(false);
    expect(t.deadlines.onSite.due).toBeNull();
    minutes(10);
    expect((await step(t.id, 'respond')).status).toBe(200);
    minutes(10);
    const resolved = await step(t.id, 'resolve', { note: 'restarted the service remotely' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    minutes(180);
    const later = await get(t.id);
    expect(later.deadlines.onSite).toMatchObject({ due: null, overdue: false });
    expect(later.deadlines.recovery.overdue).toBe(false);
    expect(later.overdue).toBe(false);
    expect(later.events.map((e) => e.event)).toEqual(['open', 'responded', 'resolved']);
  });
});

describe('on-site path: open → responded → dispatched → on site → resolved', () => {
  let id: number;
  it('starts the on-site clock at dispatch, not at opening', async () => {
    const t = (await open({ device: 'db01', priority: 'P2', symptom: 'disk failed' })).body;
    id = t.id;
    minutes(5);
    await step(id, 'respond');
    minutes(55);
    const d = await step(id, 'dispatch', { note: 'Wang Wei on the way' });
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ status: 'dispatched', visitNeeded: true });
    expect(d.body.deadlines.onSite).toMatchObject({ from: clock.toISOString(), due: at(120), metAt: null, overdue: false });
  });

  it('runs the 2-hour part-replacement clock from arrival when a part is needed', async () => {
    minutes(90);
    const arrived = await step(id, 'on-site');
    expect(arrived.body.deadlines.onSite).toMatchObject({ metAt: clock.toISOString(), overdue: false });
    const arrival = clock.toISOString();
    minutes(20);
    const needed = await step(id, 'part-needed', { part: 'HDD 1.2TB SAS', note: 'no spare on site' });
    expect(needed.status).toBe(200);
    expect(needed.body.deadlines.partReplacement).toMatchObject({ from: arrival, due: new Date(Date.parse(arrival) + 2 * 3_600_000).toISOString(), metAt: null });
    expect((await step(id, 'part-needed')).status).toBe(409);
    minutes(130);
    const late = await get(id);
    expect(late.deadlines.partReplacement!.overdue).toBe(true);
  });

  it('records the old part returned to the customer (更换硬盘交回) with who received it and when', async () => {
    const r = await json<Ticket>('POST', `/api/v1/tickets/${id}/parts`, tokens.engineer, {
      part: 'HDD 1.2TB SAS', oldSerial: 'WFK0ABCD', newSerial: 'WFK0WXYZ', disposition: 'returned_to_customer', receivedBy: 'Li Na', receivedAt: clock.toISOString(),
    });
    expect(r.status).toBe(201);
    expect(r.body.parts[0]).toMatchObject({ disposition: 'returned_to_customer', receivedBy: 'Li Na', receivedAt: clock.toISOString() });
    expect(r.body.deadlines.partReplacement).toMatchObject({ metAt: clock.toISOString(), overdue: true });
    // A second part, disposition recorded later.
    const second = await json<Ticket>('POST', `/api/v1/tickets/${id}/parts`, tokens.engineer, { part: 'Caddy', oldSerial: 'C1', newSerial: 'C2' });
    const partId = second.body.parts[1]!.id;
    expect(second.body.parts[1]!.disposition).toBeUndefined();
    const bad = await json<any>('PUT', `/api/v1/tickets/${id}/parts/${partId}/disposition`, tokens.engineer, { disposition: 'thrown-away' });
    expect(bad.status).toBe(400);
    const missing = await json<any>('PUT', `/api/v1/tickets/${id}/parts/999999/disposition`, tokens.engineer, { disposition: 'destroyed' });
    expect(missing).toMatchObject({ status: 404, body: { message: `no part 999999 on ticket ${id}` } });
    const set = await json<Ticket>('PUT', `/api/v1/tickets/${id}/parts/${partId}/disposition`, tokens.engineer, { disposition: 'kept_by_service_company', receivedBy: 'Wang Wei' });
    expect(set.status).toBe(200);
    expect(set.body.parts[1]).toMatchObject({ disposition: 'kept_by_service_company', receivedBy: 'Wang Wei', receivedAt: clock.toISOString() });
    expect((await audit()).find((e) => e.action === 'ticket.part-disposition')).toMatchObject({ subject: `#${id}`, actor: 'Wang Wei' });
  });

  it("prints the parts' disposition in the fault report", async () => {
    // The CSV carries the first table only; the report document holds every section.
    const csv = await (await c.request('GET', `/api/v1/sites/acme/reports/faults?ticket=${id}&format=json&lang=en`, { token: tokens.engineer })).text();
    expect(csv).toMatch(/Old part/);
    expect(csv).toMatch(/returned to the customer/);
    expect(csv).toMatch(/Li Na/);
    expect(csv).toMatch(/kept by the service company/);
  });

  it('starts the emergency plan as a step with its owner and deadline (only on site)', async () => {
    const t = (await open({ device: 'app01', priority: 'P2' })).body;
    await step(t.id, 'respond');
    const early = await step(t.id, 'emergency-plan', { owner: 'wang', due: at(240) });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/emergency plan follows an on-site visit/);
    await step(t.id, 'on-site');
    const notOfSite = await step(t.id, 'emergency-plan', { owner: 'zhao', due: at(240) });
    expect(notOfSite.status).toBe(400);
    expect(notOfSite.body.message).toBe('emergency plan owner zhao is not an engineer with access to site acme');
    const started = await step(t.id, 'emergency-plan', { owner: 'wang', due: at(240), note: 'spare machine from the depot' });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ emergencyPlanOwner: 'wang', emergencyPlanAt: clock.toISOString() });
    expect(started.body.deadlines.emergencyPlan).toMatchObject({ due: at(240), overdue: false });
    expect(started.body.events.at(-1)).toMatchObject({ event: 'emergency_plan', by: 'Wang Wei' });
    expect((await step(t.id, 'emergency-plan', { owner: 'zhang', due: at(300) })).status).toBe(409);
  });
});

describe('which priorities get an on-site clock', () => {
  it('P1 always needs a visit: the (emergency) on-site clock runs from opening', async () => {
    const t = (await open({ device: 'sw-core', priority: 'P1' })).body;
    expect(t).toMatchObject({ visitNeeded: true, emergency: true });
    expect(t.deadlines.onSite).toMatchObject({ from: clock.toISOString(), due: at(60) });
  });

  it('P4 never gets an on-site clock, even when an engineer is dispatched', async () => {
    const t = (await open({ device: 'app01', priority: 'P4' })).body;
    await step(t.id, 'respond');
    const d = await step(t.id, 'dispatch');
    expect(d.body).toMatchObject({ status: 'dispatched', visitNeeded: false });
    expect(d.body.deadlines.onSite).toMatchObject({ due: null, overdue: false });
    minutes(600);
    expect((await get(t.id)).overdue).toBe(false);
  });

  it('refuses illegal steps with a 409 naming the next steps', async () => {
    const t = (await open({ device: 'app01' })).body;
    const r = await step(t.id, 'dispatch');
    expect(r).toMatchObject({ status: 409, body: { message: 'cannot dispatch a ticket that is open: the next step is respond' } });
    const customer = await json<any>('POST', `/api/v1/tickets/${t.id}/dispatch`, tokens.customer, {});
    expect(customer.status).toBe(403);
  });
});

describe('SLA snapshot', () => {
  it('a profile change applies to new tickets only, and is audited', async () => {
    const before = (await open({ device: 'db01', priority: 'P2' })).body;
    expect(before.deadlines.recovery.due).toBe(at(240));
    const put = await json<any>('PUT', '/api/v1/sites/acme/sla', tokens.admin, { recoveryHours: { P2: 1 }, responseHours: 0.25 });
    expect(put.status).toBe(200);
    const untouched = await get(before.id);
    expect(untouched.deadlines.recovery.due).toBe(before.deadlines.recovery.due);
    expect(untouched.deadlines.response.due).toBe(before.deadlines.response.due);
    expect(untouched.sla).toMatchObject({ responseHours: 0.5, recoveryHours: { P2: 4 } });
    const after = (await open({ device: 'db01', priority: 'P2' })).body;
    expect(after.deadlines.recovery.due).toBe(at(60));
    expect(after.sla).toMatchObject({ responseHours: 0.25, recoveryHours: { P2: 1 } });
    const entry = (await audit()).find((e) => e.action === 'sla.set');
    expect(entry).toMatchObject({ actor: 'Boss' });
    expect(JSON.parse(entry!.detail!)).toMatchObject({ before: {}, after: { recoveryHours: { P2: 1 } } });
    // Back to the defaults for the tests below.
    expect((await json('PUT', '/api/v1/sites/acme/sla', tokens.admin, {})).status).toBe(200);
  });

  it('the general 8-hour promise is a profile field beside the per-priority limits', async () => {
    const sla = (await json<any>('GET', '/api/v1/sites/acme/sla', tokens.engineer)).body;
    expect(sla.profile).toMatchObject({ generalRecoveryHours: 8, partReplacementHours: 2, onSitePriorities: ['P1'], recoveryHours: { P1: 2, P2: 4, P3: 12, P4: null } });
  });
});

describe('people', () => {
  let id: number;
  it('assignee and backup must be engineers of the site (400 otherwise)', async () => {
    id = (await open({ device: 'db01' })).body.id;
    const assign = (body: unknown) => json<any>('PUT', `/api/v1/tickets/${id}/assignment`, tokens.engineer, body);
    expect(await assign({ assignee: 'zhao' })).toMatchObject({ status: 400, body: { message: 'assignee zhao is not an engineer with access to site acme' } });
    expect((await assign({ assignee: 'li' })).status).toBe(400);
    expect((await assign({ assignee: 'ghost' })).status).toBe(400);
    expect((await assign({ assignee: 'wang', backup: 'wang' })).status).toBe(400);
    expect((await assign({})).status).toBe(400);
    const ok = await assign({ assignee: 'wang', backup: 'zhang' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ assignee: 'wang', backup: 'zhang' });
  });

  it('reassignment is audited and kept in the ticket events', async () => {
    const r = await json<Ticket>('PUT', `/api/v1/tickets/${id}/assignment`, tokens.engineer, { assignee: 'zhang', backup: null });
    expect(r.body).toMatchObject({ assignee: 'zhang', backup: null });
    expect(r.body.events.at(-1)).toMatchObject({ event: 'assigned', by: 'Wang Wei', note: 'assignee: wang → zhang; backup: zhang → —' });
    const entries = (await audit()).filter((e) => e.action === 'ticket.assign' && e.subject === `#${id}`);
    expect(entries.map((e) => e.detail)).toEqual(['assignee: wang → zhang; backup: zhang → —', 'assignee: — → wang; backup: — → zhang']);
  });

  it('a ticket opened with an assignee checks it too', async () => {
    expect((await open({ device: 'db01', assignee: 'zhao' })).status).toBe(400);
    expect((await open({ device: 'db01', assignee: 'wang' })).body.assignee).toBe('wang');
    const byCustomer = await json<any>('POST', '/api/v1/tickets', tokens.customer, { site: 'acme', device: 'db01', symptom: 'x', assignee: 'wang' });
    expect(byCustomer.status).toBe(403);
  });

  it('reclassification needs a reason (400 without); it is audited and in the events', async () => {
    expect((await step(id, 'reclassify', { priority: 'P1' })).status).toBe(400);
    expect((await step(id, 'reclassify', { priority: 'P1', reason: '' })).status).toBe(400);
    expect((await step(id, 'reclassify', { priority: 'P1', reason: '   ' })).status).toBe(400);
    const r = await step(id, 'reclassify', { priority: 'P1', reason: 'the whole payroll system is down' });
    expect(r.status).toBe(200);
    // P1 always needs a visit: its (emergency) on-site clock starts at the reclassification.
    expect(r.body).toMatchObject({ priority: 'P1', emergency: true, visitNeeded: true });
    expect(r.body.deadlines.onSite.due).toBe(at(60));
    expect(r.body.events.at(-1)).toMatchObject({ event: 'reclassified', note: 'P3 → P1: the whole payroll system is down' });
    expect((await audit()).find((e) => e.action === 'ticket.reclassify')).toMatchObject({ subject: `#${id}`, detail: 'P3 → P1: the whole payroll system is down' });
    expect((await step(id, 'reclassify', { priority: 'P1', reason: 'again' })).status).toBe(409);
  });
});

describe('devices not on record and service requests', () => {
  it('a fault of a device not yet on record creates it as a manual device', async () => {
    const r = await open({ device: 'nas01', deviceKind: 'server', deviceModel: 'Synology RS1221+' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ device: 'nas01', deviceKind: 'server', deviceModel: 'Synology RS1221+', subject: 'manual' });
    const device = await json<any>('GET', '/api/v1/sites/acme/devices/nas01', tokens.engineer);
    expect(device.status).toBe(200);
    expect(device.body).toMatchObject({ hostname: 'nas01', lastReportAt: null });
    expect((await audit()).find((e) => e.action === 'ticket.open' && e.subject === `#${r.body.id}`)!.detail).toMatch(/device nas01 entered by hand/);
    // The second ticket for it finds the device on record.
    expect((await open({ device: 'nas01', symptom: 'again' })).status).toBe(201);
  });

  it('a service request needs no device (P4 unless given)', async () => {
    const r = await json<Ticket>('POST', '/api/v1/tickets', tokens.customer, { site: 'acme', symptom: '请协助迁移机房空调监控' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ device: null, priority: 'P4', visitNeeded: false });
    expect(r.body.deadlines.recovery.due).toBeNull();
    const listed = (await json<Ticket[]>('GET', '/api/v1/tickets?status=open', tokens.engineer)).body.map((t) => t.id);
    expect(listed).toContain(r.body.id);
    expect((await open({ subject: 'SXKR-004' })).status).toBe(400);
    // The dashboard shows it too: the site's list and its own page.
    const login = await c.request('POST', '/login', { body: { name: 'wang', password: 'a long enough secret' } });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    for (const path of ['/sites/acme/tickets', `/sites/acme/tickets/${r.body.id}`]) {
      const page = await c.request('GET', path, { headers: { cookie } });
      expect(page.status, path).toBe(200);
      expect(await page.text()).toContain('请协助迁移机房空调监控');
    }
  });
});
