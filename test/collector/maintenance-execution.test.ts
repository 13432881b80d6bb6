import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, openDatabase } from '../../collector/index.js';
import { MaintenanceRepository } from '../../collector/maintenance/index.js';
import { AuditLog } from '../../collector/users/index.js';
import type { MaintenanceRequest, MaintenanceStatus, Report, Ticket } from '../../schemas/index.js';
import { realisticReport, startTestCollector, tempDir, type TestCollector } from '../helpers/collector.js';
import { sqliteStore } from '../../collector/storage/sqlite-store.js';

/**
 * The service plan's safeguards (5.3) and the execution of a maintenance request, through a real
 * collector on a real SQLite file, on the app's clock: the rollback plan and the second person are
 * required, and the request goes requested → approved → in progress → completed | rolled back —
 * every other step refused with a 4xx and a message, every step audited.
 */
let c: TestCollector;
let clock = new Date('2026-11-20T09:00:00.000Z');
const t0 = clock.getTime();
const at = (h: number) => new Date(t0 + h * 3_600_000);
const t = {} as Record<'engineer' | 'customer', string>;
const asAgent = (body: Report) => ({ token: c.agentFor('acme', body.identity.hostname), body });

beforeAll(async () => {
  c = await startTestCollector({}, { now: () => clock });
  t.engineer = c.token('engineer', 'acme', 'Zhang San');
  t.customer = c.token('customer', 'acme', 'Chen Jingli');
  for (const hostname of ['db01', 'db02', 'db03']) {
    expect((await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ hostname, at: at(0) })))).status).toBe(201);
  }
});
afterAll(async () => c?.stop());

async function call<T = any>(method: string, path: string, token: string, body?: unknown) {
  const res = await c.request(method, path, { token, body });
  return { status: res.status, body: (await res.json()) as T };
}

const filing = (extra: Record<string, unknown> = {}) => ({
  site: 'acme',
  purpose: 'Replace the RAID controller of db01',
  engineer: 'Zhang San',
  recorder: 'Li Si',
  steps: ['Back up the configuration', 'Power off and swap the controller', 'Power on and verify the arrays'],
  hardwareChanges: 'Smart Array P408i controller',
  softwareChanges: 'none',
  expectedDurationMinutes: 120,
  windowStart: at(30).toISOString(),
  windowEnd: at(34).toISOString(),
  devices: ['db01'],
  rollbackPlan: 'Refit the old controller (kept on site) and restore the configuration backup; the spare server takes over if the arrays do not come up within 60 min',
  customerRepresentative: 'Chen Jingli',
  removableMedia: 'virus-checked',
  ...extra,
});

const file = async (extra: Record<string, unknown> = {}) => {
  const r = await call<MaintenanceRequest>('POST', '/api/v1/maintenance', t.engineer, filing(extra));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
};

describe('the plan\'s safeguards when filing', () => {
  it('refuses a request without a rollback plan, a customer representative or the media attestation, naming the field', async () => {
    for (const field of ['rollbackPlan', 'customerRepresentative', 'removableMedia', 'recorder']) {
      const body: Record<string, unknown> = filing();
      delete body[field];
      const r = await call('POST', '/api/v1/maintenance', t.engineer, body);
      expect(r.status).toBe(400);
      expect(r.body.message).toContain(field);
    }
    const blank = await call('POST', '/api/v1/maintenance', t.engineer, filing({ rollbackPlan: '' }));
    expect(blank.status).toBe(400);
    expect(blank.body.message).toContain('/body/rollbackPlan');
    const media = await call('POST', '/api/v1/maintenance', t.engineer, filing({ removableMedia: 'probably fine' }));
    expect(media.status).toBe(400);
  });

  it('the recorder is a second person: the engineer under any spelling is a 400 with the reason', async () => {
    for (const recorder of ['Zhang San', '  zhang   SAN ', 'Ｚｈａｎｇ Ｓａｎ']) {
      const r = await call('POST', '/api/v1/maintenance', t.engineer, filing({ recorder }));
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({
        error: 'same_person',
        message: 'the recorder must be a second person present, not the engineer (Zhang San) himself: one operates, one records (service plan 5.3)',
      });
    }
    const id = await file();
    const patched = await call('PATCH', `/api/v1/maintenance/${id}`, t.engineer, { engineer: 'Li Si' });
    expect(patched.status).toBe(400);
    expect(patched.body.error).toBe('same_person');
    expect((await call<MaintenanceRequest>('GET', `/api/v1/maintenance/${id}`, t.customer)).body).toMatchObject({
      engineer: 'Zhang San', recorder: 'Li Si', customerRepresentative: 'Chen Jingli', removableMedia: 'virus-checked',
      rollbackPlan: expect.stringContaining('Refit the old controller'), status: 'requested', actualStart: null, workDone: null,
    });
    expect((await call('POST', `/api/v1/maintenance/${id}/cancel`, t.engineer, {})).status).toBe(200);
  });
});

