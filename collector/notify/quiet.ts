import { offsetMinutes } from '../../checks/index.js';
import type { NotifySettings, Priority } from '../../schemas/index.js';

const DAY = 86_400_000;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** P1 and P2 are urgent: quiet hours never hold them back. */
export const URGENT: readonly Priority[] = ['P1', 'P2'];

/**
 * When a message raised at `at` may go out: `at` itself, or the end of the quiet hours it falls
 * in (P3, P4 and messages without a priority only). Quiet hours may wrap midnight (22:00–07:00).
 * Times of day are the site's (`zone`): 22:00 is 22:00 where the engineer on duty sleeps. Pure.
 */
export function releaseAt(settings: Pick<NotifySettings, 'quietHours'>, priority: Priority | null, at: number, zone: string): number {
  const quiet = settings.quietHours;
  if (!quiet || (priority !== null && URGENT.includes(priority))) return at;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return at;
  // Local midnight as an instant (the offset at `at`; a release across a DST change is off by its hour).
  const offset = offsetMinutes(at, zone) * 60_000;
  const midnight = Math.floor((at + offset) / DAY) * DAY - offset;
  const minute = (at - midnight) / 60_000;
  if (start < end) return minute >= start && minute < end ? midnight + end * 60_000 : at;
  // Wraps midnight: quiet from start to 24:00 and from 00:00 to end.
  if (minute >= start) return midnight + DAY + end * 60_000;
  if (minute < end) return midnight + end * 60_000;
  return at;
}
