import type { MaintenanceRequest, MaintenanceRequestInput, MaintenanceStatus } from '../../schemas/index.js';
import { badRequest, conflict } from '../errors.js';

/** Changes are asked this far ahead unless they are emergencies (service plan 5.3). */
export const NOTICE_HOURS = 24;
const HOUR = 3_600_000;

/**
 * Refuses (400, with the reason) a request whose window is malformed, or which is asked less than
 * 24 h before its window opens without being an emergency. Pure: `now` is passed in.
 */
export function assertRequestable(req: Pick<MaintenanceRequestInput, 'windowStart' | 'windowEnd' | 'emergency'>, now: Date): void {
  const start = Date.parse(req.windowStart);
  const end = Date.parse(req.windowEnd);
  if (end <= start) {
    throw badRequest('bad_window', `windowEnd (${req.windowEnd}) must be after windowStart (${req.windowStart})`, { key: 'badWindow', args: {} });
  }
  const noticeHours = (start - now.getTime()) / HOUR;
  if (!req.emergency && noticeHours < NOTICE_HOURS) {
    const shown = noticeHours < 0 ? 'after the window opened' : `${noticeHours.toFixed(1)} h ahead`;
    throw badRequest(
      'too_late',
      `maintenance must be requested at least ${NOTICE_HOURS} h before its window (this one is ${shown}); mark it emergency if it cannot wait`,
      { key: 'tooLate', args: { hours: NOTICE_HOURS } },
    );
  }
}

/** A name as people write it: case, width and spacing do not make a second person. */
const person = (name: string) => name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The two-person rule (service plan 5.3): one operates, one records. 400 when the recorder is the
 * engineer himself under any spelling. Pure.
 */
export function assertTwoPeople(req: Pick<MaintenanceRequestInput, 'engineer' | 'recorder'>): void {
  if (person(req.engineer) === person(req.recorder)) {
    throw badRequest(
      'same_person',
      `the recorder must be a second person present, not the engineer (${req.engineer}) himself: one operates, one records (service plan 5.3)`,
      { key: 'recorderSameAsEngineer', args: {} },
    );
  }
}

/** The statuses of a request the customer approved: approved, and every status of its execution. */
export const APPROVED_STATUSES: readonly MaintenanceStatus[] = ['approved', 'in_progress', 'completed', 'rolled_back'];

/** Every step a request can take after it is filed, from which statuses, to which. */
export const MAINTENANCE_STEPS = {
  approve: { from: ['requested'], to: 'approved' },
  reject: { from: ['requested'], to: 'rejected' },
  cancel: { from: ['requested', 'approved'], to: 'cancelled' },
  start: { from: ['approved'], to: 'in_progress' },
  complete: { from: ['in_progress'], to: 'completed' },
  rollback: { from: ['in_progress'], to: 'rolled_back' },
} as const satisfies Record<string, { from: readonly MaintenanceStatus[]; to: MaintenanceStatus }>;
export type MaintenanceStep = keyof typeof MAINTENANCE_STEPS;

/** 409 naming the status and what the step needs, when `step` is not allowed from `current`. Pure. */
export function assertStep(id: number, current: MaintenanceStatus, step: MaintenanceStep): void {
  const from: readonly MaintenanceStatus[] = MAINTENANCE_STEPS[step].from;
  if (!from.includes(current)) {
    throw conflict(`cannot ${step} maintenance request ${id}: it is ${current}, and ${step} needs it ${from.join(' or ')}`, { key: 'maintenanceStep', args: { step, status: current } });
  }
}

/**
 * Whether a request's window covers `device` at `at`: approved or in progress, within the window
 * the customer approved; once the work has ended, only up to its actual end (a fault seen after
 * the change is finished is a real fault). Pure.
 */
export function suppresses(
  req: Pick<MaintenanceRequest, 'status' | 'windowStart' | 'windowEnd' | 'devices'> & Partial<Pick<MaintenanceRequest, 'actualEnd'>>,
  device: string,
  at: Date,
): boolean {
  const t = at.getTime();
  let end = Date.parse(req.windowEnd);
  if (req.status === 'completed' || req.status === 'rolled_back') end = Math.min(end, req.actualEnd ? Date.parse(req.actualEnd) : -Infinity);
  else if (req.status !== 'approved' && req.status !== 'in_progress') return false;
  return Date.parse(req.windowStart) <= t && t <= end && req.devices.includes(device);
}
