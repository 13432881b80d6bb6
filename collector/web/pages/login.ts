import type { Lang } from '../../../schemas/index.js';
import { html, type SafeHtml } from '../../html/index.js';
import { t } from '../i18n.js';
import { brandMark, layout } from './layout.js';

/** The log-in form; `csrf` is the token the form must send back (a cross-site form cannot know it). */
export function loginPage(lang: Lang, o: { next?: string | undefined; error?: string; name?: string; csrf: string }): SafeHtml {
  return layout(
    lang,
    t(lang, 'login'),
    html`<p class="product"><strong class="brand">${brandMark(lang)}</strong> · ${t(lang, 'productTagline')}</p>
<form method="post" action="/login?lang=${lang}" class="card login" id="login">
  ${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
  <input type="hidden" name="_csrf" value="${o.csrf}">
  <label>${t(lang, 'userName')} <input name="name" autocomplete="username" required value="${o.name ?? ''}"></label>
  <label>${t(lang, 'password')} <input name="password" type="password" autocomplete="current-password" required></label>
  <input type="hidden" name="next" value="${o.next ?? '/'}">
  <button type="submit">${t(lang, 'login')}</button>
</form>`,
    null,
  );
}
