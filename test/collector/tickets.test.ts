import type { Report } from '../../schemas/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../schemas/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/** Reports go in with the agent token of their own device (an agent token speaks for one device). */
const asAgent = (body: Report) => ({ token: c.agentFor(body.site ?? 'acme', body.identity.hostname), body });

/**
 * Fault tickets through a real listening collector on a real SQLite file: reports go in through
 * POST /api/v1/reports, tickets come out of the API. The collector's clock is the test's.
 */
let c: TestCollector;
let clock = new Date('2026-11-28T10:00:30.000Z');
const tokens = {} as Record<'agent' | 'engineer' | 'customer' | 'admin' | 'otherEngineer', string>;
const minutes = (n: number) => (clock = new Date(clock.getTime() + n * 60_000));

beforeAll(async () => {
  c = await startTestCollector({}, { now: () => clock });
  tokens.agent = c.token('agent', 'acme');
  tokens.engineer = c.token('engineer', 'acme', 'Wang Wei');
  tokens.customer = c.token('customer', 'acme', 'Li Na (customer)');
  tokens.admin = c.token('admin', null);
  tokens.otherEngineer = c.token('engineer', 'other-site');
});
afterAll(async () => c?.stop());

async function send(options: Parameters<typeof realisticReport>[0]) {
  const res = await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ at: clock, ...options })));
  expect(res.status).toBe(201);
  return res.json();
}
async function json<T = any>(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await c.request(method, path, { token, body });
  return { status: res.status, body: (await res.json()) as T };
}
const list = async (query: string, token = tokens.engineer) => (await json<Ticket[]>('GET', `/api/v1/tickets${query}`, token)).body;

