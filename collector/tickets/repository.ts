import type { Statement } from 'better-sqlite3';
import type {
  DeviceKind,
  EmergencyPlanInput,
  PartDispositionInput,
  PartReplacement,
  PartReplacementInput,
  Priority,
  ServiceReport,
  ServiceReportInput,
  SlaProfile,
  SlaProfileInput,
  Ticket,
  TicketEvent,
  TicketStatus,
  TicketSubject,
} from '../../schemas/index.js';
import { conflict, notFound } from '../errors.js';
import type { Db } from '../storage/db.js';
import { nextStatus, type StepName } from './lifecycle.js';
import { alwaysOnSite, anyOverdue, deadlines, isEmergency, slaProfile, slaSnapshot } from './sla.js';

const noTicket = (id: number) => notFound(`no ticket ${id}`);

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** The list filters, converted from the query string. */
export interface TicketFilter {
  site?: string;
  device?: string;
  status?: TicketStatus | 'active';
  priority?: Priority;
  overdue?: boolean;
  limit?: number;
}

/** Who stamps a step: a token's holder, or the system itself. */
export interface Actor {
  name: string;
  tokenId: number | null;
}
export const SYSTEM: Actor = { name: 'system', tokenId: null };

export interface NewTicket {
  /** Omitted: the device's site. */
  siteId?: number;
  /** null: a service request without a device. */
  deviceId: number | null;
  subject: TicketSubject;
  priority: Priority;
  emergency: boolean;
  symptom: string;
  suspectedCause?: string | null;
  deviceModel?: string | null;
  /** The site's profile at opening: the ticket keeps these limits (a later change applies to new tickets only). */
  sla: SlaProfile;
  assignee?: string | null;
  backup?: string | null;
  by: Actor;
  at: number;
}

interface RawTicket {
  id: number;
  site_id: number;
  device_id: number | null;
  subject: TicketSubject;
  priority: Priority;
  emergency: number;
  status: TicketStatus;
  symptom: string;
  suspected_cause: string | null;
  device_model: string | null;
  opened_at: number;
  opened_by: string;
  recovered_at: number | null;
  emergency_plan_at: number | null;
  closed_at: number | null;
  sla_profile: string;
  visit_from: number | null;
  assignee: string | null;
  backup: string | null;
  emergency_plan_owner: string | null;
  emergency_plan_due: number | null;
  part_needed_at: number | null;
  site: string;
  hostname: string | null;
  kind: DeviceKind | null;
  role: string | null;
  model: string | null;
}
interface RawEvent {
  event: TicketEvent['event'];
  by_name: string;
  at: number;
  note: string | null;
}
interface RawServiceReport {
  id: number;
  arrived_at: number;
  work_done: string;
  result: ServiceReport['result'];
  open_issues: string | null;
  customer_evaluation: string | null;
  by_name: string;
  at: number;
}
interface RawPart {
  id: number;
  part: string;
  old_serial: string;
  new_serial: string;
  replaced_at: number;
  by_name: string;
  at: number;
  disposition: PartReplacement['disposition'] | null;
  received_by: string | null;
  received_at: number | null;
  disposition_note: string | null;
}

const SELECT = `SELECT t.*, s.name AS site, d.hostname, d.kind, coalesce(d.role, d.reported_role) AS role, d.model
  FROM tickets t JOIN sites s ON s.id = t.site_id LEFT JOIN devices d ON d.id = t.device_id`;

/** The fault-ticket aggregate: tickets, their stamped events, service reports, parts, SLA profiles. */
export class TicketsRepository {
  private readonly s: {
    active: Statement<[number, string], { id: number; recovered_at: number | null }>;
    insert: Statement<Record<string, unknown>, { id: number }>;
    event: Statement<[number, string, string, number | null, number, string | null]>;
    recovered: Statement<[number, number]>;
    relapsed: Statement<[number]>;
    byId: Statement<[number], RawTicket>;
    events: Statement<[number], RawEvent>;
    reports: Statement<[number], RawServiceReport>;
    parts: Statement<[number], RawPart>;
    setStatus: Statement<[string, number | null, number]>;
    sla: Statement<[string], { profile: string }>;
    putSla: Statement<[string, string, number, string]>;
  };

