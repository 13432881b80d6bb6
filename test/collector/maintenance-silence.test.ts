import type { Report } from '../../schemas/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../schemas/index.js';
import { detectSilence } from '../../collector/tickets/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/** Reports go in with the agent token of their own device (an agent token speaks for one device). */
const asAgent = (body: Report) => ({ token: c.agentFor(body.site ?? 'acme', body.identity.hostname), body });

/**
 * A device switched off inside an approved maintenance window is silent on purpose: no `down`
 * ticket while the window lasts. If it is still silent when the window has ended, the maintenance
 * went wrong and the `down` ticket opens then — the window postpones the ticket, it does not
 * cancel it. The silence scan runs against the real database at the test's `now`.
 */
let c: TestCollector;
let clock = new Date('2026-11-20T09:00:00.000Z');
const t0 = clock.getTime();
const at = (hours: number) => new Date(t0 + hours * 3_600_000);
const t = {} as Record<'agent' | 'engineer' | 'customer', string>;

beforeAll(async () => {
  c = await startTestCollector({}, { now: () => clock });
  t.agent = c.token('agent', 'acme');
  t.engineer = c.token('engineer', 'acme', 'Zhang San');
  t.customer = c.token('customer', 'acme', 'Customer rep');
});
afterAll(async () => c?.stop());

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await c.request(method, path, { token, body });
  return { status: res.status, body: await res.json() };
}
const downTickets = async (device: string): Promise<Ticket[]> =>
  ((await call('GET', `/api/v1/tickets?device=${device}`, t.engineer)).body as Ticket[]).filter((x) => x.subject === 'down');

async function reportAt(hostname: string, when: Date) {
  clock = when;
  const res = await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ hostname, at: when })));
  expect(res.status).toBe(201);
}

describe('silence inside a maintenance window', () => {
  it('sets up two watched servers and an approved window for one of them, 48–50 h ahead', async () => {
    for (const host of ['db01', 'db02']) {
      await reportAt(host, at(0));
      expect((await call('PUT', `/api/v1/sites/acme/devices/${host}/silence`, t.engineer, { expectedIntervalSeconds: 300 })).status).toBe(200);
    }
    const filed = await call('POST', '/api/v1/maintenance', t.engineer, {
      site: 'acme', purpose: 'Replace the RAID controller', engineer: 'Zhang San', recorder: 'Li Si', rollbackPlan: 'restore the configuration backup', customerRepresentative: 'Chen Jingli', removableMedia: 'none', steps: ['Power off', 'Swap the controller', 'Power on'],
      expectedDurationMinutes: 120, windowStart: at(48).toISOString(), windowEnd: at(50).toISOString(), devices: ['db01'],
    });
    expect(filed.status).toBe(201);
    expect((await call('POST', `/api/v1/maintenance/${filed.body.id}/approve`, t.customer)).status).toBe(200);
    // Both report until the window opens.
    for (const host of ['db01', 'db02']) await reportAt(host, at(48));
  });

  it('a device silent inside its window opens no ticket; one outside the window does', async () => {
    const changes = (await detectSilence(c.store, at(49)));
    expect(changes).toEqual([
      { site: 'acme', hostname: 'db01', state: 'down', ticket: { action: 'suppressed', maintenanceId: expect.any(Number) } },
      { site: 'acme', hostname: 'db02', state: 'down', ticket: { action: 'opened', ticketId: expect.any(Number) } },
    ]);
    expect(await downTickets('db01')).toEqual([]);
    expect(await downTickets('db02')).toHaveLength(1);
    // Later scans inside the window stay quiet.
    expect((await detectSilence(c.store, at(49.5)))).toEqual([]);
  });

  it('still silent after the window has ended: the down ticket opens then', async () => {
    const changes = (await detectSilence(c.store, at(50.25)));
    expect(changes).toEqual([{ site: 'acme', hostname: 'db01', state: 'down', ticket: { action: 'opened', ticketId: expect.any(Number) } }]);
    const [ticket] = await downTickets('db01');
    expect(ticket).toMatchObject({ subject: 'down', status: 'open', priority: 'P2', openedAt: at(50.25).toISOString() });
    // One ticket, however often the scan runs.
    expect((await detectSilence(c.store, at(51)))).toEqual([]);
    expect(await downTickets('db01')).toHaveLength(1);
  });

  it('a person closing the down ticket of a device still silent is not overruled by the next scan', async () => {
    const [ticket] = await downTickets('db02');
    for (const step of ['respond', 'on-site', 'resolve']) expect((await call('POST', `/api/v1/tickets/${ticket!.id}/${step}`, t.engineer)).status).toBe(200);
    expect((await call('POST', `/api/v1/tickets/${ticket!.id}/confirm`, t.customer)).status).toBe(200);
    expect((await call('POST', `/api/v1/tickets/${ticket!.id}/close`, t.engineer)).status).toBe(200);
    expect((await detectSilence(c.store, at(52)))).toEqual([]);
    expect((await downTickets('db02')).map((x) => x.status)).toEqual(['closed']);
  });

  it('a device back inside its window shows nothing to recover', async () => {
    await reportAt('db03', at(52));
    expect((await call('PUT', '/api/v1/sites/acme/devices/db03/silence', t.engineer, { expectedIntervalSeconds: 300 })).status).toBe(200);
    const filed = await call('POST', '/api/v1/maintenance', t.engineer, {
      site: 'acme', purpose: 'Reboot after patching', engineer: 'Zhang San', recorder: 'Li Si', rollbackPlan: 'boot the previous kernel', customerRepresentative: 'Chen Jingli', removableMedia: 'none', steps: ['Reboot'], emergency: true,
      expectedDurationMinutes: 60, windowStart: at(52).toISOString(), windowEnd: at(54).toISOString(), devices: ['db03'],
    });
    expect((await call('POST', `/api/v1/maintenance/${filed.body.id}/approve`, t.customer)).status).toBe(200);
    expect((await detectSilence(c.store, at(53))).map((x) => [x.hostname, x.ticket?.action])).toEqual([['db03', 'suppressed']]);
    await reportAt('db03', at(53.5));
    expect((await detectSilence(c.store, at(53.6)))).toEqual([]);
    expect(await downTickets('db03')).toEqual([]);
  });
});
