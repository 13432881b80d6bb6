import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import type { Inspection, InspectionForm, Report, Ticket } from '../../schemas/index.js';
import { realisticReport, runCollectorCli, startTestCollector, type TestCollector } from '../helpers/collector.js';

/*
 * Device identity through a real collector: an agent token speaks for one device. Each attack of
 * issue 10's first finding is a test here; on the code before it, every refusal below was a 201/200.
 */
let c: TestCollector;
const clock = new Date('2026-11-20T08:00:00.000Z');
const t = {} as Record<'engineer' | 'admin' | 'siteAdmin' | 'customer' | 'db01' | 'fresh', string>;
const month = '/api/v1/sites/bank-s/inspections/2026-11';

beforeAll(async () => {
  c = await startTestCollector({ snmp: { credentialKey: Buffer.alloc(32, 7).toString('base64'), pollerEnabled: false, concurrency: 1 } }, { now: () => clock });
  t.engineer = c.token('engineer', 'bank-s', 'laptop-li');
  t.admin = c.token('admin', null, 'root-admin');
  t.siteAdmin = c.token('admin', 'other-site', 'other-admin');
  t.customer = c.token('customer', 'bank-s', 'customer-s');
  t.db01 = c.token('agent', 'bank-s', 'agent-db01');
  t.fresh = c.token('agent', 'bank-s', 'agent-new');
});
afterAll(async () => c?.stop());

async function call<T = any>(method: string, url: string, token: string | undefined, body?: unknown) {
  const res = await c.request(method, url, { ...(token ? { token } : {}), body });
  return { status: res.status, body: (await res.json()) as T };
}
const at = (iso: string) => new Date(iso);

/** The core switch as the field CLI sees it: two PSUs, one failed (a P1 on a core device). */
function coreSwitch(id: string, psuFault: boolean, when = '2026-11-20T07:00:00.000Z'): Report {
  const r = realisticReport({ hostname: 'core-sw1', at: at(when), id, site: 'bank-s', psuFault });
  r.identity = { ...r.identity, kind: 'switch', role: 'core' };
  r.source = 'ssh';
  return r;
}
const form = (report: Report): InspectionForm => ({ report, results: evaluateReport(report, undefined, { lang: 'zh' }) });

