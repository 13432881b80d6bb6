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

/** What a ticket keeps of the profile it was opened with: the time limits (not the priority rules). */
export function slaSnapshot(p: SlaProfile): Omit<SlaProfile, 'priorityRules' | 'missedReports'> {
  const { priorityRules: _rules, missedReports: _missed, ...limits } = p;
  return limits;
}

export function isEmergency(priority: Priority, sla: SlaProfile): boolean {
  return sla.emergencyPriorities.includes(priority);
}

/** Whether the priority always needs a visit (its on-site clock runs from opening). Never P4: a non-fault request. */
export function alwaysOnSite(priority: Priority, sla: SlaProfile): boolean {
  return priority !== 'P4' && sla.onSitePriorities.includes(priority);
}

/**
 * The recovery limit in hours: the priority's own when the profile has one; otherwise the plan's
 * general promise (8 h) for a fault; none for P4, which the plan calls a non-fault request.
 */
export function recoveryLimit(priority: Priority, sla: SlaProfile): number | null {
  const own = sla.recoveryHours[priority];
  if (own !== null && own !== undefined) return own;
  return priority === 'P4' ? null : sla.generalRecoveryHours;
}

const HOUR = 3_600_000;

export interface DeadlineInput {
  openedAt: string;
  priority: Priority;
  emergency: boolean;
  events: Pick<TicketEvent, 'event' | 'at'>[];
  recoveredAt: string | null;
  /** When the on-site clock started (dispatch, or opening when the priority always needs a visit); null: no visit needed. */
  visitFrom?: string | null;
  /** When a spare part was declared needed; the part clock runs from arrival on site. */
  partNeededAt?: string | null;
  /** When the first part was replaced. */
  partReplacedAt?: string | null;
  emergencyPlanAt?: string | null;
  emergencyPlanDue?: string | null;
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

function deadline(from: string | null, due: number | null, metAt: string | null, now: Date) {
  if (due === null) return { from, due: null, metAt, overdue: false };
  const overdue = metAt !== null ? Date.parse(metAt) > due : now.getTime() > due;
  return { from, due: new Date(due).toISOString(), metAt, overdue };
}

/**
 * Response, on-site, recovery, part-replacement and emergency-plan deadlines with their overdue
 * flags, as of `now`. Pure.
 * - response: from opening, met by the `responded` stamp.
 * - on site: only while a visit is needed (`visitFrom`), never for P4; met by arrival, or by a
 *   resolution before any arrival (fixed remotely: the visit was no longer needed).
 * - recovery: `recoveryLimit` from opening, met by resolve or the check turning normal, first wins.
 * - part replacement: once a part is needed, from arrival on site, met by the first part replaced.
 * - emergency plan: the owner's deadline, met by resolution.
 * A met deadline is overdue if it was met late.
 */
export function deadlines(t: DeadlineInput, sla: SlaProfile, now: Date): TicketDeadlines {
  const opened = Date.parse(t.openedAt);
  const recoveryHours = recoveryLimit(t.priority, sla);
  const onSiteHours = t.emergency ? sla.onSiteEmergencyHours : sla.onSiteHours;
  const arrived = firstAt(t.events, 'on_site');
  const resolved = firstAt(t.events, 'resolved');
  const visitFrom = t.priority === 'P4' ? null : (t.visitFrom ?? null);
  const out: TicketDeadlines = {
    response: deadline(t.openedAt, opened + sla.responseHours * HOUR, firstAt(t.events, 'responded'), now),
    onSite: deadline(
      visitFrom,
      visitFrom === null ? null : Date.parse(visitFrom) + onSiteHours * HOUR,
      arrived ?? resolved,
      now,
    ),
    recovery: deadline(t.openedAt, recoveryHours === null ? null : opened + recoveryHours * HOUR, earliest(resolved, t.recoveredAt), now),
  };
  if (t.partNeededAt) {
    out.partReplacement = deadline(arrived, arrived === null ? null : Date.parse(arrived) + sla.partReplacementHours * HOUR, t.partReplacedAt ?? null, now);
  }
  if (t.emergencyPlanDue) {
    out.emergencyPlan = deadline(t.emergencyPlanAt ?? null, Date.parse(t.emergencyPlanDue), resolved, now);
  }
  return out;
}

export function anyOverdue(d: TicketDeadlines): boolean {
  return Object.values(d).some((x) => x?.overdue === true);
}
