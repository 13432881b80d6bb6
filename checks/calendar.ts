/**
 * A site's calendar: its IANA time zone decides which month, quarter and day an instant belongs
 * to, and every time printed for a person is local with its offset (`2026-12-01 01:30 +08:00`).
 * The API keeps ISO instants; only what a person reads or files by calendar goes through here.
 * Pure: Intl's tz database, no I/O.
 */

/** The zone of a site nobody has configured: the product's customers are in China. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

// Area/Location names (and UTC) only: Node accepts offsets like "+08:00" too, but an offset has no
// daylight-saving rules, so a site set to one would print wrong half the year in London.
const IANA_NAME = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2})$/;

/** The canonical spelling of an IANA zone name, or undefined when Intl does not know it. */
export function canonicalTimeZone(name: string): string | undefined {
  if (!IANA_NAME.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

interface LocalParts {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a zone. */
export function localParts(ms: number, zone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

/** The zone's offset from UTC at an instant, minutes (+480 for China). */
export function offsetMinutes(ms: number, zone: string): number {
  return offsetOf(ms, localParts(ms, zone));
}

const offsetOf = (ms: number, p: LocalParts): number =>
  Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000) / 60_000);

/**
 * The instant a wall-clock reading names in a zone (month index 0-based and allowed to overflow,
 * as with Date.UTC). Midnight inside a spring-forward gap resolves to the first instant after it.
 */
export function zonedInstant(zone: string, year: number, monthIndex: number, day = 1, hour = 0, minute = 0): number {
  const wall = Date.UTC(year, monthIndex, day, hour, minute);
  const first = wall - offsetMinutes(wall, zone) * 60_000;
  const second = wall - offsetMinutes(first, zone) * 60_000;
  return offsetMinutes(second, zone) === offsetMinutes(first, zone) ? first : Math.max(first, second);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `+08:00`, `+00:00`, `-05:00`. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** `2026-12-01 01:30 +08:00`: what every page, PDF, spreadsheet and form prints. */
export function formatLocalTime(ms: number, zone: string): string {
  const p = localParts(ms, zone);
  // One Intl call per time: the offset comes from the same wall-clock reading.
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)} ${formatOffset(offsetOf(ms, p))}`;
}

/** `YYYY-MM-DD` of an instant in the zone. */
export function localDay(ms: number, zone: string): string {
  const p = localParts(ms, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** `YYYY-MM` of an instant in the zone: the inspection record it is filed in. */
export function localMonth(ms: number, zone: string): string {
  return localDay(ms, zone).slice(0, 7);
}

/** `YYYY-Qn` of an instant in the zone. */
export function localQuarter(ms: number, zone: string): string {
  const p = localParts(ms, zone);
  return `${p.year}-Q${Math.floor((p.month - 1) / 3) + 1}`;
}

/** `YYYY-H1` / `YYYY-H2` of an instant in the zone. */
export function localHalf(ms: number, zone: string): string {
  const p = localParts(ms, zone);
  return `${p.year}-H${p.month <= 6 ? 1 : 2}`;
}
