import {
  MaintenanceFinish,
  MaintenanceRequestInput,
  MaintenanceRequestPatch,
  MaintenanceStart,
  validate,
  type MaintenanceRequest,
} from '../../schemas/index.js';
import { EDITORS } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import type { TokenRole } from '../repositories/index.js';
import { actorSees, assertActorSite, assertRole, auditedChange, type ActionContext, type Actor } from '../users/index.js';
import { MaintenanceRepository } from './repository.js';
import type { MaintenanceStep } from './rules.js';

export type MaintenanceDecisionName = 'approve' | 'reject' | 'cancel';
/** The steps of the execution, by the engineers. */
export type MaintenanceExecutionName = 'start' | 'complete' | 'rollback';

/** Who may file, change and decide maintenance requests — one declaration for the API and the dashboard. */
export const MAINTENANCE_ROLES = {
  request: EDITORS,
  update: EDITORS,
  /** The customer's written approval (service plan 5.3), and its refusal. */
  approve: ['customer'],
  reject: ['customer'],
  cancel: EDITORS,
  start: EDITORS,
  complete: EDITORS,
  rollback: EDITORS,
} as const satisfies Record<'request' | 'update' | MaintenanceStep, readonly TokenRole[]>;

/** A time a person gives for the work (`actualStart`/`actualEnd`), or now; never in the future. */
function givenTime(given: string | undefined, now: Date, field: string): number {
  if (given === undefined) return now.getTime();
  const at = Date.parse(given);
  if (at > now.getTime()) throw badRequest(`future_${field}`, `${field} (${given}) is in the future; record it when it has happened`, { key: 'timeInFuture', args: {} });
  return at;
}

/**
 * Every change to a maintenance request, as the API and the dashboard both make it: role, site,
 * validation (the 24 h rule in the repository, devices that exist here), the change and its audit
 * entry in one transaction.
 */
export class MaintenanceActions {
  readonly requests: MaintenanceRepository;

  constructor(private readonly ctx: ActionContext) {
    this.requests = ctx.repos.maintenance;
  }

  /** 400 listing the devices the site does not have: an approved window for them would suppress nothing. */
  private async assertDevicesExist(site: string, devices: readonly string[]): Promise<void> {
    const unknown: string[] = [];
    for (const d of devices) if (!(await this.ctx.repos.devices.get(site, d))) unknown.push(d);
    if (unknown.length) throw badRequest('unknown_devices', `no such device at site ${site}: ${unknown.join(', ')}`, { key: 'unknownDevices', args: { hosts: unknown.slice(0, 5) } });
  }

  /** The request's site, after checking the actor may act there (404 for no such request). */
  private async siteFor(actor: Actor, id: number): Promise<string> {
    const site = (await this.requests.get(id)).site;
    // Another site's request answers as a missing one: a 403 would say that it exists, and where.
    if (!actorSees(actor, site)) throw notFound(`no maintenance request ${id}`);
    return site;
  }

  async request(actor: Actor, body: unknown): Promise<MaintenanceRequest> {
    assertRole(actor, MAINTENANCE_ROLES.request, 'filing a maintenance request');
    const input = validate(MaintenanceRequestInput, body, 'maintenance request');
    assertActorSite(actor, input.site, `file maintenance at site ${input.site}`);
    await this.assertDevicesExist(input.site, input.devices);
    return auditedChange(
      this.ctx,
      actor,
      () => this.requests.create(input, actor.name, this.ctx.clock()),
      (m) => ({ action: 'maintenance.request', site: m.site, subject: `#${m.id}`, detail: input.purpose }),
    );
  }

  async update(actor: Actor, id: number, body: unknown): Promise<MaintenanceRequest> {
    assertRole(actor, MAINTENANCE_ROLES.update, 'changing a maintenance request');
    const patch = validate(MaintenanceRequestPatch, body, 'maintenance request');
    const site = await this.siteFor(actor, id);
    if (patch.devices) await this.assertDevicesExist(site, patch.devices);
    return auditedChange(this.ctx, actor, () => this.requests.update(id, patch, this.ctx.clock()), () => ({ action: 'maintenance.update', site, subject: `#${id}` }));
  }

  async decide(actor: Actor, id: number, decision: MaintenanceDecisionName, note?: string): Promise<MaintenanceRequest> {
    // A refusal says why: the engineer reads it to file a better request.
    if (decision === 'reject' && !note?.trim()) throw badRequest('note_required', 'a rejection needs a note saying why', { key: 'rejectionNote', args: {} });
    return this.step(actor, id, decision, note || null, async (by, now) => (await this.requests.decide(id, decision, by, now, note || undefined)));
  }

  /** The approved work begins (`actualStart`, default now). */
  async start(actor: Actor, id: number, body: unknown): Promise<MaintenanceRequest> {
    assertRole(actor, MAINTENANCE_ROLES.start, 'starting maintenance');
    const input = validate(MaintenanceStart, body ?? {}, 'maintenance start');
    return this.step(actor, id, 'start', input.note || null, async (by, now) => (await this.requests.start(id, by, givenTime(input.actualStart, now, 'actualStart'))));
  }

  /** The work ends: completed, or rolled back by the 应急方案 — with what was done and the outcome. */
  async finish(actor: Actor, id: number, how: 'complete' | 'rollback', body: unknown): Promise<MaintenanceRequest> {
    assertRole(actor, MAINTENANCE_ROLES[how], `${how} of maintenance`);
    const input = validate(MaintenanceFinish, body, `maintenance ${how}`);
    return this.step(actor, id, how, input.outcome, async (by, now) =>
      (await this.requests.finish(id, how, by, givenTime(input.actualEnd, now, 'actualEnd'), input.workDone, input.outcome)),
    );
  }

  /**
   * The one place every status change passes (decisions and execution): role, site, the change
   * and its audit entry `maintenance.<step>` in one transaction. Notifications of a change (one
   * awaiting approval, its decision) belong here too, after the change.
   */
  private async step(actor: Actor, id: number, step: MaintenanceStep, detail: string | null, change: (by: string, now: Date) => Promise<MaintenanceRequest>): Promise<MaintenanceRequest> {
    assertRole(actor, MAINTENANCE_ROLES[step], `${step} of a maintenance request`);
    const site = await this.siteFor(actor, id);
    return auditedChange(
      this.ctx,
      actor,
      () => change(actor.name, this.ctx.clock()),
      () => ({ action: `maintenance.${step}`, site, subject: `#${id}`, detail }),
    );
  }
}
