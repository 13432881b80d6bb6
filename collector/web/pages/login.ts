import type { Lang } from '../../../schemas/index.js';
import { t } from '../i18n.js';
import { h, layout } from './layout.js';

export function loginPage(lang: Lang, o: { next?: string | undefined; error?: string; name?: string }): string {
  return layout(
    lang,
    t(lang, 'login'),
    `<form method="post" action="/login" class="card login" id="login">
  ${o.error ? `<p class="error" role="alert">${h(o.error)}</p>` : ''}
  <label>${t(lang, 'userName')} <input name="name" autocomplete="username" required value="${h(o.name ?? '')}"></label>
  <label>${t(lang, 'password')} <input name="password" type="password" autocomplete="current-password" required></label>
  <input type="hidden" name="next" value="${h(o.next ?? '/')}">
  <button type="submit">${t(lang, 'login')}</button>
</form>`,
    null,
  );
}
