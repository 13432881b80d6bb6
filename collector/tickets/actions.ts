import {
  DeviceSilenceInput,
  EmergencyPlanInput,
  PartDispositionInput,
  PartNeededInput,
  PartReplacementInput,
  ServiceReportInput,
  SlaProfileInput,
  TicketAssignInput,
  TicketCreate,
  TicketReclassifyInput,
  validate,
  type SlaProfile,
  type Ticket,
} from '../../schemas/index.js';
import { EDITORS } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import type { TokenRole } from '../repositories/index.js';
import { actorSees, assertActorSite, assertRole, auditedChange, type ActionContext, type Actor } from '../users/index.js';
import { STEPS, type StepName } from './lifecycle.js';
import { isSiteEngineer } from './people.js';
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
  assign: EDITORS,
  reclassify: EDITORS,
  emergencyPlan: EDITORS,
  partNeeded: EDITORS,
  /** Choosing a reported fault's priority or emergency: a customer's report gets the site's mapping. */
  choosePriority: EDITORS,
} as const satisfies Record<string, readonly TokenRole[]>;

/**
 * Every change to a ticket or a site's ticket settings, as the API and the dashboard both make
 * it: role, site, validation, the change and its audit entry (one transaction). A new step of
 * the lifecycle is added here (and to `STEPS`), and both paths have it.
 */
export class TicketActions {
  readonly tickets: TicketsRepository;

  constructor(private readonly ctx: ActionContext) {
    this.tickets = ctx.repos.tickets;
  }

  /**
   * The one place every change to a ticket goes through: the change and its audit entry in one
   * transaction. (A notification of the change is one line here.)
   */
  private async change<T>(actor: Actor, site: string, id: number, action: string, make: () => T | Promise<T>, detail: (result: T) => string | null): Promise<T> {
    return auditedChange(this.ctx, actor, make, (r) => ({ action: `ticket.${action}`, site, subject: `#${id}`, detail: detail(r) }));
  }

  /**
   * A person a ticket may be given to: an engineer or admin, not disabled, who has access to the
   * site (an engineer without sites sees every site). 400 otherwise, naming the person.
   */
  private async assertPersonOfSite(name: string, site: string, what: string): Promise<void> {
    if (!isSiteEngineer(await this.ctx.repos.users.get(name), site)) throw badRequest('not_a_site_engineer', `${what} ${name} is not an engineer with access to site ${site}`, { key: 'notSiteEngineer', args: {} });
  }

  private async assertPeople(site: string, people: { assignee?: string | null; backup?: string | null }): Promise<void> {
    if (people.assignee) await this.assertPersonOfSite(people.assignee, site, 'assignee');
    if (people.backup) await this.assertPersonOfSite(people.backup, site, 'backup engineer');
    if (people.assignee && people.assignee === people.backup) throw badRequest('same_person', 'the backup engineer must be another person than the assignee', { key: 'backupSameAsAssignee', args: {} });
  }

  /** The ticket's site, after checking the actor may act there (404 for no such ticket). */
  private async siteFor(actor: Actor, id: number): Promise<string> {
    const site = await this.tickets.siteOf(id);
    // Another site's ticket answers as a missing one: a 403 would say that it exists, and where.
    if (!actorSees(actor, site)) throw notFound(`no ticket ${id}`);
    return site;
  }

