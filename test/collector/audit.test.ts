import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/**
 * "Every sign-off, confirmation and ticket step is in an audit log with who and when" — also when
 * it is made through the bearer-token API, not only in the dashboard. A ticket goes through its
 * whole lifecycle, November is signed and confirmed, and a maintenance request is filed and
 * approved, all through the API on a real collector; GET /api/v1/sites/acme/audit shows each step
 * with actor, role, action and time, page by page.
 */
const clock = { now: new Date('2026-11-20T10:00:00.000Z') };
let c: TestCollector;
let tokens: { agent: string; engineer: string; customer: string; otherEngineer: string };

interface Entry {
  id: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  subject: string | null;
  detail: string | null;
}

async function call(method: string, path: string, token: string, body?: unknown, at?: string): Promise<{ status: number; json: any }> {
  if (at) clock.now = new Date(at);
  const res = await c.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function must(method: string, path: string, token: string, body: unknown, at: string): Promise<any> {
  const r = await call(method, path, token, body, at);
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.json)}`).toBeLessThan(300);
  return r.json;
}

async function allEntries(token = tokens.engineer): Promise<Entry[]> {
  const r = await call('GET', '/api/v1/sites/acme/audit?limit=500', token);
  expect(r.status).toBe(200);
  return r.json.entries as Entry[];
}

beforeAll(async () => {
  c = await startTestCollector({ silenceScanSeconds: 0 }, { now: () => clock.now });
  tokens = {
    agent: c.token('agent', 'acme'),
    engineer: c.token('engineer', 'acme', 'Wang Gong'),
    customer: c.token('customer', 'acme', 'Li Kehu'),
    otherEngineer: c.token('engineer', 'globex', 'Zhao Gong'),
  };
  expect((await c.request('POST', '/api/v1/reports', { token: tokens.agent, body: realisticReport({ hostname: 'db01', at: clock.now }) })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await c?.stop();
});

describe('audit log of API actions', () => {
  it('a ticket moved open → closed through the API leaves one row per step with actor, role, action and time', async () => {
    const ticket = await must('POST', '/api/v1/tickets', tokens.engineer, { site: 'acme', device: 'db01', subject: 'down', symptom: 'no ping', priority: 'P1' }, '2026-11-21T00:00:00.000Z');
    const id = ticket.id as number;
    await must('POST', `/api/v1/tickets/${id}/respond`, tokens.engineer, { note: 'called back' }, '2026-11-21T00:10:00.000Z');
    await must('POST', `/api/v1/tickets/${id}/on-site`, tokens.engineer, {}, '2026-11-21T01:00:00.000Z');
    await must('POST', `/api/v1/tickets/${id}/service-reports`, tokens.engineer, { arrivedAt: '2026-11-21T01:00:00.000Z', workDone: 'PSU swapped', result: 'fixed' }, '2026-11-21T02:00:00.000Z');
    await must('POST', `/api/v1/tickets/${id}/parts`, tokens.engineer, { part: 'PSU', oldSerial: 'OLD1', newSerial: 'NEW1' }, '2026-11-21T02:05:00.000Z');
    await must('POST', `/api/v1/tickets/${id}/resolve`, tokens.engineer, {}, '2026-11-21T03:00:00.000Z');
    await must('POST', `/api/v1/tickets/${id}/confirm`, tokens.customer, {}, '2026-11-21T04:00:00.000Z');
    await must('POST', `/api/v1/tickets/${id}/close`, tokens.engineer, {}, '2026-11-21T05:00:00.000Z');
    // A refused step (the ticket is closed: 409) is not an action and leaves no row.
    expect((await call('POST', `/api/v1/tickets/${id}/close`, tokens.engineer, {}, '2026-11-21T06:00:00.000Z')).status).toBe(409);

    const rows = (await allEntries()).filter((e) => e.subject === `#${id}` && e.action.startsWith('ticket.')).reverse();
    expect(rows.map((e) => [e.action, e.actor, e.role, e.at])).toEqual([
      ['ticket.open', 'Wang Gong', 'engineer', '2026-11-21T00:00:00.000Z'],
      ['ticket.respond', 'Wang Gong', 'engineer', '2026-11-21T00:10:00.000Z'],
      ['ticket.on-site', 'Wang Gong', 'engineer', '2026-11-21T01:00:00.000Z'],
      ['ticket.service-report', 'Wang Gong', 'engineer', '2026-11-21T02:00:00.000Z'],
      ['ticket.part', 'Wang Gong', 'engineer', '2026-11-21T02:05:00.000Z'],
      ['ticket.resolve', 'Wang Gong', 'engineer', '2026-11-21T03:00:00.000Z'],
      ['ticket.confirm', 'Li Kehu', 'customer', '2026-11-21T04:00:00.000Z'],
      ['ticket.close', 'Wang Gong', 'engineer', '2026-11-21T05:00:00.000Z'],
    ]);
    expect(rows.find((e) => e.action === 'ticket.respond')!.detail).toBe('called back');
    expect(rows.find((e) => e.action === 'ticket.part')!.detail).toBe('PSU: OLD1 → NEW1');
  });

  it('the inspection signed and confirmed through the API is in the log, with its revision', async () => {
    await must('PUT', '/api/v1/sites/acme/inspections/2026-11/notes', tokens.engineer, { notes: 'all fine' }, '2026-11-28T09:00:00.000Z');
    await must('POST', '/api/v1/sites/acme/inspections/2026-11/sign', tokens.engineer, undefined, '2026-11-28T10:00:00.000Z');
    expect((await call('POST', '/api/v1/sites/acme/inspections/2026-11/sign', tokens.engineer, undefined, '2026-11-28T10:30:00.000Z')).status).toBe(409);
    await must('POST', '/api/v1/sites/acme/inspections/2026-11/confirm', tokens.customer, undefined, '2026-11-28T11:00:00.000Z');
    const rows = (await allEntries()).filter((e) => e.subject === '2026-11').reverse();
    expect(rows.map((e) => [e.action, e.actor, e.role, e.at, e.detail])).toEqual([
      ['inspection.notes', 'Wang Gong', 'engineer', '2026-11-28T09:00:00.000Z', null],
      ['inspection.sign', 'Wang Gong', 'engineer', '2026-11-28T10:00:00.000Z', 'revision 1'],
      ['inspection.confirm', 'Li Kehu', 'customer', '2026-11-28T11:00:00.000Z', 'revision 1'],
    ]);
  });

  it('a maintenance request and its approval are in the log', async () => {
    const m = await must(
      'POST',
      '/api/v1/maintenance',
      tokens.engineer,
      {
        site: 'acme', purpose: 'firmware update', engineer: 'Wang Gong', recorder: 'Zhao Liu', rollbackPlan: 'restore the configuration backup', customerRepresentative: 'Chen Jingli', removableMedia: 'none', steps: ['update BIOS'], expectedDurationMinutes: 60,
        windowStart: '2026-12-05T01:00:00.000Z', windowEnd: '2026-12-05T02:00:00.000Z', devices: ['db01'],
      },
      '2026-12-01T00:00:00.000Z',
    );
    await must('POST', `/api/v1/maintenance/${m.id}/approve`, tokens.customer, {}, '2026-12-01T08:00:00.000Z');
    const rows = (await allEntries()).filter((e) => e.subject === `#${m.id}` && e.action.startsWith('maintenance.')).reverse();
    expect(rows.map((e) => [e.action, e.actor, e.role, e.at])).toEqual([
      ['maintenance.request', 'Wang Gong', 'engineer', '2026-12-01T00:00:00.000Z'],
      ['maintenance.approve', 'Li Kehu', 'customer', '2026-12-01T08:00:00.000Z'],
    ]);
    expect(rows[0]!.detail).toBe('firmware update');
  });

  it('pages with a limit and a cursor, newest first, and ends with next null', async () => {
    const all = await allEntries();
    expect(all.length).toBeGreaterThanOrEqual(13);
    const seen: Entry[] = [];
    let cursor: string | null = '';
    for (let pages = 0; cursor !== null; pages++) {
      expect(pages).toBeLessThan(all.length);
      const r = await call('GET', `/api/v1/sites/acme/audit?limit=4${cursor ? `&cursor=${cursor}` : ''}`, tokens.engineer);
      expect(r.status).toBe(200);
      expect(r.json.entries.length).toBeLessThanOrEqual(4);
      seen.push(...r.json.entries);
      cursor = r.json.next;
    }
    expect(seen).toEqual(all);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
  });

  it('refuses customers, engineers of other sites, and bad paging with a clear 4xx', async () => {
    expect((await call('GET', '/api/v1/sites/acme/audit', tokens.customer)).status).toBe(403);
    expect((await call('GET', '/api/v1/sites/acme/audit', tokens.otherEngineer)).status).toBe(403);
    expect((await call('GET', '/api/v1/sites/acme/audit', '')).status).toBe(401);
    for (const q of ['limit=0', 'limit=501', 'cursor=abc', 'cursor=-1', 'other=1']) {
      const r = await call('GET', `/api/v1/sites/acme/audit?${q}`, tokens.engineer);
      expect(r.status, q).toBe(400);
      expect(r.json.message, q).toBeTruthy();
    }
  });
});
