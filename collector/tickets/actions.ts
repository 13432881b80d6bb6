import {
  DeviceSilenceInput,
  PartReplacementInput,
  ServiceReportInput,
  SlaProfileInput,
  TicketCreate,
  validate,
  type SlaProfile,
  type Ticket,
} from '../../schemas/index.js';
import { EDITORS } from '../auth.js';
import { notFound } from '../errors.js';
import type { TokenRole } from '../repositories/index.js';
import { actorSees, assertActorSite, assertRole, auditedChange, type ActionContext, type Actor } from '../users/index.js';
import { STEPS, type StepName } from './lifecycle.js';
import { priorityFor } from './priority.js';
import { TicketsRepository } from './repository.js';
import { isEmergency } from './sla.js';

/**
 * Who may do what to a ticket — declared once; the API routes take their `config.auth` from here
 * and the actions check it again for the dashboard, so both paths enforce the same rule.
 */
export const TICKET_ROLES = {
  open: [...EDITORS, 'customer'],
  serviceReport: EDITORS,
  part: EDITORS,
  sla: ['admin'],
  silence: EDITORS,
} as const satisfies Record<string, readonly TokenRole[]>;

/**
 * Every change to a ticket or a site's ticket settings, as the API and the dashboard both make
 * it: role, site, validation, the change and its audit entry (one transaction). A new step of
 * the lifecycle is added here (and to `STEPS`), and both paths have it.
 */
export class TicketActions {
  readonly tickets: TicketsRepository;

  constructor(private readonly ctx: ActionContext) {
    this.tickets = new TicketsRepository(ctx.db);
  }

  /** The ticket's site, after checking the actor may act there (404 for no such ticket). */
  private siteFor(actor: Actor, id: number): string {
    const site = this.tickets.siteOf(id);
    // Another site's ticket answers as a missing one: a 403 would say that it exists, and where.
    if (!actorSees(actor, site)) throw notFound(`no ticket ${id}`);
    return site;
  }

  /** A fault reported by hand. `created: false`: the device already had this ticket open. */
  open(actor: Actor, body: TicketCreate): { ticket: Ticket; created: boolean } {
    assertRole(actor, TICKET_ROLES.open, 'reporting a fault');
    const input = validate(TicketCreate, body, 'ticket');
    assertActorSite(actor, input.site, `report a fault at site ${input.site}`);
    const device = this.ctx.repos.devices.get(input.site, input.device);
    if (!device) throw notFound(`no device ${input.device} at site ${input.site}`);
    const subject = input.subject ?? 'manual';
    const sla = this.tickets.sla(input.site);
    const existing = subject === 'manual' ? undefined : this.tickets.active(device.id, subject);
    if (existing) return { ticket: this.tickets.get(existing.id, this.ctx.clock()), created: false };
    const now = this.ctx.clock();
    const priority = input.priority ?? priorityFor({ subject, kind: device.kind, role: device.role }, sla.priorityRules);
    const id = auditedChange(
      this.ctx,
      actor,
      () =>
        this.tickets.open({
          deviceId: device.id,
          subject,
          priority,
          emergency: input.emergency ?? isEmergency(priority, sla),
          symptom: input.symptom,
          suspectedCause: input.suspectedCause ?? null,
          deviceModel: input.deviceModel ?? device.model,
          by: actor,
          at: now.getTime(),
        }),
      (ticketId) => ({ action: 'ticket.open', site: input.site, subject: `#${ticketId}`, detail: input.symptom }),
    );
    return { ticket: this.tickets.get(id, now), created: true };
  }

  /** A lifecycle step (respond, on-site, resolve, confirm, close); 409 from the wrong status. */
  step(actor: Actor, id: number, step: StepName, note?: string): Ticket {
    assertRole(actor, STEPS[step].roles, step);
    const site = this.siteFor(actor, id);
    const now = this.ctx.clock();
    auditedChange(
      this.ctx,
      actor,
      () => this.tickets.step(id, step, actor, now.getTime(), note || undefined),
      () => ({ action: `ticket.${step}`, site, subject: `#${id}`, detail: note || null }),
    );
    return this.tickets.get(id, now);
  }