  /** A fault reported by hand. `created: false`: the device already had this ticket open. */
  async open(actor: Actor, body: TicketCreate): Promise<{ ticket: Ticket; created: boolean }> {
    assertRole(actor, TICKET_ROLES.open, 'reporting a fault');
    const input = validate(TicketCreate, body, 'ticket');
    assertActorSite(actor, input.site, `report a fault at site ${input.site}`);
    // A customer reports; the priority is the contract's mapping (a forged form or API call is refused, not ignored).
    if (input.priority !== undefined || input.emergency !== undefined) assertRole(actor, TICKET_ROLES.choosePriority, "choosing a reported fault's priority");
    const site = await this.ctx.repos.sites.get(input.site);
    if (!site) throw notFound(`no site ${input.site}`);
    const subject = input.subject ?? 'manual';
    // A device named but not on record is entered by hand now; no device at all is a service request.
    const known = input.device === undefined ? undefined : (await this.ctx.repos.devices.get(input.site, input.device));
    if (input.device === undefined && subject !== 'manual') throw badRequest('device_required', `a ticket about ${subject} needs a device`);
    const existing = known && subject !== 'manual' ? await this.tickets.active(known.id, subject) : undefined;
    if (existing) return { ticket: await this.tickets.get(existing.id, this.ctx.clock()), created: false };
    // A customer reports; who works on it is the service company's choice.
    if (input.assignee || input.backup) assertRole(actor, TICKET_ROLES.assign, 'assigning a ticket');
    await this.assertPeople(input.site, input);
    const sla = await this.tickets.sla(input.site);
    const now = this.ctx.clock();
    const kind = known?.kind ?? input.deviceKind ?? 'server';
    // A service request without a device is a non-fault request: P4 (SPEC) unless given.
    const priority = input.priority ?? (input.device === undefined ? 'P4' : priorityFor({ subject, kind, role: known?.role ?? null }, sla.priorityRules));
    const { id, created } = await auditedChange(
      this.ctx,
      actor,
      async () => {
        const device = known ?? (input.device !== undefined ? (await this.ctx.repos.devices.createManual(input.site, { hostname: input.device, kind, by: actor.name }, now.getTime())) : undefined);
        const ticketId = await this.tickets.open({
          siteId: site.id,
          deviceId: device?.id ?? null,
          subject,
          priority,
          emergency: input.emergency ?? isEmergency(priority, sla),
          symptom: input.symptom,
          suspectedCause: input.suspectedCause ?? null,
          deviceModel: input.deviceModel ?? device?.model ?? null,
          sla,
          assignee: input.assignee ?? null,
          backup: input.backup ?? null,
          by: actor,
          at: now.getTime(),
        });
        return { id: ticketId, created: known === undefined && device !== undefined ? device.hostname : null };
      },
      (r) => ({
        action: 'ticket.open',
        site: input.site,
        subject: `#${r.id}`,
        detail: r.created ? `${input.symptom} (device ${r.created} entered by hand)` : input.symptom,
      }),
    );
    return { ticket: await this.tickets.get(id, now), created: true };
  }

  /** Assignee and backup engineer: users with access to the ticket's site (400 otherwise). Audited. */
  async assign(actor: Actor, id: number, body: unknown): Promise<Ticket> {
    assertRole(actor, TICKET_ROLES.assign, 'assigning a ticket');
    const input = validate(TicketAssignInput, body, 'assignment');
    const site = await this.siteFor(actor, id);
    await this.assertPeople(site, input);
    const now = this.ctx.clock();
    await this.change(actor, site, id, 'assign', () => this.tickets.assign(id, input, actor, now.getTime()), (note) => note);
    return await this.tickets.get(id, now);
  }

  /** A new priority with a required reason, kept in the ticket's events and the audit log. */
  async reclassify(actor: Actor, id: number, body: unknown): Promise<Ticket> {
    assertRole(actor, TICKET_ROLES.reclassify, 'reclassifying a ticket');
    const input = validate(TicketReclassifyInput, body, 'reclassification');
    if (input.reason.trim() === '') throw badRequest('reason_required', 'reclassifying a ticket needs a reason', { key: 'reclassifyReason', args: {} });
    const site = await this.siteFor(actor, id);
    const now = this.ctx.clock();
    await this.change(actor, site, id, 'reclassify', () => this.tickets.reclassify(id, input.priority, input.reason.trim(), actor, now.getTime()), (note) => note);
    return await this.tickets.get(id, now);
  }

  /** 启动应急预案: owner (a user of the site) and deadline; after an on-site visit (409 otherwise). */
  async startEmergencyPlan(actor: Actor, id: number, body: unknown): Promise<Ticket> {
    assertRole(actor, TICKET_ROLES.emergencyPlan, 'starting the emergency plan');
    const input = validate(EmergencyPlanInput, body, 'emergency plan');
    const site = await this.siteFor(actor, id);
    await this.assertPersonOfSite(input.owner, site, 'emergency plan owner');
    const now = this.ctx.clock();
    await this.change(actor, site, id, 'emergency-plan', () => this.tickets.startEmergencyPlan(id, input, actor, now.getTime()), () => `owner ${input.owner}, due ${input.due}`);
    return await this.tickets.get(id, now);
  }

  /** A spare part is needed: the part-replacement clock runs from arrival on site. */
  async partNeeded(actor: Actor, id: number, body: unknown): Promise<Ticket> {
    assertRole(actor, TICKET_ROLES.partNeeded, 'declaring a part needed');
    const input = validate(PartNeededInput, body ?? {}, 'part needed');
    const site = await this.siteFor(actor, id);
    const now = this.ctx.clock();
    const note = [input.part, input.note].filter(Boolean).join(': ') || null;
    await this.change(actor, site, id, 'part-needed', () => this.tickets.partNeeded(id, note, actor, now.getTime()), () => note);
    return await this.tickets.get(id, now);
  }

