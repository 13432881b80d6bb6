import type { Report } from '../../schemas/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import type { Inspection, InspectionForm } from '../../schemas/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/** Reports go in with the agent token of their own device (an agent token speaks for one device). */
const asAgent = (body: Report) => ({ token: c.agentFor(body.site ?? 'acme', body.identity.hostname), body });

/** The monthly inspection record through a real collector: assembly, upload, sign, confirm, lock, amend. */
let c: TestCollector;
let clock = new Date('2026-11-05T08:00:00.000Z');
const t = {} as Record<'agent' | 'engineer' | 'customer' | 'admin' | 'otherEngineer', string>;
const path = '/api/v1/sites/acme/inspections/2026-11';

beforeAll(async () => {
  c = await startTestCollector({}, { now: () => clock });
  t.agent = c.token('agent', 'acme');
  t.engineer = c.token('engineer', 'acme', 'Zhang San');
  t.customer = c.token('customer', 'acme', 'Customer rep');
  t.admin = c.token('admin', null);
  t.otherEngineer = c.token('engineer', 'other');
});
afterAll(async () => c?.stop());

async function call<T = any>(method: string, url: string, token: string, body?: unknown) {
  const res = await c.request(method, url, { token, body });
  return { status: res.status, body: (await res.json()) as T };
}
async function send(hostname: string, at: string, extra: Parameters<typeof realisticReport>[0] = {}) {
  const res = await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ hostname, at: new Date(at), ...extra })));
  expect(res.status).toBe(201);
}
function fieldForm(hostname: string, at: string, id: string, kind: 'server' | 'switch' = 'server'): InspectionForm {
  const report = realisticReport({ hostname, at: new Date(at), id, site: 'acme' });
  report.identity.kind = kind;
  report.source = 'ssh';
  return { report, results: evaluateReport(report, undefined, { lang: 'zh' }) };
}
const row = (i: Inspection, device: string, check: string) => i.rows.find((r) => r.device === device && r.check === check)!;

