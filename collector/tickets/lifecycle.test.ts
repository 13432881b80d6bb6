import { describe, expect, it } from 'vitest';
import { TICKET_STATUSES, type TicketStatus } from '../../schemas/index.js';
import { assertRoleMayStep, nextStatus, STEP_NAMES, type StepName } from './lifecycle.js';
import { ApiError } from '../errors.js';

const LEGAL: [TicketStatus, StepName, TicketStatus][] = [
  ['open', 'respond', 'responded'],
  ['responded', 'dispatch', 'dispatched'],
  ['responded', 'on-site', 'on_site'],
  ['dispatched', 'on-site', 'on_site'],
  // Fixed remotely: resolved without a visit (the defect: resolve refused anything not on site).
  ['responded', 'resolve', 'resolved'],
  ['dispatched', 'resolve', 'resolved'],
  ['on_site', 'resolve', 'resolved'],
  ['resolved', 'confirm', 'confirmed'],
  ['confirmed', 'close', 'closed'],
];

describe('ticket lifecycle', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, step, to) => {
    expect(nextStatus(from, step)).toBe(to);
  });

  // Every other (status, step) pair is refused with a 409 that names the allowed step.
  const illegal = TICKET_STATUSES.flatMap((status) =>
    STEP_NAMES.filter((step) => !LEGAL.some(([f, s]) => f === status && s === step)).map((step) => [status, step] as const),
  );
  it('refuses 32 illegal steps', () => expect(illegal).toHaveLength(TICKET_STATUSES.length * STEP_NAMES.length - LEGAL.length));
  it.each(illegal)('refuses %s --%s-->', (status, step) => {
    let error: unknown;
    try {
      nextStatus(status, step);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).statusCode).toBe(409);
    expect((error as ApiError).message).toContain(`cannot ${step} a ticket that is ${status}`);
  });

  it('names the next step in the refusal', () => {
    expect(() => nextStatus('open', 'resolve')).toThrow('the next step is respond');
    expect(() => nextStatus('closed', 'respond')).toThrow('it is closed');
    expect(() => nextStatus('responded', 'respond')).toThrow('the next steps are dispatch, on-site or resolve');
  });

  it.each([
    ['engineer', 'respond', true],
    ['admin', 'close', true],
    ['customer', 'confirm', true],
    ['engineer', 'confirm', false],
    ['admin', 'confirm', false],
    ['customer', 'resolve', false],
    ['agent', 'respond', false],
  ] as const)('%s may %s: %s', (role, step, allowed) => {
    if (allowed) expect(() => assertRoleMayStep(role, step)).not.toThrow();
    else expect(() => assertRoleMayStep(role, step)).toThrow(/needs the role/);
  });
});
