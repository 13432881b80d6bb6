import type { Lang } from '../../../schemas/index.js';
import { html, type SafeHtml } from '../../html/index.js';
import type { Viewer } from '../../users/index.js';
import { brandingNow } from '../../branding.js';
import { t } from '../i18n.js';
import { LANG_TAG } from '../../../checks/index.js';
import { ROLE_TERMS, term } from '../../terms.js';

/**
 * The service company's logo and name where one is configured, then the product's name. The logo
 * is an <img> of /branding/logo (never inlined: an SVG's script stays inert as an image); its alt
 * is empty beside the company's name, which says it already.
 */
export function brandMark(lang: Lang): SafeHtml {
  const b = brandingNow();
  const logo = b.logo ? html`<img class="logo" src="/branding/logo" alt="${b.company ? '' : t(lang, 'companyLogo')}">` : '';
  const company = b.company ? html`<span class="company">${b.company}</span>` : '';
  return html`${logo}${company}<span class="product-name">${t(lang, 'appName')}</span>`;
}

/** The page frame: navigation, language switch, the CSRF token for scripts, one stylesheet and one script. */
export function layout(lang: Lang, title: string, body: SafeHtml, viewer: Viewer | null, site?: string, csrf?: string): SafeHtml {
  const staff = viewer !== null && viewer.role !== 'customer';
  const siteNav = site
    ? html`<a href="/sites/${encodeURIComponent(site)}/review">${t(lang, 'review')}</a>
       <a href="/sites/${encodeURIComponent(site)}/tickets">${t(lang, 'tickets')}</a>
       <a href="/sites/${encodeURIComponent(site)}/maintenance">${t(lang, 'maintenance')}</a>
       <a href="/sites/${encodeURIComponent(site)}/reports">${t(lang, 'reports')}</a>
       <a href="/sites/${encodeURIComponent(site)}/equipment">${t(lang, 'equipment')}</a>
       ${staff ? html`<a href="/sites/${encodeURIComponent(site)}/notify">${t(lang, 'notifications')}</a>` : ''}`
    : '';
  // Notification settings hold people's addresses and channel targets: not a customer's.
  const channels = staff ? html`<a href="/notify/channels">${t(lang, 'channels')}</a>` : '';
  const user = viewer
    ? html`<span class="who">${viewer.name} · ${term(lang, ROLE_TERMS, viewer.role)}</span>
       <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${viewer.csrf ?? ''}"><button type="submit">${t(lang, 'logout')}</button></form>`
    : '';
  const other = lang === 'zh' ? 'en' : 'zh';
  return html`<!doctype html><html lang="${LANG_TAG[lang]}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${viewer?.csrf ?? csrf ?? ''}">
<title>${title} · ${t(lang, 'appName')}</title>
<link rel="stylesheet" href="/static/app.css"></head>
<body><header><nav><a href="/" class="brand">${brandMark(lang)}</a><a href="/">${t(lang, 'sites')}</a>${siteNav}${channels}</nav>
<div class="right"><a href="?lang=${other}" class="lang" data-lang="${other}">${other === 'en' ? 'English' : '中文'}</a>${user}</div></header>
<main><h1>${title}</h1>
${body}
</main><script src="/static/app.js" defer></script></body></html>`;
}
