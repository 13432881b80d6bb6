import {
  parseWithDefaults,
  NotifySettings,
  type EscalationStep,
  type Lang,
  type NotifyAudience,
  type NotifyEvent,
  type NotifyRule,
  type NotifyRuleInput,
  type OutboxEntry,
  type Priority,
  type RotaEntry,
  type RotaEntryInput,
} from '../../schemas/index.js';
import type { Store } from '../storage/store.js';
import type { RenderedMessage } from './catalogue.js';
import type { RotaRow } from './rota.js';

export interface EventRow {
  id: number;
  kind: NotifyEvent;
  site: string;
  ticketId: number | null;
  requestId: number | null;
  inspectionId: number | null;
  detail: Record<string, unknown>;
  at: number;
}

export interface OutboxRow {
  id: number;
  eventId: number;
  site: string;
  kind: string;
  channel: string;
  recipient: string;
  address: string | null;
  lang: Lang;
  priority: Priority | null;
  groupKey: string;
  message: RenderedMessage & { first?: string };
  events: number;
  state: 'pending' | 'sending' | 'sent' | 'dead';
  attempts: number;
  createdAt: number;
  dueAt: number;
  nextAt: number;
  sentAt: number | null;
  lastError: string | null;
}

/** A row the planner adds: its first due time is `nextAt`. */
export type NewDelivery = Pick<OutboxRow, 'eventId' | 'site' | 'kind' | 'channel' | 'recipient' | 'address' | 'lang' | 'priority' | 'groupKey' | 'createdAt' | 'nextAt'> & {
  message: RenderedMessage;
};

type Raw = Record<string, unknown>;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const outboxOf = (r: Raw): OutboxRow => ({
  id: r.id as number,
  eventId: r.event_id as number,
  site: r.site as string,
  kind: r.kind as string,
  channel: r.channel as string,
  recipient: r.recipient as string,
  address: r.address as string | null,
  lang: r.lang as Lang,
  priority: r.priority as Priority | null,
  groupKey: r.group_key as string,
  message: JSON.parse(r.message as string) as OutboxRow['message'],
  events: r.events as number,
  state: r.state as OutboxRow['state'],
  attempts: r.attempts as number,
  createdAt: r.created_at as number,
  dueAt: r.due_at as number,
  nextAt: r.next_at as number,
  sentAt: r.sent_at as number | null,
  lastError: r.last_error as string | null,
});

/** The outbox as the API shows it. */
export const outboxEntry = (r: OutboxRow): OutboxEntry => ({
  id: r.id,
  site: r.site,
  kind: r.kind,
  channel: r.channel,
  recipient: r.recipient,
  lang: r.lang,
  priority: r.priority,
  title: r.message.title,
  events: r.events,
  state: r.state,
  attempts: r.attempts,
  createdAt: iso(r.createdAt)!,
  nextAt: iso(r.nextAt)!,
  sentAt: iso(r.sentAt),
  lastError: r.lastError,
});

const rotaOf = (r: Raw): RotaRow & { site: string } => ({
  id: r.id as number,
  site: r.site as string,
  person: r.person as string,
  email: r.email as string | null,
  lang: r.lang as Lang,
  role: r.role as RotaRow['role'],
  startsAt: r.starts_at as number | null,
  endsAt: r.ends_at as number | null,
  special: r.special as string | null,
});

export const rotaEntry = (r: RotaRow & { site: string }): RotaEntry => ({
  id: r.id,
  site: r.site,
  person: r.person,
  ...(r.email ? { email: r.email } : {}),
  lang: r.lang,
  role: r.role,
  ...(r.startsAt !== null ? { from: iso(r.startsAt)! } : {}),
  ...(r.endsAt !== null ? { until: iso(r.endsAt)! } : {}),
  ...(r.special ? { special: r.special } : {}),
});

const ruleOf = (r: Raw): NotifyRule => ({
  id: r.id as number,
  site: r.site as string,
  event: r.event as NotifyRule['event'],
  priorities: r.priorities === '*' ? '*' : ((r.priorities as string).split(',') as Priority[]),
  channel: r.channel as string,
  audience: r.audience as NotifyAudience,
  lang: r.lang as Lang,
});

