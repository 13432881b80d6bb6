import type { TicketStatus } from '../../schemas/index.js';
import { conflict, forbidden } from '../errors.js';

/**
 * The steps a person may take, by URL name: each moves a ticket from one of its `from` statuses to
 * `to`. Two paths: remote (open → responded → resolved) and on site (open → responded → dispatched
 * → on_site → resolved); an engineer who turns up without a dispatch step goes on site directly.
 */
export const STEPS = {
  respond: { from: ['open'], to: 'responded', roles: ['engineer', 'admin'] },
  // 派工: a visit is needed — the on-site clock starts now (never for P4).
  dispatch: { from: ['responded'], to: 'dispatched', roles: ['engineer', 'admin'] },
  'on-site': { from: ['responded', 'dispatched'], to: 'on_site', roles: ['engineer', 'admin'] },
  // A fault fixed remotely is resolved straight from responded (or while the engineer is on the way).
  resolve: { from: ['responded', 'dispatched', 'on_site'], to: 'resolved', roles: ['engineer', 'admin'] },
  // 客户确认签字: only the customer's representative confirms.
  confirm: { from: ['resolved'], to: 'confirmed', roles: ['customer'] },
  close: { from: ['confirmed'], to: 'closed', roles: ['engineer', 'admin'] },
} as const satisfies Record<string, { from: readonly TicketStatus[]; to: TicketStatus; roles: readonly string[] }>;

export type StepName = keyof typeof STEPS;
export const STEP_NAMES = Object.keys(STEPS) as StepName[];

/** Whether `step` may be taken from `status`. */
export function stepAllowed(status: TicketStatus, step: StepName): boolean {
  return (STEPS[step].from as readonly TicketStatus[]).includes(status);
}

/** The steps that may be taken from `status`, in lifecycle order. */
export function stepsFrom(status: TicketStatus): StepName[] {
  return STEP_NAMES.filter((s) => stepAllowed(status, s));
}

/** Where `step` takes a ticket in `status`; throws a 409 naming the allowed steps when illegal. */
export function nextStatus(status: TicketStatus, step: StepName): TicketStatus {
  if (stepAllowed(status, step)) return STEPS[step].to;
  const allowed = stepsFrom(status);
  const next =
    allowed.length === 0 ? ': it is closed'
    : allowed.length === 1 ? `: the next step is ${allowed[0]}`
    : `: the next steps are ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
  throw conflict(`cannot ${step} a ticket that is ${status}${next}`, { key: 'ticketStep', args: { step, status } });
}

/** Whether a role may take `step`; throws a 403 otherwise. */
export function assertRoleMayStep(role: string, step: StepName): void {
  const roles: readonly string[] = STEPS[step].roles;
  if (!roles.includes(role)) {
    throw forbidden(`${step} needs the role ${roles.join(' or ')}; this token is ${role}`, { key: 'ticketStepRole', args: { step, roles: STEPS[step].roles.slice() } });
  }
}

/** A ticket is open (blocks a duplicate) until it is closed. */
export function isActive(status: TicketStatus): boolean {
  return status !== 'closed';
}
