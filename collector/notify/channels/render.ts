import { html, type SafeHtml } from '../../html/index.js';
import type { OutgoingMessage } from './types.js';
import { LANG_TAG } from '../../../checks/index.js';

/*
 * One message, worded for each medium: markdown for the robots, text + simple HTML for e-mail.
 * Only the few fixed words here are ours to translate; title and lines come worded in the
 * message's language from the sender.
 */

const WORDS = {
  zh: { open: '在巡检系统中查看', priority: '优先级', test: '测试消息' },
  en: { open: 'Open in Xunjian', priority: 'Priority', test: 'test message' },
} as const;

export const wordsFor = (lang: OutgoingMessage['lang']) => WORDS[lang];

/** `[P1] Core switch down` — the priority first, where a phone's notification shows it. */
export function subjectOf(m: OutgoingMessage): string {
  return m.priority ? `[${m.priority}] ${m.title}` : m.title;
}

/** Markdown as the three robots read it: a bold title, the lines, then the dashboard link. */
export function markdownOf(m: OutgoingMessage, options: { withTitle?: boolean } = {}): string {
  const parts = options.withTitle === false ? [] : [`**${subjectOf(m)}**`];
  parts.push(...m.lines);
  if (m.link) parts.push(`[${wordsFor(m.lang).open}](${m.link})`);
  return parts.join('\n\n');
}

export function textOf(m: OutgoingMessage): string {
  const out = [subjectOf(m), '', ...m.lines];
  if (m.link) out.push('', `${wordsFor(m.lang).open}: ${m.link}`);
  return `${out.join('\n')}\n`;
}

export function htmlOf(m: OutgoingMessage): SafeHtml {
  return html`<!doctype html><html lang="${LANG_TAG[m.lang]}"><head><meta charset="utf-8"><title>${subjectOf(m)}</title></head><body>
<h2>${subjectOf(m)}</h2>
${m.lines.map((l) => html`<p>${l}</p>`)}
${m.link && /^https?:\/\//i.test(m.link) ? html`<p><a href="${m.link}">${wordsFor(m.lang).open}</a></p>` : ''}
</body></html>`;
}

/** Cuts text to at most `maxBytes` of UTF-8 without splitting a character (WeCom refuses markdown over 4096 bytes). */
export function fitBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (used + n > maxBytes - 3) break;
    out += ch;
    used += n;
  }
  return `${out}…`;
}
