import { zonedInstant } from '../../../checks/index.js';
import { ValidationError, type Lang } from '../../../schemas/index.js';
import { html, type SafeHtml } from '../../html/index.js';
import type { Refusal } from '../../refusals.js';

/*
 * Dates and times typed into the dashboard. `<input type="date|datetime-local|month|time">` shows
 * the browser's locale (Chromium in en-US: mm/dd/yyyy, 02:30 PM), not the page's language; these
 * are text fields in ISO order instead — 2026-11-28 14:30 on a Chinese page and an English one —
 * with a pattern the browser checks first and the server checks again. A time is the site's local
 * time (people read local time): the server reads it in the site's zone.
 */

export type TimeField = 'datetime' | 'date' | 'month' | 'time';

const FIELD: Record<TimeField, { pattern: string; example: string; zh: string; en: string }> = {
  datetime: { pattern: '\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}', example: '2026-11-28 14:30', zh: '年-月-日 时:分(24 小时制,站点当地时间)', en: 'YYYY-MM-DD HH:mm (24-hour, the site’s local time)' },
  date: { pattern: '\\d{4}-\\d{2}-\\d{2}', example: '2026-11-28', zh: '年-月-日', en: 'YYYY-MM-DD' },
  month: { pattern: '\\d{4}-\\d{2}', example: '2026-11', zh: '年-月', en: 'YYYY-MM' },
  time: { pattern: '\\d{2}:\\d{2}', example: '08:30', zh: '时:分(24 小时制)', en: 'HH:mm (24-hour)' },
};

/** A date or time field in ISO order, whatever the browser's locale; the hint in the page's language. */
export function timeInput(lang: Lang, kind: TimeField, name: string, options: { value?: string | null; required?: boolean } = {}): SafeHtml {
  const f = FIELD[kind];
  return html`<input name="${name}" type="text" inputmode="numeric" autocomplete="off" pattern="${f.pattern}" placeholder="${f.example}" title="${f[lang]}" size="${f.example.length + 1}" maxlength="19" data-time="${kind}" value="${options.value ?? ''}"${options.required ? html` required` : ''}>`;
}

const WALL = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?$/;

/**
 * A local date-time typed as `YYYY-MM-DD HH:mm` (or with a `T`, or seconds) read in the site's zone,
 * as an ISO instant; nothing typed is undefined. Anything else — another order, 24:00, 31 February —
 * is a 400 naming the field, never read in the server's own zone.
 */
export function localInstant(text: string | undefined, zone: string, field: string): string | undefined {
  const typed = text?.trim();
  if (!typed) return undefined;
  const wall = WALL.exec(typed);
  const [y, mo, d, h, mi, s] = wall ? wall.slice(1).map((x) => Number(x ?? 0)) : [];
  // Date.UTC rolls 31 February over into March: a date that does not come back as typed is no date.
  const real = wall && h! < 24 && mi! < 60 && s! < 60 && new Date(Date.UTC(y!, mo! - 1, d!)).toISOString().startsWith(typed.slice(0, 10));
  if (!real) {
    const err = new ValidationError('local time', [{ path: `/${field}`, message: `"${typed.slice(0, 40)}" is not a local time YYYY-MM-DD HH:mm (the site's time zone, 24-hour)` }]);
    // The dashboard words it with the format to type (collector/refusals.ts); the API keeps the message.
    throw Object.assign(err, { words: { key: 'localTime', args: { field } } satisfies Refusal });
  }
  return new Date(zonedInstant(zone, y!, mo! - 1, d!, h!, mi!) + s! * 1000).toISOString();
}
