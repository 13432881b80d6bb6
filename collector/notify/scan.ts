import { localMonth, zonedInstant } from '../../checks/index.js';
import type { Repositories } from '../repositories/index.js';
import type { Store } from '../storage/store.js';
import { TicketsRepository } from '../tickets/index.js';
import { NotifyRepository } from './repository.js';

const DAY = 86_400_000;
const DEADLINES = ['response', 'onSite', 'recovery'] as const;
/** The plan's notice: the annual summary is due 15 days before the contract year ends. */
export const CONTRACT_NOTICE_DAYS = 15;

export interface ScanResult {
  raised: number;
}

/**
 * The events no table change announces — time passing: a deadline's fractions and its passing,
 * a ticket nobody responded to (the escalation chain), the month ending without a signed
 * inspection record, the contract year ending. Run by the notification schedule on the app's
 * clock; each event is raised once (`notify_marks`), in one transaction per scan — with several
 * collectors on one database the marks' primary key lets exactly one of them raise it. Months and
 * contract years are cut in the site's time zone.
 */
export class NotifyScan {
  private readonly repo: NotifyRepository;
  private readonly tickets: TicketsRepository;

  constructor(
    private readonly store: Store,
    private readonly repos: Repositories,
  ) {
    this.repo = repos.notify;
    this.tickets = repos.tickets;
  }

  async scan(now: Date): Promise<ScanResult> {
    return this.store.transaction(async () => {
      const raised = (await this.deadlines(now)) + (await this.escalations(now)) + (await this.monthEnd(now)) + (await this.contractYear(now));
      return { raised };
    });
  }

  /** Each unmet deadline: the highest fraction newly crossed (a clock that jumped sends one, not all), and overdue. */
  private async deadlines(now: Date): Promise<number> {
    let raised = 0;
    const nowMs = now.getTime();
    const active = await this.store.all<{ id: number }>(`SELECT id FROM tickets WHERE status IN ('open', 'responded', 'on_site') AND priority <> 'P4'`);
    for (const { id } of active) {
      const t = await this.tickets.get(id, now);
      const fractions = (await this.repo.settings(t.site)).deadlineFractions;
      const opened = Date.parse(t.openedAt);
      for (const which of DEADLINES) {
        const d = t.deadlines[which];
        if (d.due === null || d.metAt !== null) continue;
        const due = Date.parse(d.due);
        const base = { site: t.site, ticketId: t.id, at: nowMs };
        if (nowMs > due) {
          if (await this.repo.raiseOnce(`overdue:${t.id}:${which}`, { ...base, kind: 'deadline.overdue', detail: { deadline: which } })) raised++;
          continue;
        }
        const crossed = fractions.filter((f) => nowMs >= opened + f * (due - opened)).sort((a, b) => b - a);
        // Only the highest fraction crossed is announced; lower ones crossed in the same jump of the clock are marked silently.
        for (const [i, f] of crossed.entries()) {
          const key = `near:${t.id}:${which}:${f}`;
          if (i > 0) await this.repo.mark(key, nowMs);
          else if (await this.repo.raiseOnce(key, { ...base, kind: 'deadline.near', detail: { deadline: which, fraction: f } })) raised++;
        }
      }
    }
    return raised;
  }

  /** A ticket still `open` (nobody responded) N minutes after it opened climbs the site's chain. */
  private async escalations(now: Date): Promise<number> {
    let raised = 0;
    const nowMs = now.getTime();
    for (const site of await this.repo.sitesWithEscalation()) {
      const chain = await this.repo.escalation(site);
      const open = await this.store.all<{ id: number; openedAt: number }>(
        `SELECT t.id, t.opened_at AS "openedAt" FROM tickets t JOIN devices d ON d.id = t.device_id JOIN sites s ON s.id = d.site_id
         WHERE t.status = 'open' AND t.priority <> 'P4' AND s.name = ?`,
        [site],
      );
      for (const t of open) {
        for (const [i, step] of chain.entries()) {
          if (nowMs < t.openedAt + step.afterMinutes * 60_000) continue;
          const detail = { step: i + 1, audience: step.audience, channel: step.channel };
          if (await this.repo.raiseOnce(`escalate:${t.id}:${i + 1}`, { kind: 'ticket.escalated', site, ticketId: t.id, detail, at: nowMs })) raised++;
        }
      }
    }
    return raised;
  }

  /** The last `monthEndDays` days of the site's month (in its zone) without a signed (or confirmed) record. */
  private async monthEnd(now: Date): Promise<number> {
    let raised = 0;
    const nowMs = now.getTime();
    for (const site of await this.repo.configuredSites()) {
      const zone = await this.repos.sites.timeZoneOf(site);
      const month = localMonth(nowMs, zone);
      const monthEnd = zonedInstant(zone, Number(month.slice(0, 4)), Number(month.slice(5, 7)));
      if (monthEnd - nowMs > (await this.repo.settings(site)).monthEndDays * DAY) continue;
      const latest = await this.store.get<{ status: string }>('SELECT status FROM inspections WHERE site = ? AND month = ? ORDER BY revision DESC LIMIT 1', [site, month]);
      if (latest?.status === 'signed' || latest?.status === 'confirmed') continue;
      if (await this.repo.raiseOnce(`unsigned:${site}:${month}`, { kind: 'inspection.unsigned', site, detail: { month }, at: nowMs })) raised++;
    }
    return raised;
  }

  /** 15 days before the contract year comes round (settings.contractStart, MM-DD, midnight in the site's zone). */
  private async contractYear(now: Date): Promise<number> {
    let raised = 0;
    const nowMs = now.getTime();
    for (const site of await this.repo.configuredSites()) {
      const start = (await this.repo.settings(site)).contractStart;
      if (!start) continue;
      const zone = await this.repos.sites.timeZoneOf(site);
      const year = Number(localMonth(nowMs, zone).slice(0, 4));
      const [m, d] = start.split('-').map(Number) as [number, number];
      let next = zonedInstant(zone, year, m - 1, d);
      if (next <= nowMs) next = zonedInstant(zone, year + 1, m - 1, d);
      if (next - nowMs > CONTRACT_NOTICE_DAYS * DAY) continue;
      // The contract year's last day, as the site writes it.
      const last = new Date(next - DAY);
      const yearEnd = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(last);
      if (await this.repo.raiseOnce(`contract:${site}:${yearEnd}`, { kind: 'contract.year_ending', site, detail: { yearEnd }, at: nowMs })) raised++;
    }
    return raised;
  }
}
