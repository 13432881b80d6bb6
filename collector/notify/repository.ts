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
import type { Db } from '../storage/db.js';
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
  constructor(readonly db: Db) {}

  // ---- the event journal -------------------------------------------------------------------
  unplanned(limit: number): EventRow[] {
    return (this.db.prepare('SELECT * FROM notify_events WHERE planned_at IS NULL ORDER BY id LIMIT ?').all(limit) as Raw[]).map((r) => ({
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

  markPlanned(id: number, now: number): void {
    this.db.prepare('UPDATE notify_events SET planned_at = ? WHERE id = ?').run(now, id);
  }

  /** Marks `key` as raised without raising anything (false: it was already). */
  mark(key: string, at: number): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO notify_marks (key, at) VALUES (?, ?)').run(key, at).changes > 0;
  }

  /** A scan-raised event, once per `key` (false: already raised). */
  raiseOnce(key: string, e: { kind: NotifyEvent; site: string; ticketId?: number; inspectionId?: number; detail?: unknown; at: number }): boolean {
    if (this.db.prepare('INSERT OR IGNORE INTO notify_marks (key, at) VALUES (?, ?)').run(key, e.at).changes === 0) return false;
    this.db
      .prepare('INSERT INTO notify_events (kind, site, ticket_id, inspection_id, detail, at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(e.kind, e.site, e.ticketId ?? null, e.inspectionId ?? null, e.detail === undefined ? null : JSON.stringify(e.detail), e.at);
    return true;
  }

  // ---- the outbox --------------------------------------------------------------------------
  insertDelivery(d: NewDelivery): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO notify_outbox (event_id, site, kind, channel, recipient, address, lang, priority, group_key, message, state, created_at, due_at, next_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
        )
        .run(d.eventId, d.site, d.kind, d.channel, d.recipient, d.address, d.lang, d.priority, d.groupKey, JSON.stringify(d.message), d.createdAt, d.nextAt, d.nextAt).lastInsertRowid,
    );
  }

  /** The newest message of this group to this recipient since `since` (grouping looks at it). */
  latestInGroup(groupKey: string, channel: string, recipient: string, since: number): OutboxRow | undefined {
    const r = this.db
      .prepare('SELECT * FROM notify_outbox WHERE group_key = ? AND channel = ? AND recipient = ? AND created_at >= ? ORDER BY id DESC LIMIT 1')
      .get(groupKey, channel, recipient, since) as Raw | undefined;
    return r ? outboxOf(r) : undefined;
  }

  /** Folds an event into a message nobody has tried to send yet (false: it was claimed meanwhile). */
  fold(id: number, message: RenderedMessage, events: number): boolean {
    return this.db.prepare(`UPDATE notify_outbox SET message = ?, events = ? WHERE id = ? AND state = 'pending' AND attempts = 0`).run(JSON.stringify(message), events, id).changes > 0;
  }

  /** Messages left 'sending' by a process that died: one collector per database, so at start every one is ours to retry. */
  releaseAbandoned(): number {
    return this.db.prepare(`UPDATE notify_outbox SET state = 'pending', lease_until = NULL WHERE state = 'sending'`).run().changes;
  }

  /** Due messages, most urgent first (P1 before P4, then oldest); `exclude`: ids in flight here. */
  due(now: number, limit: number): OutboxRow[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM notify_outbox WHERE state = 'pending' AND next_at <= ?
           ORDER BY coalesce(priority, 'P9'), next_at, id LIMIT ?`,
        )
        .all(now, limit) as Raw[]
    ).map(outboxOf);
  }

  /** Claims one message for sending (the row says so before the first byte leaves). */
  claim(id: number, now: number, leaseMs: number): boolean {
    return this.db.prepare(`UPDATE notify_outbox SET state = 'sending', attempts = attempts + 1, lease_until = ? WHERE id = ? AND state = 'pending'`).run(now + leaseMs, id).changes > 0;
  }

  /** Not now (the channel's pace): back to pending without counting an attempt. */
  defer(id: number, until: number): void {
    this.db.prepare(`UPDATE notify_outbox SET next_at = ? WHERE id = ? AND state = 'pending'`).run(until, id);
  }

  markSent(id: number, now: number, detail?: string): void {
    this.db.prepare(`UPDATE notify_outbox SET state = 'sent', sent_at = ?, lease_until = NULL, last_error = ? WHERE id = ?`).run(now, detail ?? null, id);
  }

  markRetry(id: number, nextAt: number, reason: string): void {
    this.db.prepare(`UPDATE notify_outbox SET state = 'pending', next_at = ?, lease_until = NULL, last_error = ? WHERE id = ?`).run(nextAt, reason, id);
  }

  markDead(id: number, reason: string): void {
    this.db.prepare(`UPDATE notify_outbox SET state = 'dead', lease_until = NULL, last_error = ? WHERE id = ?`).run(reason, id);
  }

  /** A dead letter sent again (after the channel was fixed): attempts start over. */
  revive(site: string, id: number, now: number): boolean {
    return this.db.prepare(`UPDATE notify_outbox SET state = 'pending', attempts = 0, next_at = ?, last_error = NULL WHERE id = ? AND site = ? AND state = 'dead'`).run(now, id, site).changes > 0;
  }

  outbox(site: string, state: OutboxRow['state'] | undefined, limit: number): OutboxRow[] {
    return (
      state
        ? this.db.prepare('SELECT * FROM notify_outbox WHERE site = ? AND state = ? ORDER BY id DESC LIMIT ?').all(site, state, limit)
        : this.db.prepare('SELECT * FROM notify_outbox WHERE site = ? ORDER BY id DESC LIMIT ?').all(site, limit)
    ).map((r) => outboxOf(r as Raw));
  }

  countByState(): Record<OutboxRow['state'], number> {
    const counts = { pending: 0, sending: 0, sent: 0, dead: 0 };
    for (const r of this.db.prepare('SELECT state, count(*) AS n FROM notify_outbox GROUP BY state').all() as { state: OutboxRow['state']; n: number }[]) counts[r.state] = r.n;
    return counts;
  }

  // ---- rules, rota, escalation, settings ---------------------------------------------------
  rules(site: string): NotifyRule[] {
    return (this.db.prepare('SELECT * FROM notify_rules WHERE site = ? ORDER BY id').all(site) as Raw[]).map(ruleOf);
  }

  addRule(site: string, r: NotifyRuleInput, by: string, now: number): NotifyRule {
    const id = this.db
      .prepare('INSERT INTO notify_rules (site, event, priorities, channel, audience, lang, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(site, r.event, r.priorities === '*' ? '*' : r.priorities.join(','), r.channel, r.audience, r.lang ?? 'zh', now, by).lastInsertRowid;
    return ruleOf(this.db.prepare('SELECT * FROM notify_rules WHERE id = ?').get(id) as Raw);
  }

  deleteRule(site: string, id: number): boolean {
    return this.db.prepare('DELETE FROM notify_rules WHERE id = ? AND site = ?').run(id, site).changes > 0;
  }

  rota(site: string): (RotaRow & { site: string })[] {
    return (this.db.prepare('SELECT * FROM notify_rota WHERE site = ? ORDER BY role, coalesce(starts_at, 0), id').all(site) as Raw[]).map(rotaOf);
  }

  addRota(site: string, e: RotaEntryInput, by: string, now: number): RotaEntry {
    const id = this.db
      .prepare('INSERT INTO notify_rota (site, person, email, lang, role, starts_at, ends_at, special, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(site, e.person, e.email ?? null, e.lang ?? 'zh', e.role, e.from ? Date.parse(e.from) : null, e.until ? Date.parse(e.until) : null, e.special ?? null, now, by).lastInsertRowid;
    return rotaEntry(rotaOf(this.db.prepare('SELECT * FROM notify_rota WHERE id = ?').get(id) as Raw));
  }

  deleteRota(site: string, id: number): boolean {
    return this.db.prepare('DELETE FROM notify_rota WHERE id = ? AND site = ?').run(id, site).changes > 0;
  }

  escalation(site: string): EscalationStep[] {
    return (this.db.prepare('SELECT * FROM notify_escalation WHERE site = ? ORDER BY step').all(site) as Raw[]).map((r) => ({
      afterMinutes: r.after_minutes as number,
      audience: r.audience as EscalationStep['audience'],
      channel: r.channel as string,
    }));
  }

  setEscalation(site: string, steps: EscalationStep[]): void {
    this.db.prepare('DELETE FROM notify_escalation WHERE site = ?').run(site);
    const insert = this.db.prepare('INSERT INTO notify_escalation (site, step, after_minutes, audience, channel) VALUES (?, ?, ?, ?, ?)');
    steps.forEach((s, i) => insert.run(site, i + 1, s.afterMinutes, s.audience, s.channel));
  }

  /** Sites with an escalation chain (the scan walks only these). */
  sitesWithEscalation(): string[] {
    return this.db.prepare('SELECT DISTINCT site FROM notify_escalation').pluck().all() as string[];
  }

  settingsOverrides(site: string): Partial<NotifySettings> {
    const raw = this.db.prepare('SELECT settings FROM notify_settings WHERE site = ?').pluck().get(site) as string | undefined;
    return raw ? (JSON.parse(raw) as Partial<NotifySettings>) : {};
  }

  settings(site: string): NotifySettings {
    return parseWithDefaults(NotifySettings, this.settingsOverrides(site), 'notification settings');
  }

  setSettings(site: string, overrides: Partial<NotifySettings>, by: string, now: number): void {
    this.db
      .prepare('INSERT INTO notify_settings (site, settings, updated_at, updated_by) VALUES (?, ?, ?, ?) ON CONFLICT (site) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by')
      .run(site, JSON.stringify(overrides), now, by);
  }

  /** Sites that have notification settings or rules (the month-end and contract scans walk these). */
  configuredSites(): string[] {
    return this.db.prepare('SELECT site FROM notify_settings UNION SELECT site FROM notify_rules').pluck().all() as string[];
  }
}
