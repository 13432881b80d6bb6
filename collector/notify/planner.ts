import type { Lang, NotifyAudience, NotifyRule, NotifySettings, Priority } from '../../schemas/index.js';
import type { Repositories } from '../repositories/index.js';
import type { Store } from '../storage/store.js';
import { foldInto, renderMessage, type MessageFacts } from './catalogue.js';
import type { ChannelDirectory } from './channels/types.js';
import { FactsReader, linkFor } from './facts.js';
import { releaseAt } from './quiet.js';
import { NotifyRepository, type EventRow } from './repository.js';
import { onDuty } from './rota.js';

/** Where one event goes: a channel and who on it. */
interface Route {
  channel: string;
  audience: NotifyAudience;
  lang: Lang;
}

/** One delivery to make (or a dead letter saying why it cannot be made). */
interface Recipient {
  name: string;
  address: string | null;
  lang: Lang;
  /** Why nothing can be sent (nobody on duty, no address): stored as a dead letter, visible in the dashboard. */
  undeliverable?: string;
}

export interface PlanResult {
  events: number;
  deliveries: number;
  folded: number;
  unrouted: number;
}

const matches = (rule: NotifyRule, e: EventRow, priority: Priority | undefined) =>
  (rule.event === '*' || rule.event === e.kind) && (rule.priorities === '*' || priority === undefined || rule.priorities.includes(priority));

/**
 * Turns journal events into outbox rows: the site's routing rules (or an escalation step's own
 * route), the people the rota names at the event's time, each in their language; quiet hours
 * postpone what is not urgent; grouping folds events of one kind and priority into the message
 * still waiting for the same recipient. Each event is planned in ONE transaction with its rows
 * and its `planned_at` stamp, so a crash plans it again whole or not at all.
 */
export class NotifyPlanner {
  readonly repo: NotifyRepository;
  private readonly facts: FactsReader;

  constructor(
    private readonly store: Store,
    private readonly repos: Repositories,
    private readonly channels: ChannelDirectory,
  ) {
    this.repo = repos.notify;
    this.facts = new FactsReader(store, repos);
  }

  async plan(now: Date, dashboardUrl: string, limit = 200): Promise<PlanResult> {
    const result: PlanResult = { events: 0, deliveries: 0, folded: 0, unrouted: 0 };
    for (const e of await this.repo.unplanned(limit)) {
      await this.store.transaction(() => this.planOne(e, now, dashboardUrl, result));
      result.events++;
    }
    return result;
  }

  private async routes(e: EventRow, priority: Priority | undefined): Promise<Route[]> {
    if (e.kind === 'ticket.escalated') {
      return [{ channel: String(e.detail.channel), audience: e.detail.audience as NotifyAudience, lang: 'zh' }];
    }
    return (await this.repo.rules(e.site)).filter((r) => matches(r, e, priority)).map((r) => ({ channel: r.channel, audience: r.audience, lang: r.lang }));
  }

  private async recipients(e: EventRow, route: Route): Promise<Recipient[]> {
    if (route.audience === 'group') return [{ name: '*', address: null, lang: route.lang }];
    const people = onDuty(await this.repo.rota(e.site), route.audience, e.at);
    if (people.length === 0) return [{ name: `(${route.audience})`, address: null, lang: route.lang, undeliverable: `nobody on the rota as ${route.audience} at ${new Date(e.at).toISOString()}` }];
    const kind = (await this.channels.get(route.channel))?.kind;
    if (kind === 'email') {
      return people.map((p) => ({ name: p.person, address: p.email, lang: p.lang, ...(p.email ? {} : { undeliverable: `${p.person} has no e-mail address on the rota` }) }));
    }
    // A chat robot posts to one group: one message per language, naming the people it is for.
    const byLang = new Map<Lang, string[]>();
    for (const p of people) byLang.set(p.lang, [...(byLang.get(p.lang) ?? []), p.person]);
    return [...byLang].map(([lang, names]) => ({ name: names.join(', '), address: null, lang }));
  }

  private async planOne(e: EventRow, now: Date, base: string, result: PlanResult): Promise<void> {
    const nowMs = now.getTime();
    // Another collector planned it meanwhile: nothing to add (this transaction then writes nothing).
    if (!(await this.repo.markPlanned(e.id, nowMs))) return;
    const facts = await this.facts.read(e, base, now);
    if (!facts) return;
    const routes = await this.routes(e, facts.priority);
    if (routes.length === 0) result.unrouted++;
    const settings = await this.repo.settings(e.site);
    const priority = facts.priority ?? null;
    const groupKey = [e.site, e.kind, priority ?? '-', facts.deadline ?? ''].join('|');
    // Two rules reaching one person on one channel make one message, not two.
    const reached = new Set<string>();
    for (const route of routes) {
      for (const to of await this.recipients(e, route)) {
        const key = `${route.channel}\u0000${to.name}`;
        if (reached.has(key)) continue;
        reached.add(key);
        await this.deliver(e, facts, settings, route, to, { groupKey, priority, nowMs, base }, result);
      }
    }
  }

  private async deliver(
    e: EventRow,
    facts: MessageFacts,
    settings: NotifySettings,
    route: Route,
    to: Recipient,
    at: { groupKey: string; priority: Priority | null; nowMs: number; base: string },
    result: PlanResult,
  ): Promise<void> {
    const message = renderMessage(to.lang, facts);
    const row = {
      eventId: e.id,
      site: e.site,
      kind: e.kind,
      channel: route.channel,
      recipient: to.name,
      address: to.address,
      lang: to.lang,
      priority: at.priority,
      groupKey: at.groupKey,
      message,
      createdAt: at.nowMs,
      nextAt: releaseAt(settings, at.priority, at.nowMs, (await this.repos.sites.timeZoneOf(e.site))),
    };
    if (to.undeliverable) {
      await this.repo.markDead(await this.repo.insertDelivery(row), to.undeliverable);
      result.deliveries++;
      return;
    }
    const window = settings.groupWindowSeconds * 1000;
    const latest = window > 0 ? await this.repo.latestInGroup(at.groupKey, route.channel, to.name, at.nowMs - window) : undefined;
    if (latest && latest.state === 'pending' && latest.attempts === 0) {
      const siteLink = linkFor(at.base, { site: e.site, ticketId: null, requestId: null, kind: e.kind });
      if (await this.repo.fold(latest.id, foldInto(to.lang, latest.message, latest.events + 1, facts, siteLink), latest.events + 1)) {
        result.folded++;
        return;
      }
    }
    // The group's last message already went (or is going): this one waits out the window, and
    // whatever else arrives meanwhile folds into it — at most one message per window per group.
    if (latest && latest.state !== 'dead') row.nextAt = Math.max(row.nextAt, latest.createdAt + window);
    await this.repo.insertDelivery(row);
    result.deliveries++;
  }
}
