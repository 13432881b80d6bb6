import { localDay, localMonth, localQuarter, zonedInstant } from '../../checks/index.js';
import { badRequest } from '../errors.js';

/*
 * Reporting periods are cut at midnight in the site's time zone (issue 11): a report received at
 * 01:30 China time on 1 December is December's, though it is still November in UTC.
 */

/** A reporting period in epoch ms, [start, end), with its label. */
export interface Period {
  label: string;
  start: number;
  end: number;
}

/** `YYYY-MM` → the month in the site's zone. */
export function monthPeriod(month: string, zone: string): Period {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw badRequest('bad_month', `month "${month}" must be YYYY-MM`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { label: month, start: zonedInstant(zone, year, index), end: zonedInstant(zone, year, index + 1) };
}

/** `YYYY-Qn` → the quarter (Q1 = January–March) in the site's zone. */
export function quarterPeriod(quarter: string, zone: string): Period {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) throw badRequest('bad_quarter', `quarter "${quarter}" must be YYYY-Qn, e.g. 2026-Q4`);
  const year = Number(m[1]);
  const first = (Number(m[2]) - 1) * 3;
  return { label: quarter, start: zonedInstant(zone, year, first), end: zonedInstant(zone, year, first + 3) };
}

export const monthOfTime = (ms: number, zone: string): string => localMonth(ms, zone);
export const quarterOfTime = (ms: number, zone: string): string => localQuarter(ms, zone);

/** How much of [a, b) lies inside the period, ms. */
export function overlap(period: Period, a: number, b: number): number {
  return Math.max(0, Math.min(b, period.end) - Math.max(a, period.start));
}

/** `YYYY-H1` (January–June) or `YYYY-H2`, in the site's zone. */
export function halfPeriod(half: string, zone: string): Period {
  const m = /^(\d{4})-H([12])$/.exec(half);
  if (!m) throw badRequest('bad_half', `half year "${half}" must be YYYY-H1 or YYYY-H2`);
  const year = Number(m[1]);
  const first = m[2] === '1' ? 0 : 6;
  return { label: half, start: zonedInstant(zone, year, first), end: zonedInstant(zone, year, first + 6) };
}

/** `YYYY` → the calendar year in the site's zone (contract years starting elsewhere pass their own bounds). */
export function yearPeriod(year: string, zone: string): Period {
  if (!/^\d{4}$/.test(year)) throw badRequest('bad_year', `year "${year}" must be YYYY`);
  const y = Number(year);
  return { label: year, start: zonedInstant(zone, y, 0), end: zonedInstant(zone, y + 1, 0) };
}

/** The months of a period, `YYYY-MM`, in order (the period's start is a local month's first instant). */
export function monthsOf(period: Period, zone: string): string[] {
  const out: string[] = [];
  const [year, month] = localMonth(period.start, zone).split('-').map(Number) as [number, number];
  for (let i = month - 1; zonedInstant(zone, year, i) < period.end; i++) out.push(localMonth(zonedInstant(zone, year, i), zone));
  return out;
}

/** A contract year: its bounds, its first and last day as the contract writes them, and whether the site set its start. */
export interface ContractYear extends Period {
  firstDay: string;
  lastDay: string;
  /** The site's contract start (notification settings `contractStart`, MM-DD); false: the calendar year stands in. */
  configured: boolean;
}

/**
 * The contract year that starts in `year` on the site's contract start (MM-DD, midnight in its
 * zone), e.g. 2026 with 03-01: 2026-03-01 … 2027-02-28. Without a configured start, the calendar year.
 * A start of 02-29 is taken as 03-01 in years without one (Date's own roll-over).
 */
export function contractYearPeriod(year: string, contractStart: string | undefined, zone: string): ContractYear {
  if (!/^\d{4}$/.test(year)) throw badRequest('bad_year', `year "${year}" must be YYYY`);
  const y = Number(year);
  const [m, d] = (contractStart ?? '01-01').split('-').map(Number) as [number, number];
  const start = zonedInstant(zone, y, m - 1, d);
  const end = zonedInstant(zone, y + 1, m - 1, d);
  const firstDay = localDay(start, zone);
  const lastDay = localDay(end - 1, zone);
  const calendar = firstDay.endsWith('-01-01');
  return { label: calendar ? year : `${firstDay}~${lastDay}`, start, end, firstDay, lastDay, configured: contractStart !== undefined };
}

/** The contract year (its starting year, `YYYY`) an instant falls in. */
export function contractYearOf(ms: number, contractStart: string | undefined, zone: string): string {
  const year = Number(localMonth(ms, zone).slice(0, 4));
  return contractYearPeriod(String(year), contractStart, zone).start <= ms ? String(year) : String(year - 1);
}
