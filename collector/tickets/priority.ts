import type { DeviceKind, Priority, PriorityRule, TicketSubject } from '../../schemas/index.js';

/**
 * The built-in priority mapping (service plan 4.3). Rules are tried in order, the first match wins;
 * a site's own `priorityRules` are tried before these. `role: 'core'` marks a device whose loss
 * stops the customer's business.
 */
export const DEFAULT_PRIORITY_RULES: PriorityRule[] = [
  // Device down (silent) or power failure: P2, P1 on a core device.
  { subject: 'down', role: 'core', priority: 'P1' },
  { subject: 'down', priority: 'P2' },
  { subject: 'SXKR-004', role: 'core', priority: 'P1' },
  { subject: 'SXKR-004', priority: 'P2' },
  // Modules (disk, RAID, line card, stack member): P2 on a core device, else P3.
  { subject: 'SXKR-003', role: 'core', priority: 'P2' },
  { subject: 'SXKR-003', priority: 'P3' },
  // CPU, memory and temperature: P3.
  { subject: 'SXKR-001', priority: 'P3' },
  { subject: 'SXKR-002', priority: 'P3' },
  { subject: 'SXKR-005', priority: 'P3' },
  // Error log entries: P3 on a core device, else P4 (a non-fault request, no deadline).
  { subject: 'SXKR-006', role: 'core', priority: 'P3' },
  { subject: 'SXKR-006', priority: 'P4' },
  { subject: 'manual', priority: 'P3' },
  { subject: '*', priority: 'P3' },
];

export interface PriorityInput {
  subject: TicketSubject;
  kind?: DeviceKind | null;
  role?: string | null;
}

function matches(rule: PriorityRule, input: PriorityInput): boolean {
  if (rule.subject !== '*' && rule.subject !== input.subject) return false;
  if (rule.kind !== undefined && rule.kind !== input.kind) return false;
  if (rule.role !== undefined && rule.role.toLowerCase() !== (input.role ?? '').toLowerCase()) return false;
  return true;
}

/** The priority of a ticket: the site's rules first, then the built-in mapping. Pure. */
export function priorityFor(input: PriorityInput, siteRules: PriorityRule[] = []): Priority {
  for (const rule of [...siteRules, ...DEFAULT_PRIORITY_RULES]) {
    if (matches(rule, input)) return rule.priority;
  }
  return 'P3';
}
