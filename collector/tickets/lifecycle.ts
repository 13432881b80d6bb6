import type { TicketStatus } from '../../schemas/index.js';
import { conflict, forbidden } from '../errors.js';

/** The steps a person may take, by URL name: each moves a ticket from exactly one status to the next. */
export const STEPS = {
  respond: { from: 'open', to: 'responded', roles: ['engineer', 'admin'] },
  'on-site': { from: 'responded', to: 'on_site', roles: ['engineer', 'admin'] },
  resolve: { from: 'on_site', to: 'resolved', roles: ['engineer', 'admin'] },
  // 客户确认签字: only the customer's representative confirms.
  confirm: { from: 'resolved', to: 'confirmed', roles: ['customer'] },
  close: { from: 'confirmed', to: 'closed', roles: ['engineer', 'admin'] },
} as const satisfies Record<string, { from: TicketStatus; to: TicketStatus; roles: readonly string[] }>;

export type StepName = keyof typeof STEPS;
export const STEP_NAMES = Object.keys(STEPS) as StepName[];

/** Where `step` takes a ticket in `status`; throws a 409 naming the allowed step when illegal. */
export function nextStatus(status: TicketStatus, step: StepName): TicketStatus {
  const rule = STEPS[step];
  if (rule.from === status) return rule.to;
  const allowed = STEP_NAMES.find((s) => STEPS[s].from === status);
  throw conflict(
    `cannot ${step} a ticket that is ${status}` + (allowed ? `: the next step is ${allowed}` : ': it is closed'),
  );
}

/** Whether a role may take `step`; throws a 403 otherwise. */
export function assertRoleMayStep(role: string, step: StepName): void {
  const roles: readonly string[] = STEPS[step].roles;
  if (!roles.includes(role)) {
    throw forbidden(`${step} needs the role ${roles.join(' or ')}; this token is ${role}`);
  }
}

/** A ticket is open (blocks a duplicate) until it is closed. */
export function isActive(status: TicketStatus): boolean {
  return status !== 'closed';
}
