import type { Lang, TicketEvent } from '../../../schemas/index.js';
import { formatTime, symptomText } from '../../reports/index.js';
import { SYSTEM } from '../../tickets/repository.js';
import { ROLE_TERMS, term } from '../../terms.js';

/*
 * The notes the collector itself writes on a ticket's events (collector/tickets/hook.ts,
 * silence.ts, opener.ts) are stored in English; a page words them in the reader's language and
 * puts a time they carry in the site's zone. A person's note is shown as written.
 */

type Said = (m: RegExpExecArray, zone: string) => string;
const SYSTEM_NOTES: [RegExp, Record<Lang, Said>][] = [
  [/^normal again \(report (\S+)\)$/, { zh: (m) => `恢复正常（报告 ${m[1]}）`, en: (m) => `normal again (report ${m[1]})` }],
  [/^reported again \(report (\S+)\)$/, { zh: (m) => `重新上报（报告 ${m[1]}）`, en: (m) => `reported again (report ${m[1]})` }],
  [
    /^heard from again at (\S+)$/,
    { zh: (m, zone) => `${formatTime(Date.parse(m[1]!), zone)} 恢复联系`, en: (m, zone) => `heard from again at ${formatTime(Date.parse(m[1]!), zone)}` },
  ],
];

/** Who acted: the collector itself in words, a person by name. */
export const eventActor = (lang: Lang, e: Pick<TicketEvent, 'by'>): string => (e.by === SYSTEM.name ? term(lang, ROLE_TERMS, 'system') : e.by);

/** An event's note in `lang`: the collector's own in words, a relapse's symptom like a symptom, a person's as written. */
export function eventNote(lang: Lang, e: Pick<TicketEvent, 'event' | 'by' | 'note'>, zone: string): string {
  if (e.note === undefined) return '';
  if (e.by !== SYSTEM.name) return e.note;
  if (e.event === 'relapsed') return symptomText(lang, e.note);
  for (const [pattern, words] of SYSTEM_NOTES) {
    const m = pattern.exec(e.note);
    if (m) return words[lang](m, zone);
  }
  return e.note;
}