/** Every SQL statement of notifications; nothing else in collector/notify writes SQL. */
export class NotifyRepository {
  constructor(readonly store: Store) {}

  // ---- the event journal -------------------------------------------------------------------
  async unplanned(limit: number): Promise<EventRow[]> {
    return (await this.store.all<Raw>('SELECT * FROM notify_events WHERE planned_at IS NULL ORDER BY id LIMIT ?', [limit])).map((r) => ({
      id: r.id as number,
      kind: r.kind as NotifyEvent,
      site: r.site as string,
      ticketId: r.ticket_id as number | null,
      requestId: r.request_id as number | null,
      inspectionId: r.inspection_id as number | null,
      detail: r.detail ? (JSON.parse(r.detail as string) as Record<string, unknown>) : {},
      at: r.at as number,
    }));
  }

  /** Stamps an event planned; false when another collector planned it first (its plan is then dropped with the transaction). */
  async markPlanned(id: number, now: number): Promise<boolean> {
    return (await this.store.run('UPDATE notify_events SET planned_at = ? WHERE id = ? AND planned_at IS NULL', [now, id])).changes > 0;
  }

  /** Marks `key` as raised without raising anything (false: it was already). */
  async mark(key: string, at: number): Promise<boolean> {
    return (await this.store.run('INSERT INTO notify_marks (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING', [key, at])).changes > 0;
  }

  /** A scan-raised event, once per `key` (false: already raised). */
  async raiseOnce(key: string, e: { kind: NotifyEvent; site: string; ticketId?: number; inspectionId?: number; detail?: unknown; at: number }): Promise<boolean> {
    if (!(await this.mark(key, e.at))) return false;
    await this.store.run('INSERT INTO notify_events (kind, site, ticket_id, inspection_id, detail, at) VALUES (?, ?, ?, ?, ?, ?)', [
      e.kind,
      e.site,
      e.ticketId ?? null,
      e.inspectionId ?? null,
      e.detail === undefined ? null : JSON.stringify(e.detail),
      e.at,
    ]);
    return true;
  }

  // ---- the outbox --------------------------------------------------------------------------
  async insertDelivery(d: NewDelivery): Promise<number> {
    const row = await this.store.get<{ id: number }>(
      `INSERT INTO notify_outbox (event_id, site, kind, channel, recipient, address, lang, priority, group_key, message, state, created_at, due_at, next_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id`,
      [d.eventId, d.site, d.kind, d.channel, d.recipient, d.address, d.lang, d.priority, d.groupKey, JSON.stringify(d.message), d.createdAt, d.nextAt, d.nextAt],
    );
    return row!.id;
  }

  /** The newest message of this group to this recipient since `since` (grouping looks at it). */
  async latestInGroup(groupKey: string, channel: string, recipient: string, since: number): Promise<OutboxRow | undefined> {
    const r = await this.store.get<Raw>('SELECT * FROM notify_outbox WHERE group_key = ? AND channel = ? AND recipient = ? AND created_at >= ? ORDER BY id DESC LIMIT 1', [
      groupKey,
      channel,
      recipient,
      since,
    ]);
    return r ? outboxOf(r) : undefined;
  }

  /** Folds an event into a message nobody has tried to send yet (false: it was claimed meanwhile). */
  async fold(id: number, message: RenderedMessage, events: number): Promise<boolean> {
    return (await this.store.run(`UPDATE notify_outbox SET message = ?, events = ? WHERE id = ? AND state = 'pending' AND attempts = 0`, [JSON.stringify(message), events, id])).changes > 0;
  }

  /**
   * Messages left 'sending' whose lease has run out: the collector that claimed them stopped (or
   * was killed) before it recorded the outcome. Another collector may still be sending its own
   * (their leases have not run out), so only expired ones are taken back.
   */
  async releaseAbandoned(now: number): Promise<number> {
    return (await this.store.run(`UPDATE notify_outbox SET state = 'pending', lease_until = NULL WHERE state = 'sending' AND (lease_until IS NULL OR lease_until <= ?)`, [now])).changes;
  }