  /** What became of a replaced part (returned to the customer, kept, destroyed, other), who received it and when. */
  async setPartDisposition(actor: Actor, id: number, partId: number, body: unknown): Promise<Ticket> {
    assertRole(actor, TICKET_ROLES.part, 'a part disposition');
    const input = validate(PartDispositionInput, body, 'part disposition');
    const site = await this.siteFor(actor, id);
    const now = this.ctx.clock();
    await this.change(
      actor,
      site,
      id,
      'part-disposition',
      () => this.tickets.setPartDisposition(id, partId, input, now.getTime()),
      () => `part ${partId}: ${input.disposition}${input.receivedBy ? `, received by ${input.receivedBy}` : ''}`,
    );
    return await this.tickets.get(id, now);
  }

  /** A lifecycle step (respond, on-site, resolve, confirm, close); 409 from the wrong status. */
  async step(actor: Actor, id: number, step: StepName, note?: string): Promise<Ticket> {
    assertRole(actor, STEPS[step].roles, step);
    const site = await this.siteFor(actor, id);
    const now = this.ctx.clock();
    await this.change(actor, site, id, step, () => this.tickets.step(id, step, actor, now.getTime(), note || undefined), () => note || null);
    return await this.tickets.get(id, now);
  }

  /** 现场服务报告: while on site or resolved (409 otherwise). */
  async addServiceReport(actor: Actor, id: number, body: unknown): Promise<Ticket> {
    assertRole(actor, TICKET_ROLES.serviceReport, 'a service report');
    const input = validate(ServiceReportInput, body, 'service report');
    const site = await this.siteFor(actor, id);
    const now = this.ctx.clock();
    await this.change(actor, site, id, 'service-report', () => this.tickets.addServiceReport(id, input, actor, now.getTime()), () => input.result);
    return await this.tickets.get(id, now);
  }

  /** A spare part replaced: part, old and new serial. */
  async addPart(actor: Actor, id: number, body: unknown): Promise<Ticket> {
    assertRole(actor, TICKET_ROLES.part, 'a replaced part');
    const input = validate(PartReplacementInput, body, 'part');
    const site = await this.siteFor(actor, id);
    const now = this.ctx.clock();
    await this.change(actor, site, id, 'part', () => this.tickets.addPart(id, input, actor, now.getTime()), () => `${input.part}: ${input.oldSerial} → ${input.newSerial}${input.disposition ? ` (${input.disposition})` : ''}`);
    return await this.tickets.get(id, now);
  }

  /**
   * The site's SLA overrides (time limits, priority rules, missed reports). The audit entry keeps
   * the overrides before and after, so a changed priority rule or time limit can be traced.
   * Applies to tickets opened from now on: each ticket keeps the limits it was opened with.
   */
  async setSla(actor: Actor, site: string, body: unknown): Promise<{ profile: SlaProfile; overrides: SlaProfileInput }> {
    assertRole(actor, TICKET_ROLES.sla, 'changing the SLA profile');
    assertActorSite(actor, site, `change the SLA of site ${site}`);
    if (!(await this.ctx.repos.sites.get(site))) throw notFound(`no site ${site}`);
    const input = validate(SlaProfileInput, body, 'SLA profile');
    const before = await this.tickets.slaOverrides(site);
    const profile = await auditedChange(
      this.ctx,
      actor,
      () => this.tickets.setSla(site, input, actor, this.ctx.clock().getTime()),
      () => ({ action: 'sla.set', site, subject: 'sla', detail: JSON.stringify({ before, after: input }) }),
    );
    return { profile, overrides: input };
  }

  /** A device's expected report interval and missed reports before it is down. */
  async setSilence(actor: Actor, site: string, hostname: string, body: unknown): Promise<{ site: string; hostname: string; expectedIntervalSeconds: number | null; missedReports: number | null }> {
    assertRole(actor, TICKET_ROLES.silence, 'changing silence settings');
    assertActorSite(actor, site, `change devices of site ${site}`);
    const input = validate(DeviceSilenceInput, body, 'silence settings');
    const device = await this.ctx.repos.devices.get(site, hostname);
    if (!device) throw notFound(`no device ${hostname} at site ${site}`);
    await auditedChange(
      this.ctx,
      actor,
      async () => {
        if (input.expectedIntervalSeconds !== undefined) (await this.ctx.repos.devices.update(device.id, { expectedIntervalS: input.expectedIntervalSeconds }));
        if (input.missedReports !== undefined) await this.tickets.setMissedReports(device.id, input.missedReports);
      },
      () => ({ action: 'device.silence', site, subject: hostname, detail: JSON.stringify(input) }),
    );
    const updated = (await this.ctx.repos.devices.get(site, hostname))!;
    return {
      site,
      hostname,
      expectedIntervalSeconds: updated.effectiveIntervalS,
      missedReports: (await this.tickets.missedReports(device.id)) ?? (await this.tickets.sla(site)).missedReports,
    };
  }
}