  constructor(private readonly db: Db) {
    this.s = {
      active: db.prepare(`SELECT id, recovered_at FROM tickets WHERE device_id = ? AND subject = ? AND status <> 'closed'`),
      insert: db.prepare(
        `INSERT INTO tickets (site_id, device_id, subject, priority, emergency, status, symptom, suspected_cause, device_model, opened_at, opened_by,
                              sla_profile, visit_from, assignee, backup)
         VALUES (coalesce(@siteId, (SELECT site_id FROM devices WHERE id = @deviceId)), @deviceId, @subject, @priority, @emergency, 'open', @symptom, @suspectedCause, @deviceModel, @at, @by,
                 @slaProfile, @visitFrom, @assignee, @backup)
         RETURNING id`,
      ),
      event: db.prepare('INSERT INTO ticket_events (ticket_id, event, by_name, token_id, at, note) VALUES (?, ?, ?, ?, ?, ?)'),
      recovered: db.prepare('UPDATE tickets SET recovered_at = ? WHERE id = ? AND recovered_at IS NULL'),
      relapsed: db.prepare('UPDATE tickets SET recovered_at = NULL WHERE id = ?'),
      byId: db.prepare(`${SELECT} WHERE t.id = ?`),
      events: db.prepare('SELECT event, by_name, at, note FROM ticket_events WHERE ticket_id = ? ORDER BY id'),
      reports: db.prepare('SELECT * FROM ticket_service_reports WHERE ticket_id = ? ORDER BY id'),
      parts: db.prepare('SELECT * FROM ticket_parts WHERE ticket_id = ? ORDER BY id'),
      setStatus: db.prepare('UPDATE tickets SET status = ?, closed_at = ? WHERE id = ?'),
      sla: db.prepare('SELECT profile FROM site_sla WHERE site = ?'),
      putSla: db.prepare(
        `INSERT INTO site_sla (site, profile, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (site) DO UPDATE SET profile = excluded.profile, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
    };
  }

  // ---- SLA profiles ----

  /** The site's stored overrides (what differs from the defaults). */
  slaOverrides(site: string): SlaProfileInput {
    const row = this.s.sla.get(site);
    return row ? (JSON.parse(row.profile) as SlaProfileInput) : {};
  }

  /** The site's effective profile: its overrides over the contract defaults. */
  sla(site: string): SlaProfile {
    return slaProfile(this.slaOverrides(site));
  }

  /** Stores the overrides after validating the profile they make. */
  setSla(site: string, overrides: SlaProfileInput, by: Actor, now: number): SlaProfile {
    const profile = slaProfile(overrides);
    this.s.putSla.run(site, JSON.stringify(overrides), now, by.name);
    return profile;
  }

  /** A device's own missed-reports setting (null: the site's). */
  missedReports(deviceId: number): number | null {
    const r = this.db.prepare('SELECT missed_reports FROM device_liveness WHERE device_id = ?').get(deviceId) as { missed_reports: number | null } | undefined;
    return r?.missed_reports ?? null;
  }

  setMissedReports(deviceId: number, missed: number | null): void {
    this.db
      .prepare(
        `INSERT INTO device_liveness (device_id, missed_reports) VALUES (?, ?)
         ON CONFLICT (device_id) DO UPDATE SET missed_reports = excluded.missed_reports`,
      )
      .run(deviceId, missed);
  }

  // ---- what the system does ----

  /** The ticket still open for this device and subject, if any. */
  active(deviceId: number, subject: TicketSubject): { id: number; recoveredAt: number | null } | undefined {
    const r = this.s.active.get(deviceId, subject);
    return r && { id: r.id, recoveredAt: r.recovered_at };
  }

  /** Whether a ticket for this device and subject was opened at or after `since` (closed or not). */
  openedSince(deviceId: number, subject: TicketSubject, since: number): boolean {
    return this.db.prepare('SELECT 1 FROM tickets WHERE device_id = ? AND subject = ? AND opened_at >= ? LIMIT 1').get(deviceId, subject, since) !== undefined;
  }

  open(t: NewTicket): number {
    const { id } = this.s.insert.get({
      siteId: t.siteId ?? null,
      deviceId: t.deviceId,
      subject: t.subject,
      priority: t.priority,
      emergency: t.emergency ? 1 : 0,
      symptom: t.symptom,
      suspectedCause: t.suspectedCause ?? null,
      deviceModel: t.deviceModel ?? null,
      at: t.at,
      by: t.by.name,
      slaProfile: JSON.stringify(slaSnapshot(t.sla)),
      // The priority always needs a visit: the on-site clock runs from opening (never P4).
      visitFrom: alwaysOnSite(t.priority, t.sla) ? t.at : null,
      assignee: t.assignee ?? null,
      backup: t.backup ?? null,
    })!;
    this.s.event.run(id, 'open', t.by.name, t.by.tokenId, t.at, null);
    return id;
  }

  /** The check turned normal again (or the silent device reported): stamped once, a person still closes. */
  recovered(id: number, at: number, note: string): void {
    if (this.s.recovered.run(at, id).changes > 0) this.s.event.run(id, 'recovered', SYSTEM.name, null, at, note);
  }

  /** Abnormal again while the ticket is still open: no second ticket, the recovery stamp is cleared. */
  relapsed(id: number, at: number, note: string): void {
    this.s.relapsed.run(id);
    this.s.event.run(id, 'relapsed', SYSTEM.name, null, at, note);
  }

  // ---- what people do ----

  /** One lifecycle step; 409 when illegal from the ticket's status. */
  step(id: number, step: StepName, by: Actor, now: number, note?: string): void {
    this.db.transaction(() => {
      const t = this.raw(id);
      const to = nextStatus(t.status, step);
      this.s.setStatus.run(to, to === 'closed' ? now : null, id);
      // Dispatching means a visit is needed: the on-site clock starts now unless the priority's
      // rule already started it at opening. Arriving without a dispatch step: the visit was
      // decided when the engineer responded, so the clock runs from the response. Never for P4.
      if ((to === 'dispatched' || to === 'on_site') && t.visit_from === null && t.priority !== 'P4') {
        const responded = to === 'on_site' ? this.s.events.all(id).find((e) => e.event === 'responded')?.at : undefined;
        this.db.prepare('UPDATE tickets SET visit_from = ? WHERE id = ?').run(responded ?? now, id);
      }
      this.s.event.run(id, to, by.name, by.tokenId, now, note ?? null);
    }).immediate();
  }

  /** Assignee and backup engineer (undefined: unchanged, null: cleared); one `assigned` event saying what changed. */
  assign(id: number, people: { assignee?: string | null; backup?: string | null }, by: Actor, now: number): string {
    return this.db.transaction(() => {
      const t = this.raw(id);
      if (t.status === 'closed') throw conflict(`ticket ${id} is closed`);
      const assignee = people.assignee === undefined ? t.assignee : people.assignee;
      const backup = people.backup === undefined ? t.backup : people.backup;
      const note = [
        assignee !== t.assignee ? `assignee: ${t.assignee ?? '—'} → ${assignee ?? '—'}` : null,
        backup !== t.backup ? `backup: ${t.backup ?? '—'} → ${backup ?? '—'}` : null,
      ].filter((x): x is string => x !== null).join('; ') || 'unchanged';
      this.db.prepare('UPDATE tickets SET assignee = ?, backup = ? WHERE id = ?').run(assignee, backup, id);
      this.s.event.run(id, 'assigned', by.name, by.tokenId, now, note);
      return note;
    }).immediate();
  }

  /**
   * A new priority with its reason. The limits stay the ticket's snapshot; the emergency flag and
   * the always-on-site rule follow the new priority (a P4 loses its on-site clock).
   */
  reclassify(id: number, priority: Priority, reason: string, by: Actor, now: number): string {
    return this.db.transaction(() => {
      const t = this.raw(id);
      if (t.status === 'closed') throw conflict(`ticket ${id} is closed`);
      if (t.priority === priority) throw conflict(`ticket ${id} is already ${priority}`);
      const sla = slaProfile(JSON.parse(t.sla_profile));
      const visitFrom = priority === 'P4' ? null : (t.visit_from ?? (alwaysOnSite(priority, sla) ? now : null));
      this.db
        .prepare('UPDATE tickets SET priority = ?, emergency = ?, visit_from = ? WHERE id = ?')
        .run(priority, isEmergency(priority, sla) ? 1 : 0, visitFrom, id);
      const note = `${t.priority} → ${priority}: ${reason}`;
      this.s.event.run(id, 'reclassified', by.name, by.tokenId, now, note);
      return note;
    }).immediate();
  }

  /**
   * 启动应急预案 as its own step: an owner and the deadline under the plan. Only after a visit
   * (on site): the plan is what follows a first visit that did not fix the fault.
   */
  startEmergencyPlan(id: number, input: EmergencyPlanInput, by: Actor, now: number): void {
    this.db.transaction(() => {
      const t = this.raw(id);
      if (t.status !== 'on_site') throw conflict(`the emergency plan follows an on-site visit that did not fix the fault; ticket ${id} is ${t.status}`);
      if (t.emergency_plan_owner !== null) throw conflict(`the emergency plan of ticket ${id} already has an owner (${t.emergency_plan_owner})`);
      const due = Date.parse(input.due);
      if (due <= now) throw conflict(`the emergency plan's deadline ${input.due} has already passed`);
      this.db
        .prepare('UPDATE tickets SET emergency_plan_at = coalesce(emergency_plan_at, ?), emergency_plan_owner = ?, emergency_plan_due = ? WHERE id = ?')
        .run(now, input.owner, due, id);
      const note = `owner ${input.owner}, due ${iso(due)}${input.note ? `: ${input.note}` : ''}`;
      this.s.event.run(id, 'emergency_plan', by.name, by.tokenId, now, note);
    }).immediate();
  }