describe('tickets from abnormal checks', () => {
  let id: number;

  it('opens one ticket when a PSU fails, P2 on an ordinary server, with contractual deadlines', async () => {
    const report = await send({ hostname: 'db01', psuFault: true });
    expect(report.verdicts['SXKR-004']).toBe('abnormal');
    const tickets = await list('?device=db01');
    expect(tickets).toHaveLength(1);
    const t = tickets[0]!;
    id = t.id;
    expect(t).toMatchObject({ site: 'acme', device: 'db01', subject: 'SXKR-004', priority: 'P2', status: 'open', emergency: false, openedBy: 'system', recoveredAt: null });
    expect(t.symptom).toMatch(/^SXKR-004 设备电源及风扇检查: .*PSU 2/);
    expect(t.deviceModel).toBe('ProLiant DL380 Gen10');
    expect(t.deadlines.response.due).toBe('2026-11-28T10:30:30.000Z');
    // A P2 needs no visit until an engineer dispatches: no on-site clock yet (P1 always needs one).
    expect(t.deadlines.onSite.due).toBeNull();
    expect(t.visitNeeded).toBe(false);
    expect(t.deadlines.recovery.due).toBe('2026-11-28T14:00:30.000Z');
    expect(t.events.map((e) => e.event)).toEqual(['open']);
  });

  it('never opens a second ticket while one is open', async () => {
    minutes(5);
    await send({ hostname: 'db01', psuFault: true });
    minutes(5);
    await send({ hostname: 'db01', psuFault: true });
    expect(await list('?device=db01&status=active')).toHaveLength(1);
  });

  it('stamps recovered when the check turns normal again, and keeps the ticket open for a person', async () => {
    minutes(5);
    await send({ hostname: 'db01' });
    const t = (await json<Ticket>('GET', `/api/v1/tickets/${id}`, tokens.engineer)).body;
    expect(t.status).toBe('open');
    expect(t.recoveredAt).toBe(clock.toISOString());
    expect(t.events.map((e) => e.event)).toEqual(['open', 'recovered']);
  });

  it('a relapse while open clears the recovery on the same ticket', async () => {
    minutes(5);
    await send({ hostname: 'db01', psuFault: true });
    const tickets = await list('?device=db01');
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.recoveredAt).toBeNull();
    expect(tickets[0]!.events.map((e) => e.event)).toEqual(['open', 'recovered', 'relapsed']);
  });

  it('an unknown check opens nothing', async () => {
    minutes(1);
    await send({ hostname: 'web01', logGap: true });
    expect(await list('?device=web01')).toEqual([]);
  });

  it('flags the response deadline overdue after 30 minutes without a response', async () => {
    // opened at 10:00:30; it is now 10:21:30
    expect((await list('?overdue=true')).map((t) => t.id)).toEqual([]);
    minutes(10);
    const overdue = await list('?overdue=true');
    expect(overdue.map((t) => t.id)).toEqual([id]);
    expect(overdue[0]!.deadlines.response.overdue).toBe(true);
    expect(overdue[0]!.deadlines.onSite.overdue).toBe(false);
    expect(overdue[0]!.overdue).toBe(true);
  });

  it('documents the ticket routes in the OpenAPI description', async () => {
    const doc = (await (await c.request('GET', '/docs/json')).json()) as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/tickets', '/api/v1/tickets/{id}', '/api/v1/tickets/{id}/respond', '/api/v1/tickets/{id}/confirm', '/api/v1/tickets/{id}/service-reports', '/api/v1/maintenance/{id}/approve', '/api/v1/sites/{site}/inspections/{month}/sign']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  it('shows the open and overdue counts in /metrics to a global admin token only', async () => {
    const text = await (await c.request('GET', '/metrics', { token: tokens.admin })).text();
    expect(text).toMatch(/^xunjian_tickets_open 1$/m);
    expect(text).toMatch(/^xunjian_tickets_overdue 1$/m);
    for (const token of [undefined, tokens.customer, tokens.engineer]) {
      const other = await (await c.request('GET', '/metrics', { token })).text();
      expect(other).toMatch(/^xunjian_reports_ingested_total \d+$/m);
      expect(other).not.toMatch(/xunjian_tickets_/);
    }
  });

  it('walks the lifecycle, refusing illegal steps (409) and wrong roles (403)', async () => {
    const step = (s: string, token = tokens.engineer, body: unknown = { note: `${s} note` }) => json<any>('POST', `/api/v1/tickets/${id}/${s}`, token, body);

    let r = await step('resolve');
    expect(r.status).toBe(409);
    expect(r.body.message).toBe('cannot resolve a ticket that is open: the next step is respond');

    r = await step('respond', tokens.customer);
    expect(r.status).toBe(403);
    // Another site's engineer is told what a missing ticket would tell: nothing of its site.
    r = await step('respond', tokens.otherEngineer);
    expect(r.status).toBe(404);
    expect(r.body.message).toBe(`no ticket ${id}`);

    minutes(1);
    r = await step('respond');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('responded');
    expect(r.body.deadlines.response).toMatchObject({ metAt: clock.toISOString(), overdue: true });

    r = await step('respond');
    expect(r.status).toBe(409);
    expect(r.body.message).toBe('cannot respond a ticket that is responded: the next steps are dispatch, on-site or resolve');

    r = await json('POST', `/api/v1/tickets/${id}/service-reports`, tokens.engineer, {
      arrivedAt: clock.toISOString(), workDone: 'x', result: 'fixed',
    });
    expect(r.status).toBe(409);

    minutes(30);
    // No body at all: the note is optional.
    const res = await c.request('POST', `/api/v1/tickets/${id}/on-site`, { token: tokens.engineer });
    r = { status: res.status, body: await res.json() };
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('on_site');
    expect(r.body.deadlines.onSite).toMatchObject({ metAt: clock.toISOString(), overdue: false });
    // On site without a dispatch step: the visit was decided at the response, the clock runs from it.
    expect(r.body.deadlines.onSite.from).toBe(new Date(clock.getTime() - 30 * 60_000).toISOString());
  });

  it('records the service report; a first visit that did not fix it starts the emergency plan', async () => {
    const r = await json<Ticket>('POST', `/api/v1/tickets/${id}/service-reports`, tokens.engineer, {
      arrivedAt: clock.toISOString(),
      workDone: 'Reseated PSU 2; AC input still lost.',
      result: 'not_fixed',
      openIssues: 'PSU 2 needs replacing',
      customerEvaluation: '满意',
    });
    expect(r.status).toBe(201);
    expect(r.body.serviceReports).toHaveLength(1);
    expect(r.body.serviceReports[0]).toMatchObject({ workDone: 'Reseated PSU 2; AC input still lost.', result: 'not_fixed', by: 'Wang Wei', customerEvaluation: '满意' });
    expect(r.body.emergencyPlanAt).toBe(clock.toISOString());
    expect(r.body.events.at(-1)).toMatchObject({ event: 'emergency_plan', by: 'Wang Wei' });
  });

  it('records the spare part with old and new serial numbers', async () => {
    minutes(40);
    const r = await json<Ticket>('POST', `/api/v1/tickets/${id}/parts`, tokens.engineer, {
      part: 'HPE 800W Flex Slot PSU 865414-B21', oldSerial: '5WBXK0ALL6Y1AB', newSerial: '5WBXK0ALL6Y9ZZ',
    });
    expect(r.status).toBe(201);
    expect(r.body.parts).toEqual([
      expect.objectContaining({ part: 'HPE 800W Flex Slot PSU 865414-B21', oldSerial: '5WBXK0ALL6Y1AB', newSerial: '5WBXK0ALL6Y9ZZ', by: 'Wang Wei', replacedAt: clock.toISOString() }),
    ]);
    const bad = await json<any>('POST', `/api/v1/tickets/${id}/parts`, tokens.engineer, { part: 'PSU', oldSerial: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/oldSerial|newSerial/);
  });

  it('resolves, is confirmed only by the customer, then closed; a closed ticket refuses steps', async () => {
    const step = (s: string, token = tokens.engineer) => json<any>('POST', `/api/v1/tickets/${id}/${s}`, token, {});
    expect((await step('resolve')).body.status).toBe('resolved');
    const byEngineer = await step('confirm');
    expect(byEngineer.status).toBe(403);
    expect(byEngineer.body.message).toMatch(/role engineer may not POST/);
    expect((await step('confirm', tokens.admin)).status).toBe(403);
    const confirmed = await step('confirm', tokens.customer);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.events.at(-1)).toMatchObject({ event: 'confirmed', by: 'Li Na (customer)' });
    const closed = await step('close');
    expect(closed.body.status).toBe('closed');
    expect(closed.body.events.map((e: { event: string }) => e.event)).toEqual([
      'open', 'recovered', 'relapsed', 'responded', 'on_site', 'emergency_plan', 'resolved', 'confirmed', 'closed',
    ]);
    const again = await step('respond');
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('cannot respond a ticket that is closed: it is closed');
  });

  it('opens a new ticket for the same check once the old one is closed', async () => {
    minutes(5);
    await send({ hostname: 'db01', psuFault: true });
    const all = await list('?device=db01');
    expect(all.map((t) => t.status)).toEqual(['open', 'closed']);
    expect(all[0]!.id).not.toBe(id);
  });

  it('filters by site, status and priority, and hides other sites', async () => {
    expect((await list('?status=closed')).map((t) => t.id)).toEqual([id]);
    expect((await list('?priority=P2&status=open')).map((t) => t.device)).toEqual(['db01']);
    expect(await list('?priority=P1')).toEqual([]);
    expect(await list('', tokens.otherEngineer)).toEqual([]);
    expect(await list('?site=acme', tokens.otherEngineer)).toEqual([]);
    expect((await list('?site=acme', tokens.admin)).length).toBe(2);
    const hidden = await json('GET', `/api/v1/tickets/${id}`, tokens.otherEngineer);
    expect(hidden).toEqual({ status: 404, body: { error: 'not_found', message: `no ticket ${id}` } });
    expect((await json('GET', '/api/v1/tickets/99999', tokens.admin)).status).toBe(404);
    expect((await json('GET', '/api/v1/tickets?overdue=maybe', tokens.admin)).status).toBe(400);
    expect((await c.request('GET', '/api/v1/tickets')).status).toBe(401);
    expect((await json('GET', '/api/v1/tickets', tokens.agent)).status).toBe(403);
  });

  it('takes a fault reported by a person, with priority from the mapping unless given', async () => {
    const r = await json<Ticket>('POST', '/api/v1/tickets', tokens.customer, {
      site: 'acme', device: 'web01', symptom: '网站打不开', suspectedCause: 'network',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ subject: 'manual', priority: 'P3', openedBy: 'Li Na (customer)', suspectedCause: 'network' });
    // A customer's report gets the site's mapping: choosing a priority or an emergency is refused, nothing opened.
    const before = (await list('?site=acme&status=all&limit=9999')).length;
    for (const chosen of [{ priority: 'P1' }, { emergency: true }]) {
      const refused = await json('POST', '/api/v1/tickets', tokens.customer, { site: 'acme', device: 'web01', symptom: '全部中断', ...chosen });
      expect(refused.status).toBe(403);
    }
    expect((await list('?site=acme&status=all&limit=9999')).length).toBe(before);
    const p1 = await json<Ticket>('POST', '/api/v1/tickets', tokens.engineer, { site: 'acme', device: 'web01', symptom: 'outage', priority: 'P1' });
    expect(p1.body).toMatchObject({ priority: 'P1', emergency: true });
    expect(p1.body.deadlines.onSite.due).toBe(new Date(clock.getTime() + 3_600_000).toISOString());
    expect((await json('POST', '/api/v1/tickets', tokens.admin, { site: 'acme-typo', device: 'web01', symptom: 'x' })).status).toBe(404);
  });

  it("uses the site's SLA profile and priority rules (admin only)", async () => {
    expect((await json('PUT', '/api/v1/sites/acme/sla', tokens.engineer, { responseHours: 1 })).status).toBe(403);
    const put = await json<any>('PUT', '/api/v1/sites/acme/sla', tokens.admin, {
      responseHours: 0.25,
      priorityRules: [{ subject: 'SXKR-001', priority: 'P2' }],
    });
    expect(put.status).toBe(200);
    expect(put.body.profile).toMatchObject({ responseHours: 0.25, onSiteHours: 2, recoveryHours: { P1: 2, P2: 4, P3: 12, P4: null } });
    expect((await json<any>('PUT', '/api/v1/sites/acme/sla', tokens.admin, { responseHours: -2 })).status).toBe(400);
    // A site that never reported has no SLA to read or set (nothing stored under a mistyped name).
    const unknown = await json<any>('PUT', '/api/v1/sites/acme-typo/sla', tokens.admin, { responseHours: 1 });
    expect(unknown).toEqual({ status: 404, body: { error: 'not_found', message: 'no site acme-typo' } });
    expect((await json('GET', '/api/v1/sites/acme-typo/sla', tokens.admin)).status).toBe(404);
    minutes(1);
    const sent = await send({ hostname: 'app01', cpuAvg: 60 });
    expect(sent.verdicts['SXKR-001']).toBe('abnormal');
    const [t] = await list('?device=app01');
    expect(t).toMatchObject({ subject: 'SXKR-001', priority: 'P2' });
    expect(t!.deadlines.response.due).toBe(new Date(clock.getTime() + 15 * 60_000).toISOString());
  });
});

