import { badRequest } from '../errors.js';

/** `YYYY-MM` → the month's bounds in epoch ms (UTC), [start, end). */
export function monthBounds(month: string): { start: number; end: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw badRequest('bad_month', `month "${month}" must be YYYY-MM`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { start: Date.UTC(year, index, 1), end: Date.UTC(year, index + 1, 1) };
}

/** The UTC month of a time, `YYYY-MM`. */
export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}
