import type { Lang } from '../../../schemas/index.js';
import { html, type SafeHtml } from '../../html/index.js';
import type { SiteRow } from '../../repositories/index.js';
import type { Viewer } from '../../users/index.js';

const WORDS = {
  zh: { heading: '客户与合同（印在报告封面）', customer: '客户名称', contractNo: '合同编号', example: '例如 HT-2026-017', save: '保存' },
  en: { heading: 'Customer and contract (printed on the report covers)', customer: "Customer's name", contractNo: 'Contract no.', example: 'e.g. HT-2026-017', save: 'Save' },
} as const satisfies Record<Lang, Record<string, string>>;

/**
 * The site's customer name and contract number, beside the contract start of the notification
 * settings (engineers and admins; the page refuses customers). Posted to `…/notify/contract`,
 * through SiteActions.setContract; an empty field clears it (the covers then print 未登记).
 */
export function siteContractForm(lang: Lang, viewer: Viewer, site: SiteRow): SafeHtml {
  const w = WORDS[lang];
  return html`<form method="post" action="/sites/${encodeURIComponent(site.name)}/notify/contract" class="card" id="site-contract">
<input type="hidden" name="_csrf" value="${viewer.csrf ?? ''}"><h2>${w.heading}</h2>
<label>${w.customer} <input name="title" maxlength="200" value="${site.title ?? ''}"></label>
<label>${w.contractNo} <input name="contractNo" maxlength="100" value="${site.contractNo ?? ''}" placeholder="${w.example}"></label>
<button type="submit">${w.save}</button></form>`;
}

/** The form as the action's input: each field trimmed, an empty one null (cleared). */
export function contractOf(form: Record<string, string | string[] | undefined>): { title: string | null; contractNo: string | null } {
  const field = (k: string) => {
    const v = form[k];
    return (Array.isArray(v) ? v[0] : v)?.trim() || null;
  };
  return { title: field('title'), contractNo: field('contractNo') };
}