describe('an agent token speaks for one device', () => {
  it('binds on first use (audited), and refuses reports and heartbeats for any other hostname with a 403 naming its device', async () => {
    const own = await call('POST', '/api/v1/reports', t.db01, realisticReport({ hostname: 'db01', at: at('2026-11-20T07:30:00.000Z') }));
    expect(own.status).toBe(201);
    const audit = await call<{ entries: { action: string; actor: string; detail: string }[] }>('GET', '/api/v1/sites/bank-s/audit', t.engineer);
    expect(audit.body.entries).toContainEqual(expect.objectContaining({ action: 'token.bind', actor: 'agent-db01', detail: 'bound to db01 on first use' }));

    const other = await call('POST', '/api/v1/reports', t.db01, realisticReport({ hostname: 'web07', at: at('2026-11-20T07:31:00.000Z') }));
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ error: 'wrong_device' });
    expect(other.body.message).toContain('is for device db01');
    // Not created at will: the refused hostname is not in the equipment record.
    expect((await call('GET', '/api/v1/sites/bank-s/devices/web07', t.engineer)).status).toBe(404);

    const beat = await call('POST', '/api/v1/heartbeat', t.db01, { agentId: 'a1', hostname: 'web07' });
    expect(beat.status).toBe(403);
    expect(beat.body.message).toContain('is for device db01');
    expect((await call('POST', '/api/v1/heartbeat', t.db01, { agentId: 'a1', hostname: 'db01' })).status).toBe(200);
    const metrics = await (await c.request('GET', '/metrics')).text();
    expect(metrics).toMatch(/^xunjian_reports_rejected_total\{reason="wrong_device"\} 1$/m);
  });

  it('the forged report: an agent token posting as the core switch is refused, and the record and tickets are unchanged', async () => {
    // The engineer's field inspection: the core switch with PSU 2 failed, uploaded as report and form.
    const field = coreSwitch('field-core-sw1-2026-11', true);
    expect((await call('POST', '/api/v1/reports', t.engineer, field)).status).toBe(201);
    expect((await call('POST', month, t.engineer, [form(field)])).status).toBe(201);
    const ticketsBefore = (await call<Ticket[]>('GET', '/api/v1/tickets?device=core-sw1', t.engineer)).body;
    expect(ticketsBefore).toHaveLength(1);
    expect(ticketsBefore[0]).toMatchObject({ priority: 'P1', recoveredAt: null });
    const recordBefore = (await call<Inspection>('GET', month, t.engineer)).body;
    expect(recordBefore.rows.find((r) => r.device === 'core-sw1' && r.check === 'SXKR-004')?.verdict).toBe('abnormal');

    // The attack, with the bound token and with a token that never reported: PSUs "ok", a later window.
    for (const token of [t.db01, t.fresh]) {
      const forged = coreSwitch(`forged-${token.slice(-6)}`, false, '2026-11-20T07:45:00.000Z');
      forged.source = 'agent';
      const res = await call('POST', '/api/v1/reports', token, forged);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/core-sw1/);
      const hb = await call('POST', '/api/v1/heartbeat', token, { agentId: 'x', hostname: 'core-sw1' });
      expect(hb.status).toBe(403);
    }
    expect((await call('GET', '/api/v1/reports/forged-' + t.db01.slice(-6), t.engineer)).status).toBe(404);
    const ticketsAfter = (await call<Ticket[]>('GET', '/api/v1/tickets?device=core-sw1', t.engineer)).body;
    expect(ticketsAfter).toEqual(ticketsBefore);
    const recordAfter = (await call<Inspection>('GET', month, t.engineer)).body;
    expect(recordAfter.rows).toEqual(recordBefore.rows);
    // The fresh token stayed unbound: the refused claim did not bind it to the switch.
    const tokens = (await call<{ tokens: { name: string; device: string | null }[] }>('GET', '/api/v1/tokens', t.admin)).body.tokens;
    expect(tokens.find((x) => x.name === 'agent-new')?.device).toBeNull();
  });

  it('engineer tokens report every device of their site; the poller (admin principal) what it polls', async () => {
    for (const host of ['db01', 'web07', 'core-sw1']) {
      const r = host === 'core-sw1' ? coreSwitch(`field-${host}-2`, true, '2026-11-20T07:50:00.000Z') : realisticReport({ hostname: host, at: at('2026-11-20T07:50:00.000Z') });
      expect((await call('POST', '/api/v1/reports', t.engineer, r)).status).toBe(201);
    }
  });

  it('re-binding is an admin action, audited: the API for a renamed server, refused to others', async () => {
    const list = (await call<{ tokens: { id: number; name: string; device: string | null }[] }>('GET', '/api/v1/tokens', t.admin)).body.tokens;
    const id = list.find((x) => x.name === 'agent-db01')!.id;
    expect((await call('PUT', `/api/v1/tokens/${id}/device`, t.engineer, { device: 'db01-new' })).status).toBe(403);
    expect((await call('PUT', `/api/v1/tokens/${id}/device`, t.siteAdmin, { device: 'db01-new' })).status).toBe(404);
    expect((await call('PUT', `/api/v1/tokens/${id}/device`, t.admin, { device: '../etc' })).status).toBe(400);
    const engineerId = list.find((x) => x.name === 'laptop-li')!.id;
    expect((await call('PUT', `/api/v1/tokens/${engineerId}/device`, t.admin, { device: 'x' })).body).toMatchObject({ error: 'not_an_agent_token' });
    const bound = await call('PUT', `/api/v1/tokens/${id}/device`, t.admin, { device: 'db01-new' });
    expect(bound.status).toBe(200);
    expect(bound.body).toMatchObject({ device: 'db01-new', previousDevice: 'db01' });
    expect((await call('POST', '/api/v1/reports', t.db01, realisticReport({ hostname: 'db01-new', at: at('2026-11-20T07:55:00.000Z') }))).status).toBe(201);
    const old = await call('POST', '/api/v1/reports', t.db01, realisticReport({ hostname: 'db01', at: at('2026-11-20T07:56:00.000Z') }));
    expect(old.status).toBe(403);
    expect(old.body.message).toContain('is for device db01-new');
    const audit = (await call<{ entries: { action: string; actor: string; subject: string; detail: string }[] }>('GET', '/api/v1/sites/bank-s/audit', t.engineer)).body.entries;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'token.bind', actor: 'root-admin', subject: `#${id}`, detail: 'db01 → db01-new (by an admin)' }));
  });

  it('a fresh agent token cannot claim a device another agent token is bound to', async () => {
    const res = await call('POST', '/api/v1/reports', t.fresh, realisticReport({ hostname: 'db01-new', at: at('2026-11-20T07:57:00.000Z') }));
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('another agent token');
  });
});