  /** 现场服务报告: while on site or resolved (409 otherwise). */
  addServiceReport(actor: Actor, id: number, body: unknown): Ticket {
    assertRole(actor, TICKET_ROLES.serviceReport, 'a service report');
    const input = validate(ServiceReportInput, body, 'service report');
    const site = this.siteFor(actor, id);
    const now = this.ctx.clock();
    auditedChange(
      this.ctx,
      actor,
      () => this.tickets.addServiceReport(id, input, actor, now.getTime()),
      () => ({ action: 'ticket.service-report', site, subject: `#${id}`, detail: input.result }),
    );
    return this.tickets.get(id, now);
  }

  /** A spare part replaced: part, old and new serial. */
  addPart(actor: Actor, id: number, body: unknown): Ticket {
    assertRole(actor, TICKET_ROLES.part, 'a replaced part');
    const input = validate(PartReplacementInput, body, 'part');
    const site = this.siteFor(actor, id);
    const now = this.ctx.clock();
    auditedChange(
      this.ctx,
      actor,
      () => this.tickets.addPart(id, input, actor, now.getTime()),
      () => ({ action: 'ticket.part', site, subject: `#${id}`, detail: `${input.part}: ${input.oldSerial} → ${input.newSerial}` }),
    );
    return this.tickets.get(id, now);
  }

  /**
   * The site's SLA overrides (time limits, priority rules, missed reports). The audit entry keeps
   * the overrides before and after, so a changed priority rule or time limit can be traced.
   */
  setSla(actor: Actor, site: string, body: unknown): { profile: SlaProfile; overrides: SlaProfileInput } {
    assertRole(actor, TICKET_ROLES.sla, 'changing the SLA profile');
    assertActorSite(actor, site, `change the SLA of site ${site}`);
    if (!this.ctx.repos.sites.get(site)) throw notFound(`no site ${site}`);
    const input = validate(SlaProfileInput, body, 'SLA profile');
    const before = this.tickets.slaOverrides(site);
    const profile = auditedChange(
      this.ctx,
      actor,
      () => this.tickets.setSla(site, input, actor, this.ctx.clock().getTime()),
      () => ({ action: 'sla.set', site, subject: 'sla', detail: JSON.stringify({ before, after: input }) }),
    );
    return { profile, overrides: input };
  }

  /** A device's expected report interval and missed reports before it is down. */
  setSilence(actor: Actor, site: string, hostname: string, body: unknown): { site: string; hostname: string; expectedIntervalSeconds: number | null; missedReports: number | null } {
    assertRole(actor, TICKET_ROLES.silence, 'changing silence settings');
    assertActorSite(actor, site, `change devices of site ${site}`);
    const input = validate(DeviceSilenceInput, body, 'silence settings');
    const device = this.ctx.repos.devices.get(site, hostname);
    if (!device) throw notFound(`no device ${hostname} at site ${site}`);
    auditedChange(
      this.ctx,
      actor,
      () => {
        if (input.expectedIntervalSeconds !== undefined) this.ctx.repos.devices.update(device.id, { expectedIntervalS: input.expectedIntervalSeconds });
        if (input.missedReports !== undefined) this.tickets.setMissedReports(device.id, input.missedReports);
      },
      () => ({ action: 'device.silence', site, subject: hostname, detail: JSON.stringify(input) }),
    );
    const updated = this.ctx.repos.devices.get(site, hostname)!;
    return {
      site,
      hostname,
      expectedIntervalSeconds: updated.effectiveIntervalS,
      missedReports: this.tickets.missedReports(device.id) ?? this.tickets.sla(site).missedReports,
    };
  }
}
