import type {
  MaintenanceQuery,
  MaintenanceRequest,
  MaintenanceRequestInput,
  MaintenanceRequestPatch,
  MaintenanceStatus,
} from '../../schemas/index.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { Param, Store } from '../storage/store.js';
import { assertRequestable, assertStep, assertTwoPeople, MAINTENANCE_STEPS } from './rules.js';

const noRequest = (id: number) => notFound(`no maintenance request ${id}`);

interface RawRequest {
  id: number;
  site: string;
  purpose: string;
  engineer: string;
  recorder: string | null;
  steps: string;
  hardware_changes: string;
  software_changes: string;
  expected_duration_min: number;
  window_start: number;
  window_end: number;
  emergency: number;
  status: MaintenanceStatus;
  requested_by: string;
  requested_at: number;
  decided_by: string | null;
  decided_at: number | null;
  decision_note: string | null;
  rollback_plan: string | null;
  customer_representative: string | null;
  removable_media: 'none' | 'virus-checked' | null;
  started_by: string | null;
  actual_start: number | null;
  finished_by: string | null;
  actual_end: number | null;
  work_done: string | null;
  outcome: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** Maintenance requests and the question tickets ask: is this device in an approved window now? */
export class MaintenanceRepository {
  private readonly s: {
    byId: string;
    devices: string;
    covering: string;
    insert: string;
    addDevice: string;
    clearDevices: string;
    decide: string;
    start: string;
    finish: string;
  };

  constructor(private readonly store: Store) {
    this.s = {
      byId: 'SELECT * FROM maintenance_requests WHERE id = ?',
      devices: 'SELECT hostname FROM maintenance_devices WHERE request_id = ? ORDER BY hostname',
      covering: `SELECT r.id FROM maintenance_devices m JOIN maintenance_requests r ON r.id = m.request_id
         WHERE m.site = ? AND m.hostname = ? AND r.window_start <= ? AND r.window_end >= ?
           AND (r.status IN ('approved', 'in_progress') OR (r.status IN ('completed', 'rolled_back') AND r.actual_end >= ?))
         LIMIT 1`,
      insert: `INSERT INTO maintenance_requests (site, purpose, engineer, recorder, steps, hardware_changes, software_changes,
           expected_duration_min, window_start, window_end, emergency, status, requested_by, requested_at,
           rollback_plan, customer_representative, removable_media)
         VALUES (@site, @purpose, @engineer, @recorder, @steps, @hardwareChanges, @softwareChanges,
           @expectedDurationMinutes, @windowStart, @windowEnd, @emergency, 'requested', @by, @now,
           @rollbackPlan, @customerRepresentative, @removableMedia)
         RETURNING id`,
      addDevice: 'INSERT INTO maintenance_devices (request_id, site, hostname) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      clearDevices: 'DELETE FROM maintenance_devices WHERE request_id = ?',
      decide: 'UPDATE maintenance_requests SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?',
      start: "UPDATE maintenance_requests SET status = 'in_progress', started_by = ?, actual_start = ? WHERE id = ?",
      finish: 'UPDATE maintenance_requests SET status = ?, finished_by = ?, actual_end = ?, work_done = ?, outcome = ? WHERE id = ?',
    };
  }

  /** The approved request whose window covers the device at `at`, if any. */
  async covering(site: string, hostname: string, at: number): Promise<number | undefined> {
    return (await this.store.get<{ id: number }>(this.s.covering, [site, hostname, at, at, at]))?.id;
  }

