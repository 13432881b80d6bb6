/**
 * HTML that is escaped unless asked otherwise. Every page and printable report is built with the
 * `html` tag: each interpolated value is escaped for element content and (quoted) attribute
 * values, arrays are joined, `null`/`undefined`/`false`/`true` print nothing — so a device, a
 * person's name or a log line can never become markup. Markup from elsewhere enters only through
 * `raw()`, by name, where a reader can see it.
 */
export class SafeHtml {
  /** Use `html` or `raw` rather than this constructor. */
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** What may be written between `${}` in an `html` template. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.markup;
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value as string);
}

/** The escaping template tag: html`<td>${name}</td>` escapes `name`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Trusted markup, written as is: constants of this code base (a stylesheet), never data. */
export const raw = (markup: string): SafeHtml => new SafeHtml(markup);

/** Parts joined with a separator that is itself escaped unless it is SafeHtml. */
export const joinHtml = (parts: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml =>
  new SafeHtml(parts.map(render).join(render(separator)));
