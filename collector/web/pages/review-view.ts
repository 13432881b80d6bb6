import { CHECK_IDS, DEVICE_KINDS, type DeviceKind, type Inspection, type InspectionRow, type Lang, type Verdict } from '../../../schemas/index.js';
import { kindLabel } from '../../equipment/index.js';
import { html, joinHtml, type SafeHtml } from '../../html/index.js';
import { checkName, formatTime, verdictLabel } from '../../reports/index.js';
import type { Viewer } from '../../users/index.js';
import { t } from '../i18n.js';
import { timeInput } from './local-time.js';

const enc = encodeURIComponent;
const mark = (lang: Lang, v: Verdict) => html`<span class="v ${v}">${verdictLabel(lang, v)}</span>`;
const csrfField = (v: Viewer) => html`<input type="hidden" name="_csrf" value="${v.csrf ?? ''}">`;

export const REVIEW_SHOW = ['all', 'problems', 'abnormal'] as const;
export type ReviewShow = (typeof REVIEW_SHOW)[number];
/** The matrix's filters, read from the page's query (a GET form: a filtered view is a link to share). */
export interface ReviewFilter {
  show: ReviewShow;
  kind: DeviceKind | '';
  role: string;
  q: string;
}

export function reviewFilterOf(query: Record<string, unknown>): ReviewFilter {
  const str = (k: string) => (typeof query[k] === 'string' ? (query[k] as string).slice(0, 200) : '');
  const show = str('show') as ReviewShow;
  const kind = str('kind') as DeviceKind;
  return { show: REVIEW_SHOW.includes(show) ? show : 'all', kind: DEVICE_KINDS.includes(kind) ? kind : '', role: str('role'), q: str('q').trim() };
}

/** What the matrix knows of a device beyond the record: its kind, model and role. */
export interface ReviewDevice {
  kind: DeviceKind | null;
  model: string;
  role: string | null;
}

export interface ReviewPage {
  site: string;
  /** The customer's name (the site's title), shown instead of the site code when there is one. */
  title: string | null;
  /** The record, or null for a customer while the month is still an unsigned draft. */
  insp: Inspection | null;
  month: string;
  /** Months to offer besides the picker: this month and those with a record. */
  months: string[];
  viewer: Viewer;
  zone: string;
  devices: Map<string, ReviewDevice>;
  /** `device\0check` → the open ticket of that cell. */
  tickets: Map<string, number>;
  filter: ReviewFilter;
  error?: string | undefined;
}

const NUMBER = /(-?\d+(?:\.\d+)?)\s*(%|°C)/g;
/**
 * The cell's value in a few characters: the highest percentage or temperature the result reports
 * (a CPU's peak, the fullest file system, the hottest sensor; thresholds in brackets left out),
 * else the result's own words, cut short. The dialog shows all of it.
 */
export function cellValue(actual: string): string {
  let best: { n: number; text: string } | null = null;
  for (const m of actual.replace(/\([^)]*\)|（[^）]*）/g, '').matchAll(NUMBER)) {
    const n = Number(m[1]);
    if (!best || n > best.n) best = { n, text: `${m[1]} ${m[2]}` };
  }
  if (best) return best.text;
  return actual.length > 16 ? `${actual.slice(0, 15)}…` : actual;
}

function matches(f: ReviewFilter, device: string, d: ReviewDevice | undefined, checks: Map<string, InspectionRow>): boolean {
  if (f.kind && d?.kind !== f.kind) return false;
  if (f.role && (d?.role ?? '') !== f.role) return false;
  if (f.q) {
    const needle = f.q.toLowerCase();
    if (![device, d?.model ?? '', d?.role ?? ''].some((s) => s.toLowerCase().includes(needle))) return false;
  }
  if (f.show === 'all') return true;
  // A device without a row for a check is unknown there, like the cell shows it.
  return CHECK_IDS.some((c) => {
    const v = checks.get(c)?.verdict ?? 'unknown';
    return v === 'abnormal' || (f.show === 'problems' && v === 'unknown');
  });
}