  /** A spare part is needed: the part-replacement clock runs from arrival on site (stamped once). */
  partNeeded(id: number, note: string | null, by: Actor, now: number): void {
    this.db.transaction(() => {
      const t = this.raw(id);
      if (!['responded', 'dispatched', 'on_site'].includes(t.status)) throw conflict(`a part is needed while the fault is being worked on; ticket ${id} is ${t.status}`);
      if (t.part_needed_at !== null) throw conflict(`ticket ${id} already needs a part since ${iso(t.part_needed_at)}`);
      this.db.prepare('UPDATE tickets SET part_needed_at = ? WHERE id = ?').run(now, id);
      this.s.event.run(id, 'part_needed', by.name, by.tokenId, now, note);
    }).immediate();
  }

  /** The old part's disposition, who received it and when. */
  setPartDisposition(id: number, partId: number, input: PartDispositionInput, now: number): void {
    const r = this.db
      .prepare('UPDATE ticket_parts SET disposition = ?, received_by = ?, received_at = ?, disposition_note = ? WHERE id = ? AND ticket_id = ?')
      .run(input.disposition, input.receivedBy ?? null, input.receivedAt ? Date.parse(input.receivedAt) : now, input.dispositionNote ?? null, partId, id);
    if (r.changes === 0) throw notFound(`no part ${partId} on ticket ${id}`);
  }

