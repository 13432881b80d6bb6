import type { Lang, MaintenanceRequest } from '../../../schemas/index.js';
import { html, joinHtml, type SafeHtml } from '../../html/index.js';
import { formatTime } from '../../reports/index.js';
import type { Viewer } from '../../users/index.js';
import { t } from '../i18n.js';
import { MAINTENANCE_STATUS_TERMS, term } from '../../terms.js';

const enc = encodeURIComponent;
const csrfField = (v: Viewer) => html`<input type="hidden" name="_csrf" value="${v.csrf ?? ''}">`;

/** The words of the maintenance detail page (kept here, beside the only page that uses them). */
const WORDS = {
  request: { zh: '维护申请', en: 'Maintenance request' },
  people: { zh: '现场人员(操作 / 记录)', en: 'People present (operating / recording)' },
  representative: { zh: '客户代表', en: "Customer's representative" },
  steps: { zh: '步骤', en: 'Steps' },
  changes: { zh: '硬件 / 软件变更', en: 'Hardware / software changes' },
  rollbackPlan: { zh: '应急方案(回退)', en: 'Rollback / emergency plan' },
  media: { zh: '移动介质', en: 'Removable media' },
  'media.none': { zh: '不使用移动介质', en: 'none used' },
  'media.virus-checked': { zh: '使用前已查毒', en: 'each one virus-checked before use' },
  notRecorded: { zh: '未记录(早于此项要求的申请)', en: 'not recorded (filed before this was required)' },
  requested: { zh: '申请', en: 'Requested' },
  decision: { zh: '客户决定', en: "Customer's decision" },
  execution: { zh: '实施', en: 'Execution' },
  actualStart: { zh: '实际开始', en: 'Actual start' },
  actualEnd: { zh: '实际结束', en: 'Actual end' },
  workDone: { zh: '实际完成的工作', en: 'Work done' },
  outcome: { zh: '结果', en: 'Outcome' },
  note: { zh: '意见', en: 'Note' },
  rejectNote: { zh: '拒绝原因(必填)', en: 'Why (required)' },
  start: { zh: '开始实施', en: 'Start the work' },
  complete: { zh: '完成', en: 'Completed' },
  rollback: { zh: '已回退', en: 'Rolled back' },
  cancel: { zh: '撤回申请', en: 'Withdraw' },
  readAndDecide: { zh: '阅读并决定', en: 'Read and decide' },
} as const;
export const maintenanceWord = (lang: Lang, key: keyof typeof WORDS): string => WORDS[key][lang];

const shown = (lang: Lang, value: string | null | undefined) => (value ? value : html`<span class="muted">${maintenanceWord(lang, 'notRecorded')}</span>`);

/**
 * One maintenance request with everything the service plan asks it to say, read by the customer
 * before deciding; the forms are the steps the viewer may take from its status (the action layer
 * decides again: a form shown is not a permission).
 */
export function maintenanceDetailView(lang: Lang, viewer: Viewer, site: string, m: MaintenanceRequest, zone: string, error?: string): SafeHtml {
  const when = (at: string | null) => (at ? formatTime(at, zone) : '—');
  const w = (k: keyof typeof WORDS) => maintenanceWord(lang, k);
  const base = `/sites/${enc(site)}/maintenance/${m.id}`;
  const row = (label: string, value: SafeHtml | string, id?: string) => html`<tr${id ? html` id="${id}"` : ''}><th scope="row">${label}</th><td>${value}</td></tr>`;
  const facts = [
    row(t(lang, 'purpose'), m.purpose),
    row(w('people'), m.recorder ? `${m.engineer} / ${m.recorder}` : html`${m.engineer} / ${shown(lang, null)}`, 'people'),
    row(w('representative'), shown(lang, m.customerRepresentative), 'representative'),
    row(t(lang, 'window'), html`${formatTime(m.windowStart, zone)} → ${formatTime(m.windowEnd, zone)}${m.emergency ? ` · ${t(lang, 'emergency')}` : ''}`),
    row(t(lang, 'durationMin'), String(m.expectedDurationMinutes)),
    row(t(lang, 'devices'), m.devices.join(', ')),
    row(w('steps'), html`<ol id="steps">${m.steps.map((s) => html`<li>${s}</li>`)}</ol>`),
    row(w('changes'), `${m.hardwareChanges || '—'} / ${m.softwareChanges || '—'}`),
    row(w('rollbackPlan'), shown(lang, m.rollbackPlan), 'rollback-plan'),
    row(w('media'), m.removableMedia ? w(`media.${m.removableMedia}`) : shown(lang, null), 'media'),
    row(w('requested'), `${m.requestedBy} · ${formatTime(m.requestedAt, zone)}`),
    row(w('decision'), m.decidedBy ? `${m.decidedBy} · ${when(m.decidedAt)}${m.decisionNote ? ` · ${m.decisionNote}` : ''}` : '—', 'decision'),
    row(w('actualStart'), m.startedBy ? `${when(m.actualStart)} · ${m.startedBy}` : '—'),
    row(w('actualEnd'), m.finishedBy ? `${when(m.actualEnd)} · ${m.finishedBy}` : '—'),
    row(w('workDone'), m.workDone ?? '—', 'work-done'),
    row(w('outcome'), m.outcome ?? '—', 'outcome'),
  ];
  const forms: SafeHtml[] = [];
  const customer = viewer.role === 'customer';
  if (customer && m.status === 'requested') {
    forms.push(html`<form method="post" action="${base}/approve" class="card" id="approve-form">${csrfField(viewer)}<label>${w('note')} <textarea name="note" rows="2"></textarea></label><button type="submit" class="primary" data-decide="approve">${t(lang, 'approve')}</button></form>`);
    forms.push(html`<form method="post" action="${base}/reject" class="card" id="reject-form">${csrfField(viewer)}<label>${w('rejectNote')} <textarea name="note" rows="2" required></textarea></label><button type="submit" data-decide="reject">${t(lang, 'reject')}</button></form>`);
  }
  if (!customer && m.status === 'approved') {
    forms.push(html`<form method="post" action="${base}/start" class="inline" id="start-form">${csrfField(viewer)}<button type="submit" class="primary">${w('start')}</button></form>`);
  }
  if (!customer && (m.status === 'requested' || m.status === 'approved')) {
    forms.push(html`<form method="post" action="${base}/cancel" class="inline" id="cancel-form">${csrfField(viewer)}<button type="submit">${w('cancel')}</button></form>`);
  }
  if (!customer && m.status === 'in_progress') {
    forms.push(html`<form method="post" action="${base}/complete" class="card" id="finish-form">${csrfField(viewer)}
<label>${w('workDone')} <textarea name="workDone" rows="3" required></textarea></label><label>${w('outcome')} <textarea name="outcome" rows="2" required></textarea></label>
<button type="submit" class="primary">${w('complete')}</button> <button type="submit" formaction="${base}/rollback" id="rollback">${w('rollback')}</button></form>`);
  }
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}<p id="maintenance-status" data-status="${m.status}">${t(lang, 'status')}: <b>${term(lang, MAINTENANCE_STATUS_TERMS, m.status)}</b></p>
<table class="grid" id="maintenance-detail"><tbody>${joinHtml(facts, '')}</tbody></table>${joinHtml(forms, '')}
<p><a href="/sites/${enc(site)}/maintenance">${t(lang, 'maintenance')}</a></p>`;
}