describe('monthly inspection records', () => {
  it('assembles the latest result of every device × check in the month', async () => {
    await send('db01', '2026-10-31T15:59:00.000Z', { cpuAvg: 60 }); // 23:59 on 31 October China time: not in November's record
    await send('db01', '2026-11-02T10:00:00.000Z', { cpuAvg: 60 });
    await send('db01', '2026-11-03T10:00:00.000Z', { psuFault: true });
    await send('web01', '2026-11-03T11:00:00.000Z', { logGap: true });
    const { status, body } = await call<Inspection>('GET', path, t.engineer);
    expect(status).toBe(200);
    // The draft is the engineer's until signed (issue 15): the customer gets a 404, not the rows.
    expect((await call('GET', path, t.customer)).status).toBe(404);
    expect(body).toMatchObject({ site: 'acme', month: '2026-11', revision: 1, status: 'draft', locked: false, notes: '' });
    expect(body.rows).toHaveLength(12);
    expect(row(body, 'db01', 'SXKR-001')).toMatchObject({ verdict: 'normal', origin: 'report', evaluatedAt: '2026-11-03T10:00:00.000Z' });
    expect(row(body, 'db01', 'SXKR-004')).toMatchObject({ verdict: 'abnormal', commands: ['ipmitool sdr type "Power Supply"', 'ipmitool sdr type Fan'] });
    expect(row(body, 'db01', 'SXKR-004').actual).toContain('PSU 2');
    expect(row(body, 'web01', 'SXKR-006')).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('permission denied') });
    const october = await call<Inspection>('GET', '/api/v1/sites/acme/inspections/2026-10', t.engineer);
    expect(october.body.rows).toHaveLength(6); // web01 was not on record in October
    expect(row(october.body, 'db01', 'SXKR-001').verdict).toBe('abnormal');
    expect((await call('GET', '/api/v1/sites/acme/inspections/2026-13', t.customer)).status).toBe(400);
    expect((await call('GET', '/api/v1/sites/acme/inspections/2026-13', t.engineer)).status).toBe(400);
    expect((await call('GET', path, t.otherEngineer)).status).toBe(403);
  });

  it('takes uploaded field inspections once per report id, beside the received reports', async () => {
    const forms = [fieldForm('sw-access1', '2026-11-04T09:00:00.000Z', 'field-sw-access1-2026-11', 'switch'), fieldForm('db01', '2026-11-04T09:30:00.000Z', 'field-db01-2026-11')];
    let r = await call('POST', path, t.engineer, forms);
    expect(r).toEqual({ status: 201, body: { accepted: ['field-sw-access1-2026-11', 'field-db01-2026-11'], duplicates: [] } });
    r = await call('POST', path, t.engineer, forms);
    expect(r).toEqual({ status: 200, body: { accepted: [], duplicates: ['field-sw-access1-2026-11', 'field-db01-2026-11'] } });
    const i = (await call<Inspection>('GET', path, t.engineer)).body;
    expect(i.rows).toHaveLength(18);
    expect(row(i, 'sw-access1', 'SXKR-002')).toMatchObject({ origin: 'field', reportId: 'field-sw-access1-2026-11', deviceKind: 'switch' });
    // The field inspection of db01 (09:30 on the 4th) is later than its last report (the 3rd): it wins.
    expect(row(i, 'db01', 'SXKR-004')).toMatchObject({ origin: 'field', verdict: 'normal' });

    const wrongMonth = await call('POST', path, t.engineer, [fieldForm('db09', '2026-12-01T00:00:00.000Z', 'field-db09-2026-12')]);
    expect(wrongMonth.status).toBe(400);
    expect(wrongMonth.body.message).toContain('/body/0/report/window/end: 2026-12-01T00:00:00.000Z is in 2026-12, not 2026-11');
    const bad = await call('POST', path, t.engineer, [{ report: { id: 'x' }, results: [] }]);
    expect(bad.status).toBe(400);
    expect((await call('POST', path, t.customer, forms)).status).toBe(403);
  });

  it('keeps the engineer notes on the draft', async () => {
    const r = await call<Inspection>('PUT', `${path}/notes`, t.engineer, { notes: 'db01 PSU 2 replaced on 11-04; advise a firmware upgrade.' });
    expect(r.status).toBe(200);
    expect(r.body.notes).toBe('db01 PSU 2 replaced on 11-04; advise a firmware upgrade.');
  });

  it('is signed by the engineer, which freezes its rows, then confirmed only by the customer', async () => {
    expect((await call('POST', `${path}/confirm`, t.customer)).status).toBe(409);
    clock = new Date('2026-11-30T17:00:00.000Z');
    const signed = await call<Inspection>('POST', `${path}/sign`, t.engineer);
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', signedBy: 'Zhang San', signedAt: '2026-11-30T17:00:00.000Z', locked: false });

    // A report arriving after the sign-off does not change the signed rows.
    await send('db01', '2026-11-30T15:30:00.000Z', { cpuAvg: 60 }); // 23:30 on 30 November China time: still November
    expect(row((await call<Inspection>('GET', path, t.customer)).body, 'db01', 'SXKR-001').verdict).toBe('normal');
    const notes = await call('PUT', `${path}/notes`, t.engineer, { notes: 'late change' });
    expect(notes.status).toBe(409);
    expect(notes.body.message).toContain('signed and awaits the customer');

    expect((await call('POST', `${path}/confirm`, t.engineer)).status).toBe(403);
    expect((await call('POST', `${path}/confirm`, t.admin)).status).toBe(403);
    clock = new Date('2026-12-01T09:00:00.000Z');
    const confirmed = await call<Inspection>('POST', `${path}/confirm`, t.customer);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', confirmedBy: 'Customer rep', confirmedAt: '2026-12-01T09:00:00.000Z', locked: true });
  });

  it('is locked after confirmation: every change is a 409', async () => {
    const attempts = [
      await call('PUT', `${path}/notes`, t.engineer, { notes: 'x' }),
      await call('POST', `${path}/sign`, t.engineer),
      await call('POST', `${path}/confirm`, t.customer),
      await call('POST', path, t.engineer, [fieldForm('db05', '2026-11-20T09:00:00.000Z', 'field-db05-2026-11')]),
    ];
    expect(attempts.map((a) => a.status)).toEqual([409, 409, 409, 409]);
    expect(attempts[0]!.body.message).toContain('revision 1 of acme 2026-11 is confirmed and locked; amend it to start revision 2');
    // Resending what is already stored is still acknowledged.
    expect((await call('POST', path, t.engineer, [fieldForm('sw-access1', '2026-11-04T09:00:00.000Z', 'field-sw-access1-2026-11', 'switch')])).status).toBe(200);
  });

  it('an amendment is revision 2, a draft with the notes carried over; revision 1 stays as confirmed', async () => {
    const amended = await call<Inspection>('POST', `${path}/amend`, t.engineer, { reason: 'CPU result of 11-30 was missed' });
    expect(amended.status).toBe(201);
    expect(amended.body).toMatchObject({
      revision: 2, status: 'draft', locked: false, amendmentReason: 'CPU result of 11-30 was missed',
      notes: 'db01 PSU 2 replaced on 11-04; advise a firmware upgrade.',
    });
    expect(row(amended.body, 'db01', 'SXKR-001').verdict).toBe('abnormal');
    expect(amended.body.revisions).toEqual([
      { revision: 1, status: 'confirmed', confirmedAt: '2026-12-01T09:00:00.000Z' },
      { revision: 2, status: 'draft', confirmedAt: null },
    ]);
    expect((await call('POST', `${path}/amend`, t.engineer, { reason: 'again' })).status).toBe(409);
    const first = await call<Inspection>('GET', `${path}?revision=1`, t.customer);
    expect(first.body).toMatchObject({ revision: 1, status: 'confirmed', locked: true });
    expect(row(first.body, 'db01', 'SXKR-001').verdict).toBe('normal');
    expect((await call('GET', `${path}?revision=7`, t.customer)).status).toBe(404);
    const months = await call('GET', '/api/v1/sites/acme/inspections', t.customer);
    expect(months.body).toEqual([{ month: '2026-11', revision: 2, status: 'draft' }]);
  });
});
