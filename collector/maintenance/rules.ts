import type { MaintenanceRequest, MaintenanceRequestInput } from '../../schemas/index.js';
import { badRequest } from '../errors.js';

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
    throw badRequest('bad_window', `windowEnd (${req.windowEnd}) must be after windowStart (${req.windowStart})`);
  }
  const noticeHours = (start - now.getTime()) / HOUR;
  if (!req.emergency && noticeHours < NOTICE_HOURS) {
    const shown = noticeHours < 0 ? 'after the window opened' : `${noticeHours.toFixed(1)} h ahead`;
    throw badRequest(
      'too_late',
      `maintenance must be requested at least ${NOTICE_HOURS} h before its window (this one is ${shown}); mark it emergency if it cannot wait`,
    );
  }
}

/** Whether an approved request's window covers `device` at `at`. Pure. */
export function suppresses(req: Pick<MaintenanceRequest, 'status' | 'windowStart' | 'windowEnd' | 'devices'>, device: string, at: Date): boolean {
  if (req.status !== 'approved') return false;
  const t = at.getTime();
  return Date.parse(req.windowStart) <= t && t <= Date.parse(req.windowEnd) && req.devices.includes(device);
}