describe('the audit log', () => {
  type Entry = { action: string; actor: string; role: string; subject: string; detail: string };
  const entries = async () => (await call<{ entries: Entry[] }>('GET', '/api/v1/sites/bank-s/audit?limit=500', t.engineer)).body.entries;

  it('records every change of thresholds (device and site) and of SNMP targets, never a secret', async () => {
    const device = await call('PATCH', '/api/v1/sites/bank-s/devices/core-sw1', t.engineer, { thresholds: { 'SXKR-001': { avgMax: 65 } } });
    expect(device.status).toBe(200);
    const site = await call('PATCH', '/api/v1/sites/bank-s', t.engineer, { thresholds: { site: { 'SXKR-002': { usedMax: 85 } } } });
    expect(site.status, JSON.stringify(site.body)).toBe(200);
    const target = await call('POST', '/api/v1/sites/bank-s/snmp-targets', t.engineer, { host: '192.0.2.10', community: 's3cret-community', name: 'dist-sw1' });
    expect(target.status, JSON.stringify(target.body)).toBe(201);
    expect((await call('PATCH', `/api/v1/sites/bank-s/snmp-targets/${target.body.id}`, t.engineer, { community: 'n3w-secret', intervalS: 600 })).status).toBe(200);
    expect((await c.request('DELETE', `/api/v1/sites/bank-s/snmp-targets/${target.body.id}`, { token: t.engineer })).status).toBe(204);
    const log = await entries();
    expect(log).toContainEqual(expect.objectContaining({ action: 'device.update', actor: 'laptop-li', role: 'engineer', subject: 'core-sw1', detail: 'thresholds: {"SXKR-001":{"avgMax":65}}' }));
    expect(log).toContainEqual(expect.objectContaining({ action: 'site.update', subject: 'bank-s', detail: 'thresholds: {"site":{"SXKR-002":{"usedMax":85}}}' }));
    expect(log).toContainEqual(expect.objectContaining({ action: 'snmp-target.create', subject: `snmp-target #${target.body.id}` }));
    expect(log).toContainEqual(expect.objectContaining({ action: 'snmp-target.update', detail: 'community: (changed); intervalS: 600' }));
    expect(log).toContainEqual(expect.objectContaining({ action: 'snmp-target.delete', subject: `snmp-target #${target.body.id}` }));
    expect(JSON.stringify(log)).not.toMatch(/s3cret|n3w-secret/);
  });

  it('records a refused change nowhere', async () => {
    const before = (await entries()).length;
    expect((await call('PATCH', '/api/v1/sites/bank-s/devices/core-sw1', t.customer, { thresholds: {} })).status).toBe(403);
    expect((await entries()).length).toBe(before);
  });
});

describe('token commands', () => {
  it('token create --device binds at creation, token bind re-binds; both audited', async () => {
    const db = c.storageFlags;
    const created = await runCollectorCli(['token', 'create', '--site', 'bank-s', '--name', 'agent-app02', '--role', 'agent', '--device', 'app02', ...db]);
    expect(created.stderr).toContain('device app02');
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('device app02');
    const secret = created.stdout.trim();
    expect((await call('POST', '/api/v1/reports', secret, realisticReport({ hostname: 'app03', at: at('2026-11-20T07:58:00.000Z') }))).status).toBe(403);
    expect((await call('POST', '/api/v1/reports', secret, realisticReport({ hostname: 'app02', at: at('2026-11-20T07:58:00.000Z') }))).status).toBe(201);
    const badName = await runCollectorCli(['token', 'create', '--site', 'bank/s', '--name', 'x', '--role', 'agent', ...db]);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('--site must be a name');
    const listed = await runCollectorCli(['token', 'list', '--json', ...db]);
    const id = (JSON.parse(listed.stdout) as { id: number; name: string }[]).find((x) => x.name === 'agent-app02')!.id;
    const rebound = await runCollectorCli(['token', 'bind', String(id), '--device', 'app03', ...db]);
    expect(rebound.code).toBe(0);
    expect((await call('POST', '/api/v1/reports', secret, realisticReport({ hostname: 'app03', at: at('2026-11-20T07:59:00.000Z') }))).status).toBe(201);
    const audit = (await call<{ entries: { action: string; actor: string; detail: string }[] }>('GET', '/api/v1/sites/bank-s/audit?limit=500', t.engineer)).body.entries;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'token.create', actor: expect.stringMatching(/^cli/), detail: 'agent "agent-app02" for device app02' }));
    expect(audit).toContainEqual(expect.objectContaining({ action: 'token.bind', actor: expect.stringMatching(/^cli/), detail: 'app02 → app03 (by an admin)' }));
  });
});
