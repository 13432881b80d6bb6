import type { Store } from '../storage/store.js';
import { sqliteHandle } from '../storage/sqlite-store.js';
import type { Db } from '../storage/db.js';
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
 * clock; each event is raised once (`notify_marks`), in one transaction per scan.
 */
export class NotifyScan {
  private readonly repo: NotifyRepository;
  private readonly tickets: TicketsRepository;
  private readonly activeTickets;
  private readonly openAt;
  private readonly latestInspection;

  private readonly db: Db;

  constructor(private readonly store: Store) {
    const db = (this.db = sqliteHandle(store, 'the notification scan'));
    this.repo = new NotifyRepository(db);
    this.tickets = new TicketsRepository(store);
    this.activeTickets = db.prepare(`SELECT id FROM tickets WHERE status IN ('open', 'responded', 'on_site') AND priority <> 'P4'`).pluck();
    this.openAt = db.prepare(
      `SELECT t.id, t.priority, t.opened_at AS openedAt FROM tickets t JOIN devices d ON d.id = t.device_id JOIN sites s ON s.id = d.site_id
       WHERE t.status = 'open' AND t.priority <> 'P4' AND s.name = ?`,
    );
    this.latestInspection = db.prepare('SELECT status FROM inspections WHERE site = ? AND month = ? ORDER BY revision DESC LIMIT 1').pluck();
  }

  async scan(now: Date): Promise<ScanResult> {
    return this.store.transaction(async () => {
      const raised = (await this.deadlines(now)) + (await this.escalations(now)) + this.monthEnd(now) + this.contractYear(now);
      return { raised };
    });
  }

  /** Each unmet deadline: the highest fraction newly crossed (a clock that jumped sends one, not all), and overdue. */
  private async deadlines(now: Date): Promise<number> {
    let raised = 0;
    const nowMs = now.getTime();
    for (const id of this.activeTickets.all() as number[]) {
      const t = await this.tickets.get(id, now);
      const fractions = this.repo.settings(t.site).deadlineFractions;
      const opened = Date.parse(t.openedAt);
      for (const which of DEADLINES) {
        const d = t.deadlines[which];
        if (d.due === null || d.metAt !== null) continue;
        const due = Date.parse(d.due);
        const base = { site: t.site, ticketId: t.id, at: nowMs };
        if (nowMs > due) {
          if (this.repo.raiseOnce(`overdue:${t.id}:${which}`, { ...base, kind: 'deadline.overdue', detail: { deadline: which } })) raised++;
          continue;
        }
        const crossed = fractions.filter((f) => nowMs >= opened + f * (due - opened)).sort((a, b) => b - a);
        // Only the highest fraction crossed is announced; lower ones crossed in the same jump of the clock are marked silently.
        crossed.forEach((f, i) => {
          const key = `near:${t.id}:${which}:${f}`;
          if (i > 0) this.repo.mark(key, nowMs);
          else if (this.repo.raiseOnce(key, { ...base, kind: 'deadline.near', detail: { deadline: which, fraction: f } })) raised++;
        });
      }
    }
    return raised;
  }

  /** A ticket still `open` (nobody responded) N minutes after it opened climbs the site's chain. */
  private escalations(now: Date): number {
    let raised = 0;
    const nowMs = now.getTime();
    for (const site of this.repo.sitesWithEscalation()) {
      const chain = this.repo.escalation(site);
      for (const t of this.openAt.all(site) as { id: number; openedAt: number }[]) {
        chain.forEach((step, i) => {
          if (nowMs < t.openedAt + step.afterMinutes * 60_000) return;
          const detail = { step: i + 1, audience: step.audience, channel: step.channel };
          if (this.repo.raiseOnce(`escalate:${t.id}:${i + 1}`, { kind: 'ticket.escalated', site, ticketId: t.id, detail, at: nowMs })) raised++;
        });
      }
    }
    return raised;
  }

  /** The last `monthEndDays` days of a month without a signed (or confirmed) record. */
  private monthEnd(now: Date): number {
    let raised = 0;
    const nowMs = now.getTime();
    const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    const month = now.toISOString().slice(0, 7);
    for (const site of this.repo.configuredSites()) {
      if (monthEnd - nowMs > this.repo.settings(site).monthEndDays * DAY) continue;
      const status = this.latestInspection.get(site, month) as string | undefined;
      if (status === 'signed' || status === 'confirmed') continue;
      if (this.repo.raiseOnce(`unsigned:${site}:${month}`, { kind: 'inspection.unsigned', site, detail: { month }, at: nowMs })) raised++;
    }
    return raised;
  }

  /** 15 days before the contract year comes round (settings.contractStart, MM-DD). */
  private contractYear(now: Date): number {
    let raised = 0;
    const nowMs = now.getTime();
    for (const site of this.repo.configuredSites()) {
      const start = this.repo.settings(site).contractStart;
      if (!start) continue;
      const [m, d] = start.split('-').map(Number) as [number, number];
      let next = Date.UTC(now.getUTCFullYear(), m - 1, d);
      if (next <= nowMs) next = Date.UTC(now.getUTCFullYear() + 1, m - 1, d);
      if (next - nowMs > CONTRACT_NOTICE_DAYS * DAY) continue;
      const yearEnd = new Date(next - DAY).toISOString().slice(0, 10);
      if (this.repo.raiseOnce(`contract:${site}:${yearEnd}`, { kind: 'contract.year_ending', site, detail: { yearEnd }, at: nowMs })) raised++;
    }
    return raised;
  }
}