type Step = 'approve' | 'reject' | 'cancel' | 'start' | 'complete' | 'rollback';
const STEPS: Step[] = ['approve', 'reject', 'cancel', 'start', 'complete', 'rollback'];
const ALLOWED: Record<MaintenanceStatus, Step[]> = {
  requested: ['approve', 'reject', 'cancel'],
  approved: ['cancel', 'start'],
  in_progress: ['complete', 'rollback'],
  rejected: [],
  cancelled: [],
  completed: [],
  rolled_back: [],
};
/** Each step by the role that may take it, with a valid body: a refusal can then only be the status. */
const take = (id: number, step: Step) =>
  call('POST', `/api/v1/maintenance/${id}/${step}`, step === 'approve' || step === 'reject' ? t.customer : t.engineer,
    step === 'reject' ? { note: 'not in the month-end close' } : step === 'complete' || step === 'rollback' ? { workDone: 'swapped the controller', outcome: 'arrays optimal' } : {});

describe('the state machine, on the app\'s clock', () => {
  const ids = {} as Record<MaintenanceStatus, number>;

  it('brings one request into every status', async () => {
    clock = at(1);
    ids.requested = await file();
    ids.approved = await file({ devices: ['db02'] });
    ids.rejected = await file();
    ids.cancelled = await file();
    ids.in_progress = await file({ devices: ['db03'] });
    ids.completed = await file();
    ids.rolled_back = await file();
    for (const s of ['approved', 'in_progress', 'completed', 'rolled_back'] as const) expect((await take(ids[s], 'approve')).status).toBe(200);
    expect((await take(ids.rejected, 'reject')).body.status).toBe('rejected');
    expect((await take(ids.cancelled, 'cancel')).body.status).toBe('cancelled');

    // Approved, but its window has not opened: starting is refused.
    const early = await take(ids.in_progress, 'start');
    expect(early).toMatchObject({ status: 409, body: { message: `maintenance request ${ids.in_progress} cannot start before its approved window opens at ${at(30).toISOString()}` } });

    clock = at(30.5);
    for (const s of ['in_progress', 'completed', 'rolled_back'] as const) expect((await take(ids[s], 'start')).body).toMatchObject({ status: 'in_progress', startedBy: 'Zhang San', actualStart: at(30.5).toISOString() });
    clock = at(31.5);
    expect((await take(ids.completed, 'complete')).body).toMatchObject({ status: 'completed', finishedBy: 'Zhang San', actualEnd: at(31.5).toISOString(), workDone: 'swapped the controller', outcome: 'arrays optimal' });
    expect((await take(ids.rolled_back, 'rollback')).body.status).toBe('rolled_back');
    for (const s of Object.keys(ids) as MaintenanceStatus[]) expect((await call<MaintenanceRequest>('GET', `/api/v1/maintenance/${ids[s]}`, t.engineer)).body.status).toBe(s);
  });

  it.each(Object.entries(ALLOWED).flatMap(([status, allowed]) => STEPS.filter((s) => !allowed.includes(s)).map((step) => ({ status: status as MaintenanceStatus, step }))))(
    'refuses $step of a $status request with a 409 and a message, changing nothing',
    async ({ status, step }) => {
      const before = (await call<MaintenanceRequest>('GET', `/api/v1/maintenance/${ids[status]}`, t.engineer)).body;
      const r = await take(ids[status], step);
      expect(r.status).toBe(409);
      expect(r.body.message).toBe(`cannot ${step} maintenance request ${ids[status]}: it is ${status}, and ${step} needs it ${
        { approve: 'requested', reject: 'requested', cancel: 'requested or approved', start: 'approved', complete: 'in_progress', rollback: 'in_progress' }[step]
      }`);
      expect((await call<MaintenanceRequest>('GET', `/api/v1/maintenance/${ids[status]}`, t.engineer)).body).toEqual(before);
    },
  );

  it('refuses the wrong role, a rejection without a reason, times in the future and an end before the start', async () => {
    expect((await call('POST', `/api/v1/maintenance/${ids.approved}/start`, t.customer, {})).status).toBe(403);
    expect((await call('POST', `/api/v1/maintenance/${ids.in_progress}/complete`, t.customer, { workDone: 'x', outcome: 'y' })).status).toBe(403);
    expect((await call('POST', `/api/v1/maintenance/${ids.requested}/approve`, t.engineer, {})).status).toBe(403);
    const noReason = await call('POST', `/api/v1/maintenance/${ids.requested}/reject`, t.customer, {});
    expect(noReason).toMatchObject({ status: 400, body: { error: 'note_required', message: 'a rejection needs a note saying why' } });
    const future = await call('POST', `/api/v1/maintenance/${ids.approved}/start`, t.engineer, { actualStart: at(32).toISOString() });
    expect(future).toMatchObject({ status: 400, body: { message: `actualStart (${at(32).toISOString()}) is in the future; record it when it has happened` } });
    const backwards = await call('POST', `/api/v1/maintenance/${ids.in_progress}/complete`, t.engineer, { workDone: 'x', outcome: 'y', actualEnd: at(30).toISOString() });
    expect(backwards).toMatchObject({ status: 400, body: { message: `actualEnd (${at(30).toISOString()}) must not be before the work started (${at(30.5).toISOString()})` } });
    const noOutcome = await call('POST', `/api/v1/maintenance/${ids.in_progress}/complete`, t.engineer, { workDone: 'x' });
    expect(noOutcome.status).toBe(400);
    expect(noOutcome.body.message).toContain('outcome');
    expect((await call<MaintenanceRequest>('GET', `/api/v1/maintenance/${ids.in_progress}`, t.engineer)).body.status).toBe('in_progress');
  });

  it('holds tickets back while approved and in progress, and no longer once the work has ended', async () => {
    clock = at(31.75);
    for (const hostname of ['db02', 'db03']) {
      expect((await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ hostname, psuFault: true, at: clock })))).status).toBe(201);
    }
    expect((await call<Ticket[]>('GET', '/api/v1/tickets?site=acme', t.engineer)).body).toEqual([]);
    // db03's work ends (early, inside the window): a fault after its end is a real fault.
    clock = at(32);
    expect((await take(ids.in_progress, 'complete')).body.status).toBe('completed');
    clock = at(32.25);
    await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ hostname: 'db03', psuFault: true, at: clock })));
    await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ hostname: 'db02', psuFault: true, at: clock })));
    expect((await call<Ticket[]>('GET', '/api/v1/tickets?site=acme', t.engineer)).body.map((x) => x.device)).toEqual(['db03']);
  });

  it('audits every step with who took it', async () => {
    const log = (await new AuditLog(c.store).forSite('acme', 500)).filter((e) => e.subject === `#${ids.completed}`).map((e) => `${e.actor}:${e.action}`);
    expect(log.sort()).toEqual(['Chen Jingli:maintenance.approve', 'Zhang San:maintenance.complete', 'Zhang San:maintenance.request', 'Zhang San:maintenance.start']);
    const rejected = (await new AuditLog(c.store).forSite('acme', 500)).find((e) => e.subject === `#${ids.rejected}` && e.action === 'maintenance.reject');
    expect(rejected?.detail).toBe('not in the month-end close');
  });
});

