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
import type { Param, Store } from '../storage/store.js';
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
    active: string;
    insert: string;
    event: string;
    recovered: string;
    relapsed: string;
    byId: string;
    events: string;
    reports: string;
    parts: string;
    setStatus: string;
    sla: string;
    putSla: string;
  };

  constructor(private readonly store: Store) {
    this.s = {
      active: `SELECT id, recovered_at FROM tickets WHERE device_id = ? AND subject = ? AND status <> 'closed'`,
      insert: `INSERT INTO tickets (site_id, device_id, subject, priority, emergency, status, symptom, suspected_cause, device_model, opened_at, opened_by,
                              sla_profile, visit_from, assignee, backup)
         VALUES (coalesce(@siteId, (SELECT site_id FROM devices WHERE id = @deviceId)), @deviceId, @subject, @priority, @emergency, 'open', @symptom, @suspectedCause, @deviceModel, @at, @by,
                 @slaProfile, @visitFrom, @assignee, @backup)
         RETURNING id`,
      event: 'INSERT INTO ticket_events (ticket_id, event, by_name, token_id, at, note) VALUES (?, ?, ?, ?, ?, ?)',
      recovered: 'UPDATE tickets SET recovered_at = ? WHERE id = ? AND recovered_at IS NULL',
      relapsed: 'UPDATE tickets SET recovered_at = NULL WHERE id = ?',
      byId: `${SELECT} WHERE t.id = ?`,
      events: 'SELECT event, by_name, at, note FROM ticket_events WHERE ticket_id = ? ORDER BY id',
      reports: 'SELECT * FROM ticket_service_reports WHERE ticket_id = ? ORDER BY id',
      parts: 'SELECT * FROM ticket_parts WHERE ticket_id = ? ORDER BY id',
      setStatus: 'UPDATE tickets SET status = ?, closed_at = ? WHERE id = ?',
      sla: 'SELECT profile FROM site_sla WHERE site = ?',
      putSla: `INSERT INTO site_sla (site, profile, updated_at, updated_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (site) DO UPDATE SET profile = excluded.profile, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    };
  }

  // ---- SLA profiles ----

  /** The site's stored overrides (what differs from the defaults). */
  async slaOverrides(site: string): Promise<SlaProfileInput> {
    const row = (await this.store.get<{ profile: string }>(this.s.sla, [site]));
    return row ? (JSON.parse(row.profile) as SlaProfileInput) : {};
  }

  /** The site's effective profile: its overrides over the contract defaults. */
  async sla(site: string): Promise<SlaProfile> {
    return slaProfile(await this.slaOverrides(site));
  }

  /** Stores the overrides after validating the profile they make. */
  async setSla(site: string, overrides: SlaProfileInput, by: Actor, now: number): Promise<SlaProfile> {
    const profile = slaProfile(overrides);
    (await this.store.run(this.s.putSla, [site, JSON.stringify(overrides), now, by.name]));
    return profile;
  }

  /** A device's own missed-reports setting (null: the site's). */
  async missedReports(deviceId: number): Promise<number | null> {
    const r = (await this.store.get('SELECT missed_reports FROM device_liveness WHERE device_id = ?', [deviceId])) as { missed_reports: number | null } | undefined;
    return r?.missed_reports ?? null;
  }

  async setMissedReports(deviceId: number, missed: number | null): Promise<void> {
    (await this.store.run(`INSERT INTO device_liveness (device_id, missed_reports) VALUES (?, ?)
         ON CONFLICT (device_id) DO UPDATE SET missed_reports = excluded.missed_reports`, [deviceId, missed]));
  }

  // ---- what the system does ----

  /** The ticket still open for this device and subject, if any. */
  async active(deviceId: number, subject: TicketSubject): Promise<{ id: number; recoveredAt: number | null } | undefined> {
    const r = await this.store.get<{ id: number; recovered_at: number | null }>(this.s.active, [deviceId, subject]);
    return r && { id: r.id, recoveredAt: r.recovered_at };
  }

  /** Whether a ticket for this device and subject was opened at or after `since` (closed or not). */
  async openedSince(deviceId: number, subject: TicketSubject, since: number): Promise<boolean> {
    return (await this.store.get('SELECT 1 FROM tickets WHERE device_id = ? AND subject = ? AND opened_at >= ? LIMIT 1', [deviceId, subject, since])) !== undefined;
  }

  async open(t: NewTicket): Promise<number> {
    const { id } = (await this.store.get<{ id: number }>(this.s.insert, {
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
    }))!;
    (await this.store.run(this.s.event, [id, 'open', t.by.name, t.by.tokenId, t.at, null]));
    return id;
  }

  /** The check turned normal again (or the silent device reported): stamped once, a person still closes. */
  async recovered(id: number, at: number, note: string): Promise<void> {
    if ((await this.store.run(this.s.recovered, [at, id])).changes > 0) (await this.store.run(this.s.event, [id, 'recovered', SYSTEM.name, null, at, note]));
  }

  /** Abnormal again while the ticket is still open: no second ticket, the recovery stamp is cleared. */
  async relapsed(id: number, at: number, note: string): Promise<void> {
    (await this.store.run(this.s.relapsed, [id]));
    (await this.store.run(this.s.event, [id, 'relapsed', SYSTEM.name, null, at, note]));
  }

  // ---- what people do ----

  /** One lifecycle step; 409 when illegal from the ticket's status. */
  async step(id: number, step: StepName, by: Actor, now: number, note?: string): Promise<void> {
    await this.store.transaction(async () => {
      const t = await this.raw(id);
      const to = nextStatus(t.status, step);
      (await this.store.run(this.s.setStatus, [to, to === 'closed' ? now : null, id]));
      // Dispatching means a visit is needed: the on-site clock starts now unless the priority's
      // rule already started it at opening. Arriving without a dispatch step: the visit was
      // decided when the engineer responded, so the clock runs from the response. Never for P4.
      if ((to === 'dispatched' || to === 'on_site') && t.visit_from === null && t.priority !== 'P4') {
        const responded = to === 'on_site' ? (await this.store.all<RawEvent>(this.s.events, [id])).find((e) => e.event === 'responded')?.at : undefined;
        (await this.store.run('UPDATE tickets SET visit_from = ? WHERE id = ?', [responded ?? now, id]));
      }
      (await this.store.run(this.s.event, [id, to, by.name, by.tokenId, now, note ?? null]));
    });
  }

  /** Assignee and backup engineer (undefined: unchanged, null: cleared); one `assigned` event saying what changed. */
  async assign(id: number, people: { assignee?: string | null; backup?: string | null }, by: Actor, now: number): Promise<string> {
    return this.store.transaction(async () => {
      const t = await this.raw(id);
      if (t.status === 'closed') throw conflict(`ticket ${id} is closed`, { key: 'ticketClosed', args: {} });
      const assignee = people.assignee === undefined ? t.assignee : people.assignee;
      const backup = people.backup === undefined ? t.backup : people.backup;
      const note = [
        assignee !== t.assignee ? `assignee: ${t.assignee ?? '—'} → ${assignee ?? '—'}` : null,
        backup !== t.backup ? `backup: ${t.backup ?? '—'} → ${backup ?? '—'}` : null,
      ].filter((x): x is string => x !== null).join('; ') || 'unchanged';
      (await this.store.run('UPDATE tickets SET assignee = ?, backup = ? WHERE id = ?', [assignee, backup, id]));
      (await this.store.run(this.s.event, [id, 'assigned', by.name, by.tokenId, now, note]));
      return note;
    });
  }

  /**
   * A new priority with its reason. The limits stay the ticket's snapshot; the emergency flag and
   * the always-on-site rule follow the new priority (a P4 loses its on-site clock).
   */
  async reclassify(id: number, priority: Priority, reason: string, by: Actor, now: number): Promise<string> {
    return this.store.transaction(async () => {
      const t = await this.raw(id);
      if (t.status === 'closed') throw conflict(`ticket ${id} is closed`, { key: 'ticketClosed', args: {} });
      if (t.priority === priority) throw conflict(`ticket ${id} is already ${priority}`, { key: 'ticketSamePriority', args: { priority } });
      const sla = slaProfile(JSON.parse(t.sla_profile));
      const visitFrom = priority === 'P4' ? null : (t.visit_from ?? (alwaysOnSite(priority, sla) ? now : null));
      (await this.store.run('UPDATE tickets SET priority = ?, emergency = ?, visit_from = ? WHERE id = ?', [priority, isEmergency(priority, sla) ? 1 : 0, visitFrom, id]));
      const note = `${t.priority} → ${priority}: ${reason}`;
      (await this.store.run(this.s.event, [id, 'reclassified', by.name, by.tokenId, now, note]));
      return note;
    });
  }

  /**
   * 启动应急预案 as its own step: an owner and the deadline under the plan. Only after a visit
   * (on site): the plan is what follows a first visit that did not fix the fault.
   */
  async startEmergencyPlan(id: number, input: EmergencyPlanInput, by: Actor, now: number): Promise<void> {
    await this.store.transaction(async () => {
      const t = await this.raw(id);
      if (t.status !== 'on_site') throw conflict(`the emergency plan follows an on-site visit that did not fix the fault; ticket ${id} is ${t.status}`, { key: 'emergencyPlanNeedsOnSite', args: { status: t.status } });
      if (t.emergency_plan_owner !== null) throw conflict(`the emergency plan of ticket ${id} already has an owner (${t.emergency_plan_owner})`, { key: 'emergencyPlanOwned', args: {} });
      const due = Date.parse(input.due);
      if (due <= now) throw conflict(`the emergency plan's deadline ${input.due} has already passed`, { key: 'emergencyPlanDuePassed', args: {} });
      (await this.store.run('UPDATE tickets SET emergency_plan_at = coalesce(emergency_plan_at, ?), emergency_plan_owner = ?, emergency_plan_due = ? WHERE id = ?', [now, input.owner, due, id]));
      const note = `owner ${input.owner}, due ${iso(due)}${input.note ? `: ${input.note}` : ''}`;
      (await this.store.run(this.s.event, [id, 'emergency_plan', by.name, by.tokenId, now, note]));
    });
  }

  /** A spare part is needed: the part-replacement clock runs from arrival on site (stamped once). */
  async partNeeded(id: number, note: string | null, by: Actor, now: number): Promise<void> {
    await this.store.transaction(async () => {
      const t = await this.raw(id);
      if (!['responded', 'dispatched', 'on_site'].includes(t.status)) throw conflict(`a part is needed while the fault is being worked on; ticket ${id} is ${t.status}`, { key: 'partNeededWhileWorking', args: { status: t.status } });
      if (t.part_needed_at !== null) throw conflict(`ticket ${id} already needs a part since ${iso(t.part_needed_at)}`, { key: 'partAlreadyNeeded', args: {} });
      (await this.store.run('UPDATE tickets SET part_needed_at = ? WHERE id = ?', [now, id]));
      (await this.store.run(this.s.event, [id, 'part_needed', by.name, by.tokenId, now, note]));
    });
  }

  /** The old part's disposition, who received it and when. */
  async setPartDisposition(id: number, partId: number, input: PartDispositionInput, now: number): Promise<void> {
    const r = (await this.store.run('UPDATE ticket_parts SET disposition = ?, received_by = ?, received_at = ?, disposition_note = ? WHERE id = ? AND ticket_id = ?', [input.disposition, input.receivedBy ?? null, input.receivedAt ? Date.parse(input.receivedAt) : now, input.dispositionNote ?? null, partId, id]));
    if (r.changes === 0) throw notFound(`no part ${partId} on ticket ${id}`);
  }

  /**
   * A 现场服务报告. Only while the engineer is (or was) on site and before the customer confirms.
   * When the first visit did not fix the fault, the emergency plan starts (stamped once).
   */
  async addServiceReport(id: number, input: ServiceReportInput, by: Actor, now: number): Promise<number> {
    return this.store.transaction(async () => {
      const t = await this.raw(id);
      if (t.status !== 'on_site' && t.status !== 'resolved') {
        throw conflict(`a service report needs an engineer on site; ticket ${id} is ${t.status}`, { key: 'serviceReportNeedsOnSite', args: { status: t.status } });
      }
      const first = (await this.store.all<RawServiceReport>(this.s.reports, [id])).length === 0;
      const row = (await this.store.get(`INSERT INTO ticket_service_reports (ticket_id, arrived_at, work_done, result, open_issues, customer_evaluation, by_name, token_id, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, [id, Date.parse(input.arrivedAt), input.workDone, input.result, input.openIssues ?? null, input.customerEvaluation ?? null, by.name, by.tokenId, now])) as { id: number };
      if (first && input.result !== 'fixed' && t.emergency_plan_at === null) {
        (await this.store.run('UPDATE tickets SET emergency_plan_at = ? WHERE id = ?', [now, id]));
        (await this.store.run(this.s.event, [id, 'emergency_plan', by.name, by.tokenId, now, 'the first on-site visit did not fix the fault: emergency plan started']));
      }
      return row.id;
    });
  }

  /** A spare-part replacement (part, old and new serial), while on site or resolved. */
  async addPart(id: number, input: PartReplacementInput, by: Actor, now: number): Promise<number> {
    return this.store.transaction(async () => {
      const t = await this.raw(id);
      if (t.status !== 'on_site' && t.status !== 'resolved') {
        throw conflict(`a part is replaced on site; ticket ${id} is ${t.status}`, { key: 'partReplacedOnSite', args: { status: t.status } });
      }
      const replacedAt = input.replacedAt ? Date.parse(input.replacedAt) : now;
      const row = (await this.store.get(`INSERT INTO ticket_parts (ticket_id, part, old_serial, new_serial, replaced_at, by_name, token_id, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, [id, input.part, input.oldSerial, input.newSerial, replacedAt, by.name, by.tokenId, now])) as { id: number };
      // A part swapped was a part needed (the part clock then runs from arrival).
      if (t.part_needed_at === null) (await this.store.run('UPDATE tickets SET part_needed_at = ? WHERE id = ?', [replacedAt, id]));
      if (input.disposition) await this.setPartDisposition(id, row.id, { ...input, disposition: input.disposition }, now);
      return row.id;
    });
  }

  // ---- reading ----

  private async raw(id: number): Promise<RawTicket> {
    const t = (await this.store.get<RawTicket>(this.s.byId, [id]));
    if (!t) throw noTicket(id);
    return t;
  }

  async siteOf(id: number): Promise<string> {
    return (await this.raw(id)).site;
  }

  /**
   * The ticket's site for a caller limited to `scope` (null: every site). Another site's ticket
   * is answered exactly as a missing one (same 404, same message), so a customer learns neither
   * that it exists nor which site it belongs to.
   */
  async siteFor(id: number, scope: string | null): Promise<string> {
    const site = await this.siteOf(id);
    if (scope !== null && site !== scope) throw noTicket(id);
    return site;
  }

  async get(id: number, now: Date): Promise<Ticket> {
    return this.view((await this.raw(id)), now, new Map());
  }

  /** Tickets matching the filters, newest first; `overdue` is judged as of `now`. */
  async list(q: TicketFilter & { scopeSite?: string | null }, now: Date): Promise<Ticket[]> {
    const where: string[] = [];
    const args: Param[] = [];
    const site = q.scopeSite ?? q.site;
    if (q.scopeSite && q.site && q.site !== q.scopeSite) return [];
    if (site) (where.push('s.name = ?'), args.push(site));
    if (q.device) (where.push('d.hostname = ?'), args.push(q.device));
    if (q.status === 'active') where.push("t.status <> 'closed'");
    else if (q.status) (where.push('t.status = ?'), args.push(q.status));
    if (q.priority) (where.push('t.priority = ?'), args.push(q.priority));
    const limit = q.limit ?? 200;
    // Without the overdue filter (which depends on `now`) the database stops at the limit.
    if (q.overdue === undefined) args.push(limit);
    const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.opened_at DESC, t.id DESC${q.overdue === undefined ? ' LIMIT ?' : ''}`;
    const profiles = new Map<string, SlaProfile>();
    const out: Ticket[] = [];
    // Overdue depends on `now`, so it is filtered here rather than in SQL.
    for (const raw of await this.store.all<RawTicket>(sql, args)) {
      const t = await this.view(raw, now, profiles);
      if (q.overdue !== undefined && t.overdue !== q.overdue) continue;
      out.push(t);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Open (not closed) and overdue counts, for /metrics. */
  async counts(now: Date): Promise<{ open: number; overdue: number }> {
    const active = await this.list({ status: 'active', limit: 1_000_000 }, now);
    return { open: active.length, overdue: active.filter((t) => t.overdue).length };
  }

  private async view(t: RawTicket, now: Date, profiles: Map<string, SlaProfile>): Promise<Ticket> {
    // The limits the ticket was opened with (parsed once per distinct snapshot).
    let sla = profiles.get(t.sla_profile);
    if (!sla) profiles.set(t.sla_profile, (sla = slaProfile(JSON.parse(t.sla_profile))));
    const events: TicketEvent[] = (await this.store.all<RawEvent>(this.s.events, [t.id])).map((e) => ({
      event: e.event,
      by: e.by_name,
      at: iso(e.at),
      ...(e.note !== null ? { note: e.note } : {}),
    }));
    const recoveredAt = isoOrNull(t.recovered_at);
    const rawParts = (await this.store.all<RawPart>(this.s.parts, [t.id]));
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
    const serviceReports: ServiceReport[] = (await this.store.all<RawServiceReport>(this.s.reports, [t.id])).map((r) => ({
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
