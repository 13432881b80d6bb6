import { PART_DISPOSITIONS, PRIORITIES, TICKET_STATUSES, ValidationError, type Lang, type Priority, type Ticket, type TicketStatus } from '../../../schemas/index.js';
import { formatTime } from '../../reports/index.js';
import type { Viewer } from '../../users/index.js';
import type { StepName } from '../../tickets/index.js';
import type { Term } from '../i18n.js';
import { html, type SafeHtml } from '../../html/index.js';
import { PART_DISPOSITION_TERMS, TICKET_STATUS_TERMS, term } from '../../terms.js';
import { timeInput } from './local-time.js';

/*
 * The ticket page's people and process sections (issue 11): assignee and backup, reclassification
 * with its reason, the emergency plan with owner and deadline, a part needed, the old parts'
 * disposition. Dispatch is a lifecycle step: its button comes with the other steps.
 */

const csrfField = (v: Viewer) => html`<input type="hidden" name="_csrf" value="${v.csrf ?? ''}">`;
const zh = (lang: Lang, zhText: string, en: string) => (lang === 'zh' ? zhText : en);

export const dispositionText = (lang: Lang, d: (typeof PART_DISPOSITIONS)[number] | undefined): string =>
  d ? term(lang, PART_DISPOSITION_TERMS, d) : zh(lang, '未记录', 'not recorded');

function personSelect(name: string, people: string[], current: string | null | undefined, lang: Lang): SafeHtml {
  const options = people.map((p) => html`<option value="${p}"${p === current ? html` selected` : ''}>${p}</option>`);
  return html`<select name="${name}" id="${name}"><option value="">${zh(lang, '（无）', '(none)')}</option>${options}</select>`;
}

/** Who works on the ticket, the snapshot of its limits, and the forms an engineer uses. */
export function ticketPeopleView(lang: Lang, viewer: Viewer, base: string, tk: Ticket, people: string[], zone: string): SafeHtml {
  const editor = viewer.role !== 'customer' && tk.status !== 'closed';
  const plan = tk.emergencyPlanOwner
    ? html`<p id="emergency-plan">${zh(lang, '应急预案', 'Emergency plan')}: ${tk.emergencyPlanOwner} · ${zh(lang, '期限', 'due')} ${formatTime(tk.deadlines.emergencyPlan?.due ?? null, zone)}</p>`
    : '';
  const sla = tk.sla
    ? html`<p class="muted" id="ticket-sla">${zh(lang, '本单时限（开单时的 SLA）', 'Limits of this ticket (the SLA it was opened with)')}: ${zh(lang, '响应', 'response')} ${tk.sla.responseHours} h · ${zh(lang, '到场', 'on site')} ${tk.emergency ? tk.sla.onSiteEmergencyHours : tk.sla.onSiteHours} h${tk.visitNeeded ? '' : zh(lang, '（派工后计时）', ' (from dispatch)')} · ${zh(lang, '恢复', 'recovery')} ${tk.sla.recoveryHours[tk.priority] ?? (tk.priority === 'P4' ? '—' : tk.sla.generalRecoveryHours)} h · ${zh(lang, '备件更换', 'part swap')} ${tk.sla.partReplacementHours} h</p>`
    : '';
  const people_ = html`<p id="ticket-people">${zh(lang, '负责工程师', 'Assignee')}: <b data-assignee="${tk.assignee ?? ''}">${tk.assignee ?? '—'}</b> · ${zh(lang, '后备工程师', 'Backup')}: <b data-backup="${tk.backup ?? ''}">${tk.backup ?? '—'}</b></p>`;
  if (!editor) return html`${people_}${plan}${sla}`;
  const priorities = PRIORITIES.filter((p) => p !== tk.priority).map((p) => html`<option>${p}</option>`);
  return html`${people_}${plan}${sla}
<form method="post" action="${base}/assign" class="card" id="assign-form">${csrfField(viewer)}
<label>${zh(lang, '负责工程师', 'Assignee')} ${personSelect('assignee', people, tk.assignee, lang)}</label>
<label>${zh(lang, '后备工程师', 'Backup')} ${personSelect('backup', people, tk.backup, lang)}</label>
<button type="submit">${zh(lang, '保存', 'Save')}</button></form>
<form method="post" action="${base}/reclassify" class="card" id="reclassify-form">${csrfField(viewer)}
<label>${zh(lang, '调整优先级', 'Reclassify')} <select name="priority">${priorities}</select></label>
<label>${zh(lang, '原因', 'Reason')} <input name="reason" required></label>
<button type="submit">${zh(lang, '调整', 'Reclassify')}</button></form>
${tk.status === 'on_site' && !tk.emergencyPlanOwner ? html`<form method="post" action="${base}/emergency-plan" class="card" id="emergency-plan-form">${csrfField(viewer)}
<label>${zh(lang, '应急预案负责人', 'Emergency plan owner')} ${personSelect('owner', people, null, lang)}</label>
<label>${zh(lang, '期限', 'Deadline')} ${timeInput(lang, 'datetime', 'due', { required: true })}</label>
<label>${zh(lang, '措施', 'Measures')} <input name="note"></label>
<button type="submit">${zh(lang, '启动应急预案', 'Start the emergency plan')}</button></form>` : ''}
${['responded', 'dispatched', 'on_site'].includes(tk.status) && !tk.deadlines.partReplacement ? html`<form method="post" action="${base}/part-needed" class="inline" id="part-needed-form">${csrfField(viewer)}
<input name="neededPart" placeholder="${zh(lang, '所需备件', 'Part needed')}"><button type="submit">${zh(lang, '需要备件', 'Part needed')}</button></form>` : ''}`;
}