describe('the half-yearly maintenance summary', () => {
  it('counts every request the customer approved, whatever became of its work', async () => {
    const doc = (await call('GET', '/api/v1/sites/acme/reports/summary?half=2026-H2&format=json', t.engineer)).body;
    const facts = doc.facts as { key: string; value: string }[];
    // approved, in progress → completed, completed, rolled back; not the requested, rejected or cancelled ones
    expect(facts.find((f) => f.key === 'maintenance')?.value).toBe('4');
  });
});

describe('requests filed before migration 65', () => {
  it('keep their window, devices and decision, with the new fields empty', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'old.db'), { migrate: false });
    try {
      migrate(db, MIGRATIONS.filter((m) => m.version < 65));
      db.prepare(
        `INSERT INTO maintenance_requests (id, site, purpose, engineer, recorder, steps, hardware_changes, software_changes, expected_duration_min,
           window_start, window_end, emergency, status, requested_by, requested_at, decided_by, decided_at, decision_note)
         VALUES (7, 'acme', 'old change', 'Wang', NULL, '["do it"]', '', '', 60, ?, ?, 0, 'approved', 'Wang', ?, 'Chen', ?, NULL)`,
      ).run(at(30).getTime(), at(31).getTime(), t0, t0);
      db.prepare("INSERT INTO maintenance_devices VALUES (7, 'acme', 'db01')").run();
      expect(migrate(db)).toContain(65);
      const repo = new MaintenanceRepository(sqliteStore(db));
      expect(await repo.get(7)).toMatchObject({ purpose: 'old change', status: 'approved', devices: ['db01'], recorder: null, rollbackPlan: null, removableMedia: null, actualStart: null });
      expect(await repo.covering('acme', 'db01', at(30.5).getTime())).toBe(7);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });
});