  /**
   * Claims up to `limit` due messages, most urgent first (P1 before P4, then oldest), in one
   * statement — its own short transaction, committed before any is sent: each row becomes
   * `sending` with its lease and one more attempt. Of several collectors claiming at once each row
   * goes to exactly one. On PostgreSQL the rows are chosen `FOR UPDATE SKIP LOCKED`, so collectors
   * take disjoint batches instead of queueing behind each other's claims; SQLite has one writer,
   * so the plain form is already exclusive there. The batch is picked ONCE (a materialized WITH):
   * as a plain `id IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` PostgreSQL may run the subquery
   * again for each row it updates, each run passing over the rows already taken — and claim them
   * all, whatever the limit (found by test/storage/notify-engines.test.ts).
   */
  async claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxRow[]> {
    const lock = this.store.engine === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
    const rows = await this.store.all<Raw>(
      `WITH picked AS MATERIALIZED (
         SELECT id FROM notify_outbox WHERE state = 'pending' AND next_at <= ?
         ORDER BY coalesce(priority, 'P9'), next_at, id LIMIT ?${lock})
       UPDATE notify_outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?
       WHERE state = 'pending' AND id IN (SELECT id FROM picked)
       RETURNING *`,
      [now, limit, now + leaseMs],
    );
    // RETURNING keeps no order: most urgent first again.
    return rows.map(outboxOf).sort((a, b) => (a.priority ?? 'P9').localeCompare(b.priority ?? 'P9') || a.nextAt - b.nextAt || a.id - b.id);
  }

  /** Not now (the channel's pace): a claimed message goes back to pending until `until`, its attempt not counted. */
  async putBack(id: number, until: number): Promise<void> {
    await this.store.run(`UPDATE notify_outbox SET state = 'pending', attempts = attempts - 1, lease_until = NULL, next_at = ? WHERE id = ? AND state = 'sending'`, [until, id]);
  }

  async markSent(id: number, now: number, detail?: string): Promise<void> {
    await this.store.run(`UPDATE notify_outbox SET state = 'sent', sent_at = ?, lease_until = NULL, last_error = ? WHERE id = ?`, [now, detail ?? null, id]);
  }

  async markRetry(id: number, nextAt: number, reason: string): Promise<void> {
    await this.store.run(`UPDATE notify_outbox SET state = 'pending', next_at = ?, lease_until = NULL, last_error = ? WHERE id = ?`, [nextAt, reason, id]);
  }

  async markDead(id: number, reason: string): Promise<void> {
    await this.store.run(`UPDATE notify_outbox SET state = 'dead', lease_until = NULL, last_error = ? WHERE id = ?`, [reason, id]);
  }

  /** A dead letter sent again (after the channel was fixed): attempts start over. */
  async revive(site: string, id: number, now: number): Promise<boolean> {
    return (await this.store.run(`UPDATE notify_outbox SET state = 'pending', attempts = 0, next_at = ?, last_error = NULL WHERE id = ? AND site = ? AND state = 'dead'`, [now, id, site])).changes > 0;
  }

  async outbox(site: string, state: OutboxRow['state'] | undefined, limit: number): Promise<OutboxRow[]> {
    const rows = state
      ? await this.store.all<Raw>('SELECT * FROM notify_outbox WHERE site = ? AND state = ? ORDER BY id DESC LIMIT ?', [site, state, limit])
      : await this.store.all<Raw>('SELECT * FROM notify_outbox WHERE site = ? ORDER BY id DESC LIMIT ?', [site, limit]);
    return rows.map(outboxOf);
  }

  async countByState(): Promise<Record<OutboxRow['state'], number>> {
    const counts = { pending: 0, sending: 0, sent: 0, dead: 0 };
    for (const r of await this.store.all<{ state: OutboxRow['state']; n: number }>('SELECT state, count(*) AS n FROM notify_outbox GROUP BY state')) counts[r.state] = r.n;
    return counts;
  }

