import type { Lang } from '../../../schemas/index.js';
import { html, type SafeHtml } from '../../html/index.js';
import type { Viewer } from '../../users/index.js';
import { t, type Term } from '../i18n.js';
import { layout } from './layout.js';
import { refusalFromQuery } from '../../refusals.js';

/** The statuses a page names; anything else reads as its class (4xx as 400, 5xx as 500). */
const KNOWN = [400, 403, 404, 500] as const;
type Known = (typeof KNOWN)[number];

function known(status: number): Known {
  if ((KNOWN as readonly number[]).includes(status)) return status as Known;
  return status >= 500 ? 500 : 400;
}

const TITLE: Record<Known, Term> = { 400: 'error400', 403: 'error403', 404: 'error404', 500: 'error500' };
const TEXT: Record<Known, Term> = { 400: 'error400Text', 403: 'error403Text', 404: 'error404Text', 500: 'error500Text' };

/**
 * An error a person reads, in the page's language: what happened in a sentence, the refusal's own
 * message as detail (never for a 500: an internal error's text is the server's, not the reader's),
 * and the way back. The status code stays the error's.
 */
export function errorPage(lang: Lang, status: number, detail: string | null, viewer: Viewer | null): SafeHtml {
  const k = known(status);
  return layout(
    lang,
    t(lang, TITLE[k]),
    html`<section class="card error-page" role="alert">
  <p>${t(lang, TEXT[k])}</p>
  ${detail !== null && k !== 500 ? html`<p class="detail"><span>${t(lang, 'errorDetail')}:</span> <code>${detail}</code></p>` : ''}
  <p><a href="/">${t(lang, 'backHome')}</a></p>
</section>`,
    viewer,
  );
}

/**
 * A refused form action as the page shows it: the refusal's key and arguments come back in the URL
 * (`?error=ticketStep&error.step=…`) and are worded from the catalogue in the reader's language
 * (collector/refusals.ts); nothing typed into the URL is shown as it was.
 */
export const refusalText = (lang: Lang, query: unknown): string | undefined => refusalFromQuery(lang, query);

/** Whether a request would read an HTML page rather than JSON: a browser's, outside the API. */
export function wantsPage(url: string, accept: string | undefined): boolean {
  if (url.startsWith('/api/') || url.startsWith('/static/') || url === '/metrics') return false;
  return /\btext\/html\b/.test(accept ?? '');
}
