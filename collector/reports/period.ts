import { badRequest } from '../errors.js';

/** A reporting period in epoch ms (UTC), [start, end), with its label. */
export interface Period {
  label: string;
  start: number;
  end: number;
}

/** `YYYY-MM` → the month. */
export function monthPeriod(month: string): Period {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw badRequest('bad_month', `month "${month}" must be YYYY-MM`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { label: month, start: Date.UTC(year, index, 1), end: Date.UTC(year, index + 1, 1) };
}

/** `YYYY-Qn` → the quarter (Q1 = January–March). */
export function quarterPeriod(quarter: string): Period {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) throw badRequest('bad_quarter', `quarter "${quarter}" must be YYYY-Qn, e.g. 2026-Q4`);
  const year = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3;
  return { label: quarter, start: Date.UTC(year, first, 1), end: Date.UTC(year, first + 3, 1) };
}

export const monthOfTime = (ms: number): string => new Date(ms).toISOString().slice(0, 7);
export const quarterOfTime = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
};

/** How much of [a, b) lies inside the period, ms. */
export function overlap(period: Period, a: number, b: number): number {
  return Math.max(0, Math.min(b, period.end) - Math.max(a, period.start));
}

/** `YYYY-H1` (January–June) or `YYYY-H2`. */
export function halfPeriod(half: string): Period {
  const m = /^(\d{4})-H([12])$/.exec(half);
  if (!m) throw badRequest('bad_half', `half year "${half}" must be YYYY-H1 or YYYY-H2`);
  const year = Number(m[1]);
  const first = m[2] === '1' ? 0 : 6;
  return { label: half, start: Date.UTC(year, first, 1), end: Date.UTC(year, first + 6, 1) };
}

/** `YYYY` → the calendar year (contract years starting elsewhere pass their own bounds). */
export function yearPeriod(year: string): Period {
  if (!/^\d{4}$/.test(year)) throw badRequest('bad_year', `year "${year}" must be YYYY`);
  const y = Number(year);
  return { label: year, start: Date.UTC(y, 0, 1), end: Date.UTC(y + 1, 0, 1) };
}

/** The months of a period, `YYYY-MM`, in order. */
export function monthsOf(period: Period): string[] {
  const out: string[] = [];
  for (let d = new Date(period.start); d.getTime() < period.end; d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))) {
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}