function filterForm(lang: Lang, p: ReviewPage): SafeHtml {
  const f = p.filter;
  const opt = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
  const labels: Record<ReviewShow, string> = { all: t(lang, 'filterAll'), problems: t(lang, 'filterProblems'), abnormal: t(lang, 'filterAbnormal') };
  const kinds = [...new Set([...p.devices.values()].map((d) => d.kind).filter((k): k is DeviceKind => k !== null))].sort();
  const roles = [...new Set([...p.devices.values()].map((d) => d.role).filter((r): r is string => !!r))].sort();
  return html`<form method="get" class="filters" id="filters"><input type="hidden" name="month" value="${p.month}">
<label>${t(lang, 'filterShow')} <select name="show">${REVIEW_SHOW.map((s) => opt(s, labels[s], s === f.show))}</select></label>
<label>${t(lang, 'kind')} <select name="kind">${opt('', t(lang, 'allKinds'), !f.kind)}${kinds.map((k) => opt(k, kindLabel(lang, k), k === f.kind))}</select></label>
<label>${t(lang, 'role')} <select name="role">${opt('', t(lang, 'allRoles'), !f.role)}${roles.map((r) => opt(r, r, r === f.role))}</select></label>
<label>${t(lang, 'search')} <input type="search" name="q" value="${f.q}" placeholder="${t(lang, 'searchHint')}"></label>
<button type="submit">${t(lang, 'apply')}</button> <a href="?month=${p.month}">${t(lang, 'clearFilter')}</a></form>`;
}

function monthPicker(lang: Lang, p: ReviewPage): SafeHtml {
  const links = p.months.map((m) => html`<a href="?month=${m}"${m === p.month ? html` class="current" aria-current="page"` : ''}>${m}</a>`);
  return html`<form method="get" class="months" id="month-picker"><label>${t(lang, 'month')} ${timeInput(lang, 'month', 'month', { value: p.month, required: true })}</label>
<button type="submit">${t(lang, 'go')}</button> ${joinHtml(links, ' ')}</form>`;
}

/** A button that opens a dialog holding the real form: the question, a remark and the final button. */
function dialogAction(lang: Lang, viewer: Viewer, id: 'sign' | 'confirm', action: string): SafeHtml {
  const [question, remark, go, open] =
    id === 'sign' ? (['signQuestion', 'signRemark', 'signNow', 'sign'] as const) : (['confirmQuestion', 'confirmRemark', 'confirmNow', 'confirm'] as const);
  return html`<button type="button" id="${id}" class="primary" data-dialog="${id}-dialog">${t(lang, open)}</button>
<dialog id="${id}-dialog" aria-labelledby="${id}-question"><form method="post" action="${action}">${csrfField(viewer)}
<p id="${id}-question">${t(lang, question)}</p><label>${t(lang, remark)} <textarea name="remark" rows="3" maxlength="2000"></textarea></label>
<p><button type="submit" class="primary" id="${id}-submit">${t(lang, go)}</button> <button type="button" data-close>${t(lang, 'cancel')}</button></p></form></dialog>`;
}

function statusLine(lang: Lang, insp: Inspection, zone: string): SafeHtml {
  const remark = (label: 'signRemark' | 'confirmRemark', text: string | null) => (text ? html`<br>${t(lang, label)}: <q class="remark">${text}</q>` : '');
  return html`<p id="status" data-status="${insp.status}">${t(lang, 'status')}: <b>${t(lang, insp.status)}</b> (rev. ${insp.revision})
${insp.signedBy ? ` · ${t(lang, 'signedBy')}: ${insp.signedBy} ${formatTime(insp.signedAt, zone)}` : ''}
${insp.confirmedBy ? ` · ${t(lang, 'confirmedBy')}: ${insp.confirmedBy} ${formatTime(insp.confirmedAt, zone)}` : ''}${remark('signRemark', insp.signRemark)}${remark('confirmRemark', insp.confirmRemark)}</p>
${insp.status === 'draft' ? html`<p class="draft" id="draft-banner" role="status">${t(lang, 'draftBanner')}</p>` : ''}`;
}

/**
 * Rows in groups of ROWS_PER_GROUP. A table's layout is all or nothing: at 1,000 devices Chromium
 * spent most of the page's load laying out 6,000 cells nobody could see yet. The matrix is
 * therefore an ARIA table of divs (one table to assistive technology, as before) whose row groups
 * the stylesheet marks `content-visibility: auto`, so only the groups near the screen are laid out;
 * the others stay in the page, found by the browser's search and read by screen readers.
 */
const ROWS_PER_GROUP = 25;
function chunks(rows: SafeHtml[]): SafeHtml[] {
  const groups: SafeHtml[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_GROUP) groups.push(html`<div role="rowgroup" class="rows">${joinHtml(rows.slice(i, i + ROWS_PER_GROUP), '\n')}</div>`);
  return groups;
}