  /**
   * A 现场服务报告. Only while the engineer is (or was) on site and before the customer confirms.
   * When the first visit did not fix the fault, the emergency plan starts (stamped once).
   */
  addServiceReport(id: number, input: ServiceReportInput, by: Actor, now: number): number {
    return this.db.transaction(() => {
      const t = this.raw(id);
      if (t.status !== 'on_site' && t.status !== 'resolved') {
        throw conflict(`a service report needs an engineer on site; ticket ${id} is ${t.status}`);
      }
      const first = this.s.reports.all(id).length === 0;
      const row = this.db
        .prepare(
          `INSERT INTO ticket_service_reports (ticket_id, arrived_at, work_done, result, open_issues, customer_evaluation, by_name, token_id, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(id, Date.parse(input.arrivedAt), input.workDone, input.result, input.openIssues ?? null, input.customerEvaluation ?? null, by.name, by.tokenId, now) as { id: number };
      if (first && input.result !== 'fixed' && t.emergency_plan_at === null) {
        this.db.prepare('UPDATE tickets SET emergency_plan_at = ? WHERE id = ?').run(now, id);
        this.s.event.run(id, 'emergency_plan', by.name, by.tokenId, now, 'the first on-site visit did not fix the fault: emergency plan started');
      }
      return row.id;
    }).immediate();
  }

  /** A spare-part replacement (part, old and new serial), while on site or resolved. */
  addPart(id: number, input: PartReplacementInput, by: Actor, now: number): number {
    return this.db.transaction(() => {
      const t = this.raw(id);
      if (t.status !== 'on_site' && t.status !== 'resolved') {
        throw conflict(`a part is replaced on site; ticket ${id} is ${t.status}`);
      }
      const replacedAt = input.replacedAt ? Date.parse(input.replacedAt) : now;
      const row = this.db
        .prepare(
          `INSERT INTO ticket_parts (ticket_id, part, old_serial, new_serial, replaced_at, by_name, token_id, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(id, input.part, input.oldSerial, input.newSerial, replacedAt, by.name, by.tokenId, now) as { id: number };
      // A part swapped was a part needed (the part clock then runs from arrival).
      if (t.part_needed_at === null) this.db.prepare('UPDATE tickets SET part_needed_at = ? WHERE id = ?').run(replacedAt, id);
      if (input.disposition) this.setPartDisposition(id, row.id, { ...input, disposition: input.disposition }, now);
      return row.id;
    }).immediate();
  }

  // ---- reading ----

  private raw(id: number): RawTicket {
    const t = this.s.byId.get(id);
    if (!t) throw noTicket(id);
    return t;
  }

  siteOf(id: number): string {
    return this.raw(id).site;
  }

  /**
   * The ticket's site for a caller limited to `scope` (null: every site). Another site's ticket
   * is answered exactly as a missing one (same 404, same message), so a customer learns neither
   * that it exists nor which site it belongs to.
   */
  siteFor(id: number, scope: string | null): string {
    const site = this.siteOf(id);
    if (scope !== null && site !== scope) throw noTicket(id);
    return site;
  }

  get(id: number, now: Date): Ticket {
    return this.view(this.raw(id), now, new Map());
  }

  /** Tickets matching the filters, newest first; `overdue` is judged as of `now`. */
  list(q: TicketFilter & { scopeSite?: string | null }, now: Date): Ticket[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const site = q.scopeSite ?? q.site;
    if (q.scopeSite && q.site && q.site !== q.scopeSite) return [];
    if (site) (where.push('s.name = ?'), args.push(site));
    if (q.device) (where.push('d.hostname = ?'), args.push(q.device));
    if (q.status === 'active') where.push("t.status <> 'closed'");
    else if (q.status) (where.push('t.status = ?'), args.push(q.status));
    if (q.priority) (where.push('t.priority = ?'), args.push(q.priority));
    const limit = q.limit ?? 200;
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.opened_at DESC, t.id DESC`;
    const profiles = new Map<string, SlaProfile>();
    const out: Ticket[] = [];
    // Overdue depends on `now`, so it is filtered here rather than in SQL.
    for (const raw of this.db.prepare(sql).iterate(...args) as IterableIterator<RawTicket>) {
      const t = this.view(raw, now, profiles);
      if (q.overdue !== undefined && t.overdue !== q.overdue) continue;
      out.push(t);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Open (not closed) and overdue counts, for /metrics. */
  counts(now: Date): { open: number; overdue: number } {
    const active = this.list({ status: 'active', limit: 1_000_000 }, now);
    return { open: active.length, overdue: active.filter((t) => t.overdue).length };
  }

  private view(t: RawTicket, now: Date, profiles: Map<string, SlaProfile>): Ticket {
    // The limits the ticket was opened with (parsed once per distinct snapshot).
    let sla = profiles.get(t.sla_profile);
    if (!sla) profiles.set(t.sla_profile, (sla = slaProfile(JSON.parse(t.sla_profile))));
    const events: TicketEvent[] = this.s.events.all(t.id).map((e) => ({
      event: e.event,
      by: e.by_name,
      at: iso(e.at),
      ...(e.note !== null ? { note: e.note } : {}),
    }));
    const recoveredAt = isoOrNull(t.recovered_at);
    const rawParts = this.s.parts.all(t.id);
    const d = deadlines(
      {
        openedAt: iso(t.opened_at),
        priority: t.priority,
        emergency: t.emergency === 1,
        events,
        recoveredAt,
        visitFrom: isoOrNull(t.visit_from),
        partNeededAt: isoOrNull(t.part_needed_at),
        partReplacedAt: rawParts.length ? iso(Math.min(...rawParts.map((p) => p.replaced_at))) : null,
        emergencyPlanAt: isoOrNull(t.emergency_plan_at),
        emergencyPlanDue: isoOrNull(t.emergency_plan_due),
      },
      sla,
      now,
    );
    const serviceReports: ServiceReport[] = this.s.reports.all(t.id).map((r) => ({
      id: r.id,
      arrivedAt: iso(r.arrived_at),
      workDone: r.work_done,
      result: r.result,
      ...(r.open_issues !== null ? { openIssues: r.open_issues } : {}),
      ...(r.customer_evaluation !== null ? { customerEvaluation: r.customer_evaluation } : {}),
      by: r.by_name,
      at: iso(r.at),
    }));
    const parts: PartReplacement[] = rawParts.map((p) => ({
      id: p.id,
      part: p.part,
      oldSerial: p.old_serial,
      newSerial: p.new_serial,
      replacedAt: iso(p.replaced_at),
      ...(p.disposition !== null ? { disposition: p.disposition } : {}),
      ...(p.received_by !== null ? { receivedBy: p.received_by } : {}),
      ...(p.disposition !== null && p.received_at !== null ? { receivedAt: iso(p.received_at) } : {}),
      ...(p.disposition_note !== null ? { dispositionNote: p.disposition_note } : {}),
      by: p.by_name,
      at: iso(p.at),
    }));
    return {
      id: t.id,
      site: t.site,
      device: t.hostname,
      deviceKind: t.kind,
      deviceRole: t.role,
      deviceModel: t.device_model ?? t.model,
      subject: t.subject,
      priority: t.priority,
      emergency: t.emergency === 1,
      status: t.status,
      symptom: t.symptom,
      suspectedCause: t.suspected_cause,
      openedAt: iso(t.opened_at),
      openedBy: t.opened_by,
      recoveredAt,
      emergencyPlanAt: isoOrNull(t.emergency_plan_at),
      emergencyPlanOwner: t.emergency_plan_owner,
      assignee: t.assignee,
      backup: t.backup,
      visitNeeded: t.visit_from !== null && t.priority !== 'P4',
      sla: slaSnapshot(sla),
      // A closed ticket's deadlines are history; only the flags of what was late remain.
      deadlines: d,
      overdue: anyOverdue(d),
      events,
      serviceReports,
      parts,
    };
  }
}