/** The old parts' disposition, and a form for each part still without one. */
export function partsDispositionView(lang: Lang, viewer: Viewer, base: string, tk: Ticket, zone: string): SafeHtml {
  if (!tk.parts.length) return html``;
  const editor = viewer.role !== 'customer' && tk.status !== 'closed';
  const rows = tk.parts.map((p) => {
    const form = editor && !p.disposition
      ? html`<form method="post" action="${base}/parts/${p.id}/disposition" class="inline">${csrfField(viewer)}
<select name="disposition">${PART_DISPOSITIONS.map((d) => html`<option value="${d}">${dispositionText(lang, d)}</option>`)}</select>
<input name="receivedBy" placeholder="${zh(lang, '接收人', 'Received by')}"><button type="submit">${zh(lang, '保存', 'Save')}</button></form>`
      : '';
    return html`<tr data-part="${p.id}"><td>${p.part}</td><td>${p.oldSerial}</td><td class="${p.disposition ? '' : 'unknown'}">${dispositionText(lang, p.disposition)}</td><td>${p.receivedBy ?? ''}</td><td>${formatTime(p.receivedAt ?? null, zone)}</td><td>${form}</td></tr>`;
  });
  return html`<h3>${zh(lang, '旧件处置', 'Old parts')}</h3><table class="grid" id="parts-disposition"><thead><tr><th>${zh(lang, '部件', 'Part')}</th><th>${zh(lang, '旧序列号', 'Old serial')}</th>
<th>${zh(lang, '处置', 'Disposition')}</th><th>${zh(lang, '接收人', 'Received by')}</th><th>${zh(lang, '接收时间', 'Received')}</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A ticket status in the page's language (the raw code is never printed on a Chinese page). */
export const statusText = (lang: Lang, s: TicketStatus): string => term(lang, TICKET_STATUS_TERMS, s);

/** The tickets list's filters, from the query string; anything unknown is refused (a 400 page), never ignored. */
export interface TicketListQuery {
  status: TicketStatus | 'active' | 'all';
  priority?: Priority;
  overdue?: boolean;
  device?: string;
  assignee?: string;
  /** Words looked for in the subject, symptom and device. */
  search?: string;
}
type Query = Record<string, string | string[] | undefined>;
export function parseTicketListQuery(raw: unknown): TicketListQuery {
  const q = (raw ?? {}) as Query;
  const issues: { path: string; message: string }[] = [];
  const pick = (k: string): string | undefined => {
    const v = q[k];
    if (Array.isArray(v)) return (issues.push({ path: k, message: 'given more than once' }), undefined);
    return v === '' ? undefined : v;
  };
  for (const k of Object.keys(q)) if (!['status', 'priority', 'overdue', 'device', 'assignee', 'q', 'lang'].includes(k)) issues.push({ path: k, message: 'unknown filter' });
  const status = pick('status') ?? 'active';
  if (status !== 'active' && status !== 'all' && !(TICKET_STATUSES as readonly string[]).includes(status)) issues.push({ path: 'status', message: `unknown status "${status}"` });
  const priority = pick('priority');
  if (priority !== undefined && !(PRIORITIES as readonly string[]).includes(priority)) issues.push({ path: 'priority', message: `unknown priority "${priority}"` });
  const overdue = pick('overdue');
  if (overdue !== undefined && overdue !== '1') issues.push({ path: 'overdue', message: 'must be 1 or left out' });
  const device = pick('device');
  if (device !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(device)) issues.push({ path: 'device', message: 'not a host name' });
  const assignee = pick('assignee');
  if (assignee !== undefined && !/^[\p{L}\p{N}._@-]{1,64}$/u.test(assignee)) issues.push({ path: 'assignee', message: 'not a user name' });
  const search = pick('q')?.trim();
  if (search !== undefined && search.length > 100) issues.push({ path: 'q', message: 'longer than 100 characters' });
  if (issues.length) throw new ValidationError('ticket filter', issues);
  return {
    status: status as TicketListQuery['status'],
    ...(priority ? { priority: priority as Priority } : {}),
    ...(overdue ? { overdue: true } : {}),
    ...(device ? { device } : {}),
    ...(assignee ? { assignee } : {}),
    ...(search ? { search } : {}),
  };
}

type Stage = 'response' | 'onSite' | 'recovery';
/** The next deadline still pending (response, then on site, then recovery). */
export function nextDeadline(tk: Ticket): { stage: Stage; due: string } | null {
  for (const stage of ['response', 'onSite', 'recovery'] as const) {
    const dl = tk.deadlines[stage];
    if (dl.due && !dl.metAt) return { stage, due: dl.due };
  }
  return null;
}
/** A deadline stage's name in the catalogue. */
export const STAGE_TERM = { response: 'stageResponse', onSite: 'stageOnSite', recovery: 'stageRecovery' } as const satisfies Record<Stage, Term>;
const nextDue = (tk: Ticket): number => {
  const due = nextDeadline(tk)?.due;
  return due ? Date.parse(due) : Number.POSITIVE_INFINITY;
};
/** The list's order: P1 first, then the nearest unmet deadline, then the oldest ticket. */
export const byPriorityThenDeadline = (a: Ticket, b: Ticket): number =>
  PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) || nextDue(a) - nextDue(b) || a.id - b.id;

/** The filter form above the list: a GET, so the filter lives in the query string. */
export function ticketFilterForm(lang: Lang, q: TicketListQuery): SafeHtml {
  const statuses: [string, string][] = [['active', zh(lang, '未关闭', 'not closed')], ['all', zh(lang, '全部', 'all')], ...TICKET_STATUSES.map((s): [string, string] => [s, statusText(lang, s)])];
  const opt = (value: string, text: string, current: string | undefined) => html`<option value="${value}"${value === current ? html` selected` : ''}>${text}</option>`;
  return html`<form method="get" class="card inline" id="ticket-filter">
<label>${zh(lang, '状态', 'Status')} <select name="status">${statuses.map(([v, text]) => opt(v, text, q.status))}</select></label>
<label>${zh(lang, '级别', 'Priority')} <select name="priority">${opt('', zh(lang, '全部', 'all'), q.priority ?? '')}${PRIORITIES.map((p) => opt(p, p, q.priority))}</select></label>
<label><input type="checkbox" name="overdue" value="1"${q.overdue ? html` checked` : ''}> ${zh(lang, '仅超时', 'overdue only')}</label>
<label>${zh(lang, '设备', 'Device')} <input name="device" value="${q.device ?? ''}"></label>
<label>${zh(lang, '负责工程师', 'Assignee')} <input name="assignee" value="${q.assignee ?? ''}"></label>
<label>${zh(lang, '搜索', 'Search')} <input name="q" type="search" value="${q.search ?? ''}" placeholder="${zh(lang, '检查项目、故障现象、设备', 'check, symptom, device')}"></label>
<input type="hidden" name="lang" value="${lang}">
<button type="submit">${zh(lang, '筛选', 'Filter')}</button></form>`;
}

const STEP_WORDS: Record<StepName, [string, string]> = {
  respond: ['响应', 'Respond'],
  dispatch: ['派工', 'Dispatch'],
  'on-site': ['到场', 'On site'],
  resolve: ['已解决', 'Resolve'],
  confirm: ['客户确认', 'Confirm'],
  close: ['关闭', 'Close'],
};
/** A lifecycle step's button in the page's language (a step without words is a type error, never printed raw). */
export const stepText = (lang: Lang, step: StepName): string => zh(lang, ...STEP_WORDS[step]);

/** Whether a ticket's words (device, check, symptom, in both languages) hold the search. */
export function ticketMatches(words: string[], search: string | undefined): boolean {
  if (!search) return true;
  const needle = search.toLowerCase();
  return words.some((w) => w.toLowerCase().includes(needle));
}