/** The device × SXKR-001…006 matrix with each cell's value; each cell links to its detail (opened in a dialog by app.js). */
export function reviewView(lang: Lang, p: ReviewPage): SafeHtml {
  const error = p.error ? html`<p class="error" role="alert">${p.error}</p>` : '';
  const insp = p.insp;
  if (!insp) return html`${error}${monthPicker(lang, p)}<p class="muted" id="not-signed">${t(lang, 'notSigned')}</p>`;
  const { site, viewer, zone } = p;
  const byDevice = new Map<string, Map<string, InspectionRow>>();
  for (const r of insp.rows) {
    const m = byDevice.get(r.device) ?? new Map<string, InspectionRow>();
    m.set(r.check, r);
    byDevice.set(r.device, m);
  }
  const counts = { normal: 0, abnormal: 0, unknown: 0 };
  for (const r of insp.rows) counts[r.verdict]++;
  const head = CHECK_IDS.map((c) => html`<div role="columnheader" title="${checkName(lang, c)}">${c}<br><small>${checkName(lang, c)}</small></div>`);
  const body: SafeHtml[] = [];
  const labels = { normal: verdictLabel(lang, 'normal'), abnormal: verdictLabel(lang, 'abnormal'), unknown: verdictLabel(lang, 'unknown') };
  const tickets = `/sites/${enc(site)}/tickets/`;
  for (const [device, checks] of byDevice) {
    const d = p.devices.get(device);
    if (!matches(p.filter, device, d, checks)) continue;
    const cells = CHECK_IDS.map((c) => {
      const r = checks.get(c);
      const v: Verdict = r?.verdict ?? 'unknown';
      const value = r?.actual ? cellValue(r.actual) : '';
      const ticket = v === 'abnormal' ? p.tickets.get(`${device}\u0000${c}`) : undefined;
      // Every byte here is paid 6,000 times at 1,000 devices: no tooltip (the dialog shows the detail),
      // no data attribute (app.js finds the cells by #matrix), and a link relative to /sites/:site/review,
      // the only address this page is served at.
      return html`<div role="cell" class="cell ${v}"><a href="cell?month=${insp.month}&device=${enc(device)}&check=${c}">${labels[v]}${value ? `\n${value}` : ''}</a>${ticket ? html`<a class="tk" href="${tickets}${ticket}">${t(lang, 'openTicket')} #${ticket}</a>` : ''}</div>`;
    });
    const model = d?.model ?? '';
    body.push(html`<div role="row"><div role="rowheader"><a href="/sites/${enc(site)}/devices/${enc(device)}">${device}</a></div><div role="cell" class="model">${model}${d?.role ? html`<br><small>${d.role}</small>` : ''}</div>${cells}</div>`);
  }
  const canEdit = viewer.role !== 'customer';
  const base = `/sites/${enc(site)}/review/${insp.month}`;
  const actions: SafeHtml[] = [];
  if (canEdit && insp.status === 'draft') {
    actions.push(html`<form method="post" action="${base}/notes" class="card">${csrfField(viewer)}<label>${t(lang, 'notes')}<textarea name="notes" rows="4">${insp.notes}</textarea></label><button type="submit">${t(lang, 'saveNotes')}</button></form>`);
    actions.push(dialogAction(lang, viewer, 'sign', `${base}/sign`));
  } else {
    actions.push(html`<div class="card"><b>${t(lang, 'notes')}</b><p>${insp.notes || t(lang, 'none')}</p></div>`);
  }
  if (viewer.role === 'customer' && insp.status === 'signed') actions.push(dialogAction(lang, viewer, 'confirm', `${base}/confirm`));
  const reportLinks = html`<p class="links"><a href="/api/v1/sites/${enc(site)}/reports/inspection?month=${insp.month}&lang=${lang}">${t(lang, 'print')}</a> · <a href="/api/v1/sites/${enc(site)}/reports/inspection?month=${insp.month}&lang=${lang}&format=pdf">${t(lang, 'pdf')}</a></p>`;
  return html`${error}${monthPicker(lang, p)}${statusLine(lang, insp, zone)}
<p class="summary">${mark(lang, 'normal')} ${counts.normal} · ${mark(lang, 'abnormal')} ${counts.abnormal} · ${mark(lang, 'unknown')} ${counts.unknown} · <span id="shown-count">${byDevice.size} ${t(lang, 'shownOf')} ${body.length}</span></p>${reportLinks}
${filterForm(lang, p)}
<div class="scroll"><div class="matrix" id="matrix" role="table" aria-label="${t(lang, 'review')}"><div role="rowgroup" class="head"><div role="row"><div role="columnheader">${t(lang, 'device')}</div><div role="columnheader">${t(lang, 'model')} / ${t(lang, 'role')}</div>${head}</div></div>
${joinHtml(chunks(body), '\n')}</div></div>
<div class="actions">${joinHtml(actions, '\n')}</div>
<dialog id="cell"><div class="content"></div><form method="dialog"><button>${t(lang, 'closeCell')}</button></form></dialog>`;
}
