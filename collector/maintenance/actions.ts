import {
  MaintenanceRequestInput,
  MaintenanceRequestPatch,
  validate,
  type MaintenanceRequest,
  type MaintenanceStatus,
} from '../../schemas/index.js';
import { EDITORS } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import type { TokenRole } from '../repositories/index.js';
import { actorSees, assertActorSite, assertRole, auditedChange, type ActionContext, type Actor } from '../users/index.js';
import { MaintenanceRepository } from './repository.js';

export type MaintenanceDecisionName = 'approve' | 'reject' | 'cancel';

/** Who may file, change and decide maintenance requests — one declaration for the API and the dashboard. */
export const MAINTENANCE_ROLES = {
  request: EDITORS,
  update: EDITORS,
  /** The customer's written approval (service plan 5.3), and its refusal. */
  approve: ['customer'],
  reject: ['customer'],
  cancel: EDITORS,
} as const satisfies Record<string, readonly TokenRole[]>;

const STATUS_OF: Record<MaintenanceDecisionName, Exclude<MaintenanceStatus, 'requested'>> = { approve: 'approved', reject: 'rejected', cancel: 'cancelled' };

/**
 * Every change to a maintenance request, as the API and the dashboard both make it: role, site,
 * validation (the 24 h rule in the repository, devices that exist here), the change and its audit
 * entry in one transaction.
 */
export class MaintenanceActions {
  readonly requests: MaintenanceRepository;

  constructor(private readonly ctx: ActionContext) {
    this.requests = new MaintenanceRepository(ctx.db);
  }

  /** 400 listing the devices the site does not have: an approved window for them would suppress nothing. */
  private assertDevicesExist(site: string, devices: readonly string[]): void {
    const unknown = devices.filter((d) => !this.ctx.repos.devices.get(site, d));
    if (unknown.length) throw badRequest('unknown_devices', `no such device at site ${site}: ${unknown.join(', ')}`);
  }

  /** The request's site, after checking the actor may act there (404 for no such request). */
  private siteFor(actor: Actor, id: number): string {
    const site = this.requests.get(id).site;
    // Another site's request answers as a missing one: a 403 would say that it exists, and where.
    if (!actorSees(actor, site)) throw notFound(`no maintenance request ${id}`);
    return site;
  }

  request(actor: Actor, body: unknown): MaintenanceRequest {
    assertRole(actor, MAINTENANCE_ROLES.request, 'filing a maintenance request');
    const input = validate(MaintenanceRequestInput, body, 'maintenance request');
    assertActorSite(actor, input.site, `file maintenance at site ${input.site}`);
    this.assertDevicesExist(input.site, input.devices);
    return auditedChange(
      this.ctx,
      actor,
      () => this.requests.create(input, actor.name, this.ctx.clock()),
      (m) => ({ action: 'maintenance.request', site: m.site, subject: `#${m.id}`, detail: input.purpose }),
    );
  }

  update(actor: Actor, id: number, body: unknown): MaintenanceRequest {
    assertRole(actor, MAINTENANCE_ROLES.update, 'changing a maintenance request');
    const patch = validate(MaintenanceRequestPatch, body, 'maintenance request');
    const site = this.siteFor(actor, id);
    if (patch.devices) this.assertDevicesExist(site, patch.devices);
    return auditedChange(this.ctx, actor, () => this.requests.update(id, patch, this.ctx.clock()), () => ({ action: 'maintenance.update', site, subject: `#${id}` }));
  }

  decide(actor: Actor, id: number, decision: MaintenanceDecisionName, note?: string): MaintenanceRequest {
    assertRole(actor, MAINTENANCE_ROLES[decision], `${decision} of a maintenance request`);
    const site = this.siteFor(actor, id);
    return auditedChange(
      this.ctx,
      actor,
      () => this.requests.decide(id, STATUS_OF[decision], actor.name, this.ctx.clock(), note || undefined),
      () => ({ action: `maintenance.${decision}`, site, subject: `#${id}`, detail: note || null }),
    );
  }
}
