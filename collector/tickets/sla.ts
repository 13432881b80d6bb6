import {
  parseWithDefaults,
  SlaProfile,
  type Priority,
  type TicketDeadlines,
  type TicketEvent,
} from '../../schemas/index.js';

/** The contract's default time limits (SPEC "Fault tickets"); a site stores only what differs. */
export const DEFAULT_SLA: SlaProfile = parseWithDefaults(SlaProfile, {}, 'SLA profile');

/** A site's profile: its stored overrides over the defaults, validated. */
export function slaProfile(overrides: unknown = {}): SlaProfile {
  return parseWithDefaults(SlaProfile, overrides, 'SLA profile');
}

export function isEmergency(priority: Priority, sla: SlaProfile): boolean {
  return sla.emergencyPriorities.includes(priority);
}

const HOUR = 3_600_000;

export interface DeadlineInput {
  openedAt: string;
  priority: Priority;
  emergency: boolean;
  events: Pick<TicketEvent, 'event' | 'at'>[];
  recoveredAt: string | null;
}

function firstAt(events: DeadlineInput['events'], ...names: TicketEvent['event'][]): string | null {
  const hit = events.find((e) => names.includes(e.event));
  return hit ? hit.at : null;
}

function earliest(...stamps: (string | null)[]): string | null {
  const present = stamps.filter((s): s is string => s !== null);
  if (present.length === 0) return null;
  return present.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

function deadline(due: number | null, metAt: string | null, now: Date) {
  if (due === null) return { due: null, metAt, overdue: false };
  const overdue = metAt !== null ? Date.parse(metAt) > due : now.getTime() > due;
  return { due: new Date(due).toISOString(), metAt, overdue };
}

/**
 * Response, on-site and recovery deadlines with their overdue flags, as of `now`. Pure.
 * A deadline is met by the step's stamp; recovery is met by the resolve step or by the check
 * turning normal again, whichever came first. A met deadline is overdue if it was met late.
 */
export function deadlines(t: DeadlineInput, sla: SlaProfile, now: Date): TicketDeadlines {
  const opened = Date.parse(t.openedAt);
  const recoveryHours = sla.recoveryHours[t.priority];
  const onSiteHours = t.emergency ? sla.onSiteEmergencyHours : sla.onSiteHours;
  return {
    response: deadline(opened + sla.responseHours * HOUR, firstAt(t.events, 'responded'), now),
    onSite: deadline(opened + onSiteHours * HOUR, firstAt(t.events, 'on_site'), now),
    recovery: deadline(
      recoveryHours === null ? null : opened + recoveryHours * HOUR,
      earliest(firstAt(t.events, 'resolved'), t.recoveredAt),
      now,
    ),
  };
}

export function anyOverdue(d: TicketDeadlines): boolean {
  return d.response.overdue || d.onSite.overdue || d.recovery.overdue;
}