  // ---- rules, rota, escalation, settings ---------------------------------------------------
  async rules(site: string): Promise<NotifyRule[]> {
    return (await this.store.all<Raw>('SELECT * FROM notify_rules WHERE site = ? ORDER BY id', [site])).map(ruleOf);
  }

  async addRule(site: string, r: NotifyRuleInput, by: string, now: number): Promise<NotifyRule> {
    const row = await this.store.get<Raw>('INSERT INTO notify_rules (site, event, priorities, channel, audience, lang, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *', [
      site,
      r.event,
      r.priorities === '*' ? '*' : r.priorities.join(','),
      r.channel,
      r.audience,
      r.lang ?? 'zh',
      now,
      by,
    ]);
    return ruleOf(row!);
  }

  async deleteRule(site: string, id: number): Promise<boolean> {
    return (await this.store.run('DELETE FROM notify_rules WHERE id = ? AND site = ?', [id, site])).changes > 0;
  }

  async rota(site: string): Promise<(RotaRow & { site: string })[]> {
    return (await this.store.all<Raw>('SELECT * FROM notify_rota WHERE site = ? ORDER BY role, coalesce(starts_at, 0), id', [site])).map(rotaOf);
  }

  async addRota(site: string, e: RotaEntryInput, by: string, now: number): Promise<RotaEntry> {
    const row = await this.store.get<Raw>(
      'INSERT INTO notify_rota (site, person, email, lang, role, starts_at, ends_at, special, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *',
      [site, e.person, e.email ?? null, e.lang ?? 'zh', e.role, e.from ? Date.parse(e.from) : null, e.until ? Date.parse(e.until) : null, e.special ?? null, now, by],
    );
    return rotaEntry(rotaOf(row!));
  }

  async deleteRota(site: string, id: number): Promise<boolean> {
    return (await this.store.run('DELETE FROM notify_rota WHERE id = ? AND site = ?', [id, site])).changes > 0;
  }

  async escalation(site: string): Promise<EscalationStep[]> {
    return (await this.store.all<Raw>('SELECT * FROM notify_escalation WHERE site = ? ORDER BY step', [site])).map((r) => ({
      afterMinutes: r.after_minutes as number,
      audience: r.audience as EscalationStep['audience'],
      channel: r.channel as string,
    }));
  }

  /** Replaces the chain (the caller's transaction holds the delete and the inserts together). */
  async setEscalation(site: string, steps: EscalationStep[]): Promise<void> {
    await this.store.run('DELETE FROM notify_escalation WHERE site = ?', [site]);
    for (const [i, s] of steps.entries()) {
      await this.store.run('INSERT INTO notify_escalation (site, step, after_minutes, audience, channel) VALUES (?, ?, ?, ?, ?)', [site, i + 1, s.afterMinutes, s.audience, s.channel]);
    }
  }

  /** Sites with an escalation chain (the scan walks only these). */
  async sitesWithEscalation(): Promise<string[]> {
    return (await this.store.all<{ site: string }>('SELECT DISTINCT site FROM notify_escalation')).map((r) => r.site);
  }

  async settingsOverrides(site: string): Promise<Partial<NotifySettings>> {
    const raw = (await this.store.get<{ settings: string }>('SELECT settings FROM notify_settings WHERE site = ?', [site]))?.settings;
    return raw ? (JSON.parse(raw) as Partial<NotifySettings>) : {};
  }

  async settings(site: string): Promise<NotifySettings> {
    return parseWithDefaults(NotifySettings, await this.settingsOverrides(site), 'notification settings');
  }

  async setSettings(site: string, overrides: Partial<NotifySettings>, by: string, now: number): Promise<void> {
    await this.store.run(
      'INSERT INTO notify_settings (site, settings, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (site) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by',
      [site, JSON.stringify(overrides), now, by],
    );
  }

  /** Sites that have notification settings or rules (the month-end and contract scans walk these). */
  async configuredSites(): Promise<string[]> {
    return (await this.store.all<{ site: string }>('SELECT site FROM notify_settings UNION SELECT site FROM notify_rules')).map((r) => r.site);
  }
}