describe('late reports', () => {
  it('an older report arriving after a newer one does not overrule it', async () => {
    const base = new Date(clock.getTime() + 3_600_000);
    const late = realisticReport({ hostname: 'late01', psuFault: true, at: base });
    const newer = realisticReport({ hostname: 'late01', at: new Date(base.getTime() + 60_000) });
    clock = new Date(base.getTime() + 120_000);
    for (const r of [newer, late]) expect((await c.request('POST', '/api/v1/reports', asAgent(r))).status).toBe(201);
    expect(await list('?device=late01')).toEqual([]);
    // In order, the same fault does open a ticket.
    const inOrder = realisticReport({ hostname: 'late01', psuFault: true, at: new Date(base.getTime() + 90_000) });
    expect((await c.request('POST', '/api/v1/reports', asAgent(inOrder))).status).toBe(201);
    expect((await list('?device=late01')).map((t) => t.subject)).toEqual(['SXKR-004']);
  });

  it('an older normal report arriving after a newer fault does not mark its ticket recovered', async () => {
    const base = new Date(clock.getTime() + 7_200_000);
    const older = realisticReport({ hostname: 'late02', at: base });
    const newer = realisticReport({ hostname: 'late02', psuFault: true, at: new Date(base.getTime() + 60_000) });
    clock = new Date(base.getTime() + 120_000);
    for (const r of [newer, older]) expect((await c.request('POST', '/api/v1/reports', asAgent(r))).status).toBe(201);
    const tickets = await list('?device=late02');
    expect(tickets.map((t) => [t.subject, t.recoveredAt])).toEqual([['SXKR-004', null]]);
  });
});

describe('the tickets hook reads what can act, and no more', () => {
  it('reads no newest results for a normal report of a device without tickets (SQLite), but does for a fault', async () => {
    const store = c.app.store;
    const all = store.all.bind(store);
    const texts: string[] = [];
    store.all = ((sql, params) => {
      texts.push(sql);
      return all(sql, params);
    }) as typeof store.all;
    const newestReads = () => texts.filter((sql) => sql.includes("'newest' AS kind")).length;
    try {
      minutes(1);
      await send({ hostname: 'quiet01' });
      // PostgreSQL reads both halves in the statement that marks the device alive: one round trip.
      expect(newestReads()).toBe(store.engine === 'sqlite' ? 0 : 1);
      minutes(1);
      await send({ hostname: 'quiet01', psuFault: true });
      expect(newestReads()).toBe(store.engine === 'sqlite' ? 1 : 2);
      expect((await list('?device=quiet01')).map((t) => t.subject)).toEqual(['SXKR-004']);
    } finally {
      store.all = all;
    }
  });
});
