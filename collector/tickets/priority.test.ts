import { describe, expect, it } from 'vitest';
import type { DeviceKind, Priority, PriorityRule, TicketSubject } from '../../schemas/index.js';
import { priorityFor } from './priority.js';

describe('ticket priority', () => {
  it.each<[TicketSubject, DeviceKind | null, string | null, Priority]>([
    ['down', 'server', null, 'P2'],
    ['down', 'switch', 'core', 'P1'],
    ['down', 'switch', 'CORE', 'P1'],
    ['SXKR-004', 'ups', null, 'P2'],
    ['SXKR-004', 'server', 'core', 'P1'],
    ['SXKR-003', 'switch', 'core', 'P2'],
    ['SXKR-003', 'server', 'db', 'P3'],
    ['SXKR-001', 'server', 'core', 'P3'],
    ['SXKR-002', 'server', null, 'P3'],
    ['SXKR-005', 'room', null, 'P3'],
    ['SXKR-006', 'server', 'core', 'P3'],
    ['SXKR-006', 'router', 'access', 'P4'],
    ['manual', null, null, 'P3'],
  ])('%s on %s (role %s) → %s', (subject, kind, role, expected) => {
    expect(priorityFor({ subject, kind, role })).toBe(expected);
  });

  it("tries the site's rules first", () => {
    const site: PriorityRule[] = [
      { subject: 'SXKR-005', kind: 'room', priority: 'P1' },
      { subject: '*', role: 'lab', priority: 'P4' },
    ];
    expect(priorityFor({ subject: 'SXKR-005', kind: 'room' }, site)).toBe('P1');
    expect(priorityFor({ subject: 'SXKR-005', kind: 'server' }, site)).toBe('P3');
    expect(priorityFor({ subject: 'down', kind: 'server', role: 'lab' }, site)).toBe('P4');
  });
});