  /** Files a request; 400 when it is asked < 24 h ahead without being an emergency, or one person would be both engineer and recorder. */
  async create(input: MaintenanceRequestInput, by: string, now: Date): Promise<MaintenanceRequest> {
    assertRequestable(input, now);
    assertTwoPeople(input);
    return this.store.transaction(async () => {
      const { id } = (await this.store.get<{ id: number }>(this.s.insert, {
        site: input.site,
        purpose: input.purpose,
        engineer: input.engineer,
        recorder: input.recorder,
        rollbackPlan: input.rollbackPlan,
        customerRepresentative: input.customerRepresentative,
        removableMedia: input.removableMedia,
        steps: JSON.stringify(input.steps),
        hardwareChanges: input.hardwareChanges ?? '',
        softwareChanges: input.softwareChanges ?? '',
        expectedDurationMinutes: input.expectedDurationMinutes,
        windowStart: Date.parse(input.windowStart),
        windowEnd: Date.parse(input.windowEnd),
        emergency: input.emergency ? 1 : 0,
        by,
        now: now.getTime(),
      }))!;
      for (const d of input.devices) (await this.store.run(this.s.addDevice, [id, input.site, d]));
      return this.get(id);
    });
  }

  /** Changes a request still awaiting approval (409 once decided); the 24 h rule applies again. */
  async update(id: number, patch: MaintenanceRequestPatch, now: Date): Promise<MaintenanceRequest> {
    return this.store.transaction(async () => {
      const current = await this.get(id);
      if (current.status !== 'requested') throw conflict(`maintenance request ${id} is ${current.status}; file a new request`, { key: 'maintenanceDecided', args: { status: current.status } });
      const merged = { ...current, ...patch, emergency: patch.emergency ?? current.emergency };
      assertRequestable(merged, now);
      // A request filed before the safeguards (no rollback plan, no recorder) must gain them to change.
      const missing = (['recorder', 'rollbackPlan', 'customerRepresentative', 'removableMedia'] as const).filter((k) => !merged[k]);
      if (missing.length) throw badRequest('missing_safeguards', `maintenance request ${id} needs ${missing.join(', ')} (service plan 5.3)`, { key: 'missingSafeguards', args: { fields: missing } });
      assertTwoPeople({ engineer: merged.engineer, recorder: merged.recorder! });
      (await this.store.run(`UPDATE maintenance_requests SET purpose = ?, engineer = ?, recorder = ?, steps = ?, hardware_changes = ?,
             software_changes = ?, expected_duration_min = ?, window_start = ?, window_end = ?, emergency = ?,
             rollback_plan = ?, customer_representative = ?, removable_media = ? WHERE id = ?`, [merged.purpose,
          merged.engineer,
          merged.recorder ?? null,
          JSON.stringify(merged.steps),
          merged.hardwareChanges,
          merged.softwareChanges,
          merged.expectedDurationMinutes,
          Date.parse(merged.windowStart),
          Date.parse(merged.windowEnd),
          merged.emergency ? 1 : 0,
          merged.rollbackPlan,
          merged.customerRepresentative,
          merged.removableMedia,
          id,]));
      if (patch.devices) {
        (await this.store.run(this.s.clearDevices, [id]));
        for (const d of patch.devices) (await this.store.run(this.s.addDevice, [id, current.site, d]));
      }
      return this.get(id);
    });
  }

  /** approve / reject (the customer) from `requested`, or cancel (the requester) before the work starts; 409 from any other status. */
  async decide(id: number, step: 'approve' | 'reject' | 'cancel', by: string, now: Date, note?: string): Promise<MaintenanceRequest> {
    return this.store.transaction(async () => {
      const current = await this.get(id);
      assertStep(id, current.status, step);
      if (step === 'approve' && Date.parse(current.windowEnd) < now.getTime()) {
        throw conflict(`maintenance request ${id}: its window ended at ${current.windowEnd}`, { key: 'windowEnded', args: {} });
      }
      (await this.store.run(this.s.decide, [MAINTENANCE_STEPS[step].to, by, now.getTime(), note ?? null, id]));
      return this.get(id);
    });
  }

