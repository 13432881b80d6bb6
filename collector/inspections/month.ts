import { localMonth, zonedInstant } from '../../checks/index.js';
import { badRequest } from '../errors.js';

/** `YYYY-MM` → the month's bounds in epoch ms, [start, end), cut at midnight in the site's zone. */
export function monthBounds(month: string, zone: string): { start: number; end: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw badRequest('bad_month', `month "${month}" must be YYYY-MM`, { key: 'badMonth', args: {} });
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { start: zonedInstant(zone, year, index), end: zonedInstant(zone, year, index + 1) };
}

/** The month of a time in the site's zone, `YYYY-MM`: the inspection record it is filed in. */
export function monthOf(ms: number, zone: string): string {
  return localMonth(ms, zone);
}
