import {
  EscalationChain,
  NotifyRuleInput,
  NotifySettings,
  RotaEntryInput,
  validate,
  type EscalationStep,
  type NotifyRule,
  type OutboxEntry,
  type RotaEntry,
} from '../../schemas/index.js';
import { EDITORS } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import { assertActorSite, assertRole, auditedChange, type ActionContext, type Actor } from '../users/index.js';
import { NotifyRepository, outboxEntry, rotaEntry, type OutboxRow } from './repository.js';

/** Who may read and change a site's notification settings (engineers and admins; never customers: the rota holds people's addresses). */
export const NOTIFY_ROLES = EDITORS;

/**
 * Every change to a site's notifications, as the API and the dashboard both make it: role, site,
 * validation, the change and its audit entry in one transaction.
 */
export class NotifyActions {
  readonly repo: NotifyRepository;

  constructor(private readonly ctx: ActionContext) {
    this.repo = ctx.repos.notify;
  }

  private async site(actor: Actor, site: string, what: string): Promise<void> {
    assertRole(actor, NOTIFY_ROLES, what);
    assertActorSite(actor, site, `${what} at site ${site}`);
    if (!(await this.ctx.repos.sites.get(site))) throw notFound(`no site ${site}`);
  }

  private async change<T>(actor: Actor, site: string, action: string, detail: string, change: () => T | Promise<T>): Promise<T> {
    return auditedChange(this.ctx, actor, change, () => ({ action, site, subject: 'notify', detail }));
  }

  async view(actor: Actor, site: string) {
    await this.site(actor, site, 'reading notification settings');
    return {
      settings: await this.repo.settings(site),
      rules: await this.repo.rules(site),
      rota: (await this.repo.rota(site)).map(rotaEntry),
      escalation: await this.repo.escalation(site),
    };
  }

  async addRule(actor: Actor, site: string, body: unknown): Promise<NotifyRule> {
    await this.site(actor, site, 'changing notification rules');
    const input = validate(NotifyRuleInput, body, 'notification rule');
    return this.change(actor, site, 'notify.rule.add', JSON.stringify(input), () => this.repo.addRule(site, input, actor.name, this.ctx.clock().getTime()));
  }

  async deleteRule(actor: Actor, site: string, id: number): Promise<void> {
    await this.site(actor, site, 'changing notification rules');
    await this.change(actor, site, 'notify.rule.delete', `#${id}`, async () => {
      if (!(await this.repo.deleteRule(site, id))) throw notFound(`no notification rule ${id}`);
    });
  }

  async addRota(actor: Actor, site: string, body: unknown): Promise<RotaEntry> {
    await this.site(actor, site, 'changing the rota');
    const input = validate(RotaEntryInput, body, 'rota entry');
    if (input.special && (!input.from || !input.until)) throw badRequest('validation', 'a special period (节假日值守) needs from and until', { key: 'specialPeriodDates', args: {} });
    if (input.from && input.until && Date.parse(input.until) <= Date.parse(input.from)) throw badRequest('validation', 'until must be after from', { key: 'untilAfterFrom', args: {} });
    return this.change(actor, site, 'notify.rota.add', `${input.person} ${input.role}`, () => this.repo.addRota(site, input, actor.name, this.ctx.clock().getTime()));
  }

  async deleteRota(actor: Actor, site: string, id: number): Promise<void> {
    await this.site(actor, site, 'changing the rota');
    await this.change(actor, site, 'notify.rota.delete', `#${id}`, async () => {
      if (!(await this.repo.deleteRota(site, id))) throw notFound(`no rota entry ${id}`);
    });
  }

  async setEscalation(actor: Actor, site: string, body: unknown): Promise<EscalationStep[]> {
    await this.site(actor, site, 'changing the escalation chain');
    const input = validate(EscalationChain, body, 'escalation chain');
    for (let i = 1; i < input.steps.length; i++) {
      if (input.steps[i]!.afterMinutes <= input.steps[i - 1]!.afterMinutes) throw badRequest('validation', `escalation step ${i + 1} must come later than step ${i}`, { key: 'escalationOrder', args: { step: i + 1 } });
    }
    await this.change(actor, site, 'notify.escalation.set', JSON.stringify(input.steps), () => this.repo.setEscalation(site, input.steps));
    return this.repo.escalation(site);
  }

  async setSettings(actor: Actor, site: string, body: unknown) {
    await this.site(actor, site, 'changing notification settings');
    validate(NotifySettings, body, 'notification settings');
    const overrides = body as Partial<NotifySettings>;
    await this.change(actor, site, 'notify.settings.set', JSON.stringify(overrides), () => this.repo.setSettings(site, overrides, actor.name, this.ctx.clock().getTime()));
    return this.repo.settings(site);
  }

  async outbox(actor: Actor, site: string, state?: OutboxRow['state'], limit = 100): Promise<OutboxEntry[]> {
    await this.site(actor, site, 'reading the outbox');
    return (await this.repo.outbox(site, state, limit)).map(outboxEntry);
  }

  /** Sends a dead letter again (after its channel or the rota was fixed). */
  async retry(actor: Actor, site: string, id: number): Promise<void> {
    await this.site(actor, site, 'sending a dead letter again');
    await this.change(actor, site, 'notify.retry', `#${id}`, async () => {
      if (!(await this.repo.revive(site, id, this.ctx.clock().getTime()))) throw notFound(`no dead letter ${id}`);
    });
  }
}