  /**
   * The approved work begins, at `at` (≤ now): 409 unless approved and `at` lies in the window the
   * customer approved — work outside it was never agreed.
   */
  async start(id: number, by: string, at: number): Promise<MaintenanceRequest> {
    return this.store.transaction(async () => {
      const current = await this.get(id);
      assertStep(id, current.status, 'start');
      if (at < Date.parse(current.windowStart)) throw conflict(`maintenance request ${id} cannot start before its approved window opens at ${current.windowStart}`, { key: 'windowNotOpen', args: {} });
      if (at > Date.parse(current.windowEnd)) throw conflict(`maintenance request ${id}: its approved window ended at ${current.windowEnd}; file a new request`, { key: 'windowEnded', args: {} });
      (await this.store.run(this.s.start, [by, at, id]));
      return this.get(id);
    });
  }

  /** The work ends — completed or rolled back — at `at` (not before it started), with what was done and the outcome. */
  async finish(id: number, step: 'complete' | 'rollback', by: string, at: number, workDone: string, outcome: string): Promise<MaintenanceRequest> {
    return this.store.transaction(async () => {
      const current = await this.get(id);
      assertStep(id, current.status, step);
      if (current.actualStart && at < Date.parse(current.actualStart)) {
        throw badRequest('bad_actual_end', `actualEnd (${iso(at)}) must not be before the work started (${current.actualStart})`, { key: 'endBeforeStart', args: {} });
      }
      (await this.store.run(this.s.finish, [MAINTENANCE_STEPS[step].to, by, at, workDone, outcome, id]));
      return this.get(id);
    });
  }

  async get(id: number): Promise<MaintenanceRequest> {
    const r = (await this.store.get<RawRequest>(this.s.byId, [id]));
    if (!r) throw noRequest(id);
    return this.view(r);
  }

  /**
   * The request for a caller limited to `scope` (null: every site). Another site's request is
   * answered exactly as a missing one, so the answer never names the site that owns it.
   */
  async getFor(id: number, scope: string | null): Promise<MaintenanceRequest> {
    const r = await this.get(id);
    if (scope !== null && r.site !== scope) throw noRequest(id);
    return r;
  }

  async list(q: MaintenanceQuery & { scopeSite?: string | null }): Promise<MaintenanceRequest[]> {
    if (q.scopeSite && q.site && q.site !== q.scopeSite) return [];
    const where: string[] = [];
    const args: Param[] = [];
    const site = q.scopeSite ?? q.site;
    if (site) (where.push('r.site = ?'), args.push(site));
    if (q.status) (where.push('r.status = ?'), args.push(q.status));
    if (q.device) (where.push('EXISTS (SELECT 1 FROM maintenance_devices m WHERE m.request_id = r.id AND m.hostname = ?)'), args.push(q.device));
    const sql = `SELECT r.* FROM maintenance_requests r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.window_start DESC, r.id DESC LIMIT 500`;
    return Promise.all((await this.store.all<RawRequest>(sql, args)).map((r) => this.view(r)));
  }

  private async view(r: RawRequest): Promise<MaintenanceRequest> {
    return {
      id: r.id,
      site: r.site,
      purpose: r.purpose,
      engineer: r.engineer,
      recorder: r.recorder,
      steps: JSON.parse(r.steps) as string[],
      hardwareChanges: r.hardware_changes,
      softwareChanges: r.software_changes,
      expectedDurationMinutes: r.expected_duration_min,
      windowStart: iso(r.window_start),
      windowEnd: iso(r.window_end),
      devices: (await this.store.all<{ hostname: string }>(this.s.devices, [r.id])).map((d) => d.hostname),
      emergency: r.emergency === 1,
      status: r.status,
      requestedBy: r.requested_by,
      requestedAt: iso(r.requested_at),
      decidedBy: r.decided_by,
      decidedAt: r.decided_at === null ? null : iso(r.decided_at),
      decisionNote: r.decision_note,
      rollbackPlan: r.rollback_plan,
      customerRepresentative: r.customer_representative,
      removableMedia: r.removable_media,
      startedBy: r.started_by,
      actualStart: isoOrNull(r.actual_start),
      finishedBy: r.finished_by,
      actualEnd: isoOrNull(r.actual_end),
      workDone: r.work_done,
      outcome: r.outcome,
    };
  }
}
