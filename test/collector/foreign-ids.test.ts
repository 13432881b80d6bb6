import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../collector/app.js';
import { hashPassword, UsersRepository } from '../../collector/users/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { pathWith } from './fixtures/routes.js';

/**
 * Error messages never reveal another site: a ticket, maintenance request or report of another
 * customer answers a tenant-bound token or dashboard user exactly as an id that does not exist
 * (same status, same message with the id in it, same redirect), at every id-bearing route of the
 * route table, API and dashboard. Before, a 403 said "token … is for site acme, not bank-hidden".
 */
const FOREIGN = 'bank-hidden';
const NOW = new Date('2026-11-20T09:00:00.000Z');
let c: TestCollector;
const ids = { ticket: '', maintenance: '', report: 'rpt-foreign-db09' };
const MISSING = { ticket: '987654', maintenance: '987654', report: 'rpt-no-such-report' };
const tokens = {} as Record<'customer' | 'engineer', string>;
let session = { cookie: '', csrf: '' };

const BODIES: Record<string, unknown> = {
  'service-reports': { arrivedAt: '2026-11-20T10:00:00.000Z', workDone: 'swapped PSU 2', result: 'fixed' },
  parts: { part: 'PSU', oldSerial: 'A1', newSerial: 'B2' },
  // Valid bodies, so the answer comes from the ticket's site check (not from validation).
  assignment: { assignee: null },
  reclassify: { priority: 'P1', reason: 'outage' },
  'emergency-plan': { owner: 'wang', due: '2027-01-01T00:00:00.000Z' },
  disposition: { disposition: 'other' },
  ':id': { purpose: 'changed' },
};

beforeAll(async () => {
  c = await startTestCollector({ silenceScanSeconds: 0 }, { now: () => NOW });
  const agent = c.token('agent', FOREIGN);
  const foreignEngineer = c.token('engineer', FOREIGN);
  tokens.customer = c.token('customer', 'acme');
  tokens.engineer = c.token('engineer', 'acme');
  expect((await c.request('POST', '/api/v1/reports', { token: c.token('agent', 'acme'), body: realisticReport({ site: 'acme', hostname: 'db01', at: NOW }) })).status).toBe(201);
  const report = realisticReport({ id: ids.report, site: FOREIGN, hostname: 'db09', at: NOW, psuFault: true });
  expect((await c.request('POST', '/api/v1/reports', { token: agent, body: report })).status).toBe(201);
  const tickets = (await (await c.request('GET', '/api/v1/tickets', { token: foreignEngineer })).json()) as { id: number }[];
  ids.ticket = String(tickets[0]!.id);
  const at = (h: number) => new Date(NOW.getTime() + h * 3_600_000).toISOString();
  const m = await c.request('POST', '/api/v1/maintenance', {
    token: foreignEngineer,
    body: { site: FOREIGN, purpose: 'PSU swap', engineer: 'Zhang San', recorder: 'Li Si', rollbackPlan: 'restore the configuration backup', customerRepresentative: 'Chen Jingli', removableMedia: 'none', steps: ['swap'], hardwareChanges: 'PSU', softwareChanges: 'none', expectedDurationMinutes: 30, windowStart: at(30), windowEnd: at(31), devices: ['db09'] },
  });
  expect(m.status, await m.clone().text()).toBe(201);
  ids.maintenance = String(((await m.json()) as { id: number }).id);
  await new UsersRepository(c.store).create({ name: 'li', role: 'customer', passwordHash: await hashPassword('customer-pass-1'), sites: ['acme'] });
  const login = await c.request('POST', '/login', { body: { name: 'li', password: 'customer-pass-1' } });
  expect(login.status).toBe(200);
  session = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, csrf: ((await login.json()) as { csrf: string }).csrf };
}, 60_000);

afterAll(async () => c?.stop());

/** Which kind of id a route's `:id` is, or undefined for a route without one of ours. */
function kindOf(route: RouteEntry): keyof typeof ids | undefined {
  if (!route.url.includes(':id')) return undefined;
  if (route.url.includes('/tickets/')) return 'ticket';
  if (route.url.includes('/maintenance/')) return 'maintenance';
  if (route.url.includes('/reports/')) return 'report';
  return undefined;
}

interface Answer {
  status: number;
  text: string;
}

async function ask(route: RouteEntry, id: string, who: { token?: string; session?: typeof session }): Promise<Answer> {
  const path = pathWith(route.url, (name) => (name === 'id' ? id : name === 'site' ? 'acme' : name === 'step' ? 'respond' : 'x'));
  const headers: Record<string, string> = {};
  if (who.token) headers.authorization = `Bearer ${who.token}`;
  if (who.session) Object.assign(headers, { cookie: who.session.cookie, 'x-csrf-token': who.session.csrf });
  const writes = route.method !== 'GET' && route.method !== 'DELETE';
  const last = route.url.split('/').pop()!;
  const body = writes ? JSON.stringify(BODIES[last] ?? {}) : undefined;
  if (writes) headers['content-type'] = 'application/json';
  const res = await fetch(`${c.url}${path}`, { method: route.method, headers, body, redirect: 'manual' });
  // What the answer says, with the asked id in it written as <id>: the rest must be identical.
  const asId = new RegExp(`(?<![\\w-])${id.replace(/[-]/g, '\\-')}(?![\\w-])`, 'g');
  const text = `${decodeURIComponent(res.headers.get('location') ?? '')} ${await res.text()}`.replace(asId, '<id>');
  return { status: res.status, text };
}

describe("another site's ids answer as missing ones", () => {
  it('at every id-bearing API route and page, for tenant-bound tokens and a logged-in customer', async () => {
    const routes = c.app.routeTable.filter((r) => kindOf(r) !== undefined);
    expect(routes.length).toBeGreaterThan(15);
    const differences: string[] = [];
    const whos = [
      { name: 'customer token', token: tokens.customer },
      { name: 'engineer token', token: tokens.engineer },
      { name: 'customer user', session },
    ];
    for (const route of routes) {
      const kind = kindOf(route)!;
      for (const who of whos) {
        if (who.session && route.url.startsWith('/api/') && route.method !== 'GET') continue;
        const foreign = await ask(route, ids[kind], who);
        const missing = await ask(route, MISSING[kind], who);
        const where = `${route.method} ${route.url} (${who.name})`;
        if (foreign.status !== missing.status || foreign.text !== missing.text) {
          differences.push(`${where}: foreign ${foreign.status} ${foreign.text.slice(0, 160)} ≠ missing ${missing.status} ${missing.text.slice(0, 160)}`);
        }
        if (foreign.text.includes(FOREIGN)) differences.push(`${where}: names ${FOREIGN}: ${foreign.text.slice(0, 200)}`);
        if (foreign.status < 400 && foreign.status !== 303) differences.push(`${where}: answered ${foreign.status}`);
      }
    }
    expect(differences).toEqual([]);
  });

  it("the foreign site's own engineer still reaches them (the ids are real)", async () => {
    const engineer = c.token('engineer', FOREIGN);
    for (const path of [`/api/v1/tickets/${ids.ticket}`, `/api/v1/maintenance/${ids.maintenance}`, `/api/v1/reports/${ids.report}`]) {
      expect((await c.request('GET', path, { token: engineer })).status, path).toBe(200);
    }
  });
});
