import { NOTIFY_EVENTS, PRIORITIES, type EscalationStep, type NotifyEvent, type Lang, type NotifyRule, type NotifySettings, type OutboxEntry, type RotaEntry } from '../../../schemas/index.js';
import { html, type SafeHtml } from '../../html/index.js';
import { formatTime } from '../../reports/index.js';
import type { Viewer } from '../../users/index.js';
import { timeInput } from './local-time.js';

/*
 * The page of a site's notifications (/sites/:site/notify): settings, routing rules, the on-duty
 * rota, the escalation chain and the outbox with its dead letters. Views only: every form posts to
 * notify-pages.ts, which hands it to NotifyActions — the API's rules, validation and audit.
 */

const WORDS = {
  zh: {
    title: '通知', settings: '设置', quiet: '免打扰时段(站点时间,P1/P2 不受限)', fractions: '期限提醒(占期限的百分比,逗号分隔)', group: '合并窗口(秒)',
    contract: '合同年起始日(MM-DD)', monthEnd: '月末提醒(提前天数)', save: '保存',
    rules: '通知规则', event: '事件', priorities: '优先级', channel: '渠道', audience: '接收人', lang: '语言', any: '全部', add: '添加', remove: '删除', noRules: '尚无规则:没有人会收到通知。',
    rota: '值班表', person: '姓名', role: '角色', email: '邮箱', from: '起', until: '止', special: '特殊时段(如 节假日值守)', standing: '常设', noRota: '值班表为空。',
    escalation: '升级链(故障单未响应时)', after: '开单后(分钟)', step: '步骤', noSteps: '未设置升级。', escalationHint: '留空的行会被删除;时间须逐级递增。',
    dead: '未送达(死信)', recent: '最近的消息', state: '状态', attempts: '尝试', created: '产生', sent: '送达', error: '最后错误', retry: '重新发送', noDead: '没有死信。', noRecent: '还没有消息。',
    channelsLink: '管理通知渠道', events: '事件数', recipient: '收件人', forbidden: '客户账号不能查看通知设置。',
    audiences: { on_duty: '值班工程师', backup: '备份工程师', manager: '服务经理', group: '群 / 渠道默认' },
    states: { pending: '待发送', sending: '发送中', sent: '已送达', dead: '死信' },
    langs: { zh: '中文', en: 'English' },
  },
  en: {
    title: 'Notifications', settings: 'Settings', quiet: "Quiet hours (site's time; never hold P1/P2)", fractions: 'Deadline reminders (% of each deadline, comma-separated)', group: 'Grouping window (s)',
    contract: 'Contract year starts (MM-DD)', monthEnd: 'Month-end reminder (days before)', save: 'Save',
    rules: 'Routing rules', event: 'Event', priorities: 'Priorities', channel: 'Channel', audience: 'To', lang: 'Language', any: 'any', add: 'Add', remove: 'Delete', noRules: 'No rule yet: nobody is told anything.',
    rota: 'On-duty rota', person: 'Person', role: 'Role', email: 'E-mail', from: 'From', until: 'Until', special: 'Special period (e.g. 节假日值守)', standing: 'standing', noRota: 'The rota is empty.',
    escalation: 'Escalation chain (ticket not responded to)', after: 'After opening (min)', step: 'Step', noSteps: 'No escalation set.', escalationHint: 'Empty rows are dropped; each step must come later than the one before.',
    dead: 'Dead letters', recent: 'Recent messages', state: 'State', attempts: 'Attempts', created: 'Created', sent: 'Sent', error: 'Last error', retry: 'Send again', noDead: 'No dead letter.', noRecent: 'No message yet.',
    channelsLink: 'Manage notification channels', events: 'Events', recipient: 'Recipient', forbidden: 'Customer accounts do not see notification settings.',
    audiences: { on_duty: 'engineer on duty', backup: 'backup engineer', manager: 'service manager', group: "group / channel's own" },
    states: { pending: 'pending', sending: 'sending', sent: 'sent', dead: 'dead' },
    langs: { zh: '中文', en: 'English' },
  },
} as const;

export const notifyTitle = (lang: Lang) => WORDS[lang].title;
export const notifyForbidden = (lang: Lang) => WORDS[lang].forbidden;

export interface NotifyPageData {
  settings: NotifySettings;
  rules: NotifyRule[];
  rota: RotaEntry[];
  escalation: EscalationStep[];
  dead: OutboxEntry[];
  recent: OutboxEntry[];
  /** The channels a rule or a step may name (the company's and this site's). */
  channels: string[];
}

/** What each event is called on the page (the API keeps the event's name). */
const EVENT_NAMES: Record<NotifyEvent, { zh: string; en: string }> = {
  'ticket.opened': { zh: '新故障单', en: 'Ticket opened' },
  'deadline.near': { zh: '期限临近', en: 'Deadline near' },
  'deadline.overdue': { zh: '已超期', en: 'Deadline overdue' },
  'ticket.escalated': { zh: '故障单升级', en: 'Ticket escalated' },
  'device.down': { zh: '设备当机', en: 'Device down' },
  'device.up': { zh: '设备恢复', en: 'Device back up' },
  'emergency.started': { zh: '启动应急预案', en: 'Emergency plan started' },
  'maintenance.requested': { zh: '维护申请待批准', en: 'Maintenance awaiting approval' },
  'maintenance.decided': { zh: '维护申请已决定', en: 'Maintenance decided' },
  'inspection.awaiting_confirmation': { zh: '巡检记录待确认', en: 'Inspection awaiting confirmation' },
  'inspection.unsigned': { zh: '月末巡检记录未签字', en: 'Month ending unsigned' },
  'contract.year_ending': { zh: '合同年即将结束', en: 'Contract year ending' },
};

const AUDIENCES = ['on_duty', 'backup', 'manager', 'group'] as const;
const ROLES = ['on_duty', 'backup', 'manager'] as const;
/** Spare rows under the escalation chain's steps, for adding. */
const SPARE_STEPS = 2;
const MAX_STEPS = 10;

const enc = encodeURIComponent;
const csrf = (v: Viewer) => html`<input type="hidden" name="_csrf" value="${v.csrf ?? ''}">`;
const options = (values: readonly string[], selected: string | undefined, label: (v: string) => string = (v) => v) =>
  values.map((v) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${label(v)}</option>`);

export function notifyView(lang: Lang, viewer: Viewer, site: string, zone: string, d: NotifyPageData, error?: string): SafeHtml {
  const w = WORDS[lang];
  const base = `/sites/${enc(site)}/notify`;
  const time = (iso: string | null | undefined) => (iso ? formatTime(iso, zone) : '—');
  const s = d.settings;

  const settings = html`<form method="post" action="${base}/settings" class="card" id="notify-settings">${csrf(viewer)}<h2>${w.settings}</h2>
<label>${w.quiet} ${timeInput(lang, 'time', 'quietStart', { value: s.quietHours?.start })} – ${timeInput(lang, 'time', 'quietEnd', { value: s.quietHours?.end })}</label>
<label>${w.fractions} <input name="deadlineFractions" value="${s.deadlineFractions.map((f) => Math.round(f * 100)).join(', ')}" placeholder="50, 80"></label>
<label>${w.group} <input name="groupWindowSeconds" type="number" min="0" max="3600" value="${s.groupWindowSeconds}"></label>
<label>${w.contract} <input name="contractStart" value="${s.contractStart ?? ''}" placeholder="01-01" pattern="[0-9]{2}-[0-9]{2}"></label>
<label>${w.monthEnd} <input name="monthEndDays" type="number" min="0" max="10" value="${s.monthEndDays}"></label>
<button type="submit">${w.save}</button></form>`;

  const ruleRows = d.rules.map(
    (r) => html`<tr data-rule="${r.id}"><td>${r.event === '*' ? w.any : EVENT_NAMES[r.event][lang]}</td><td>${r.priorities === '*' ? w.any : r.priorities.join(' ')}</td><td>${r.channel}</td>
<td>${w.audiences[r.audience]}</td><td>${w.langs[r.lang]}</td>
<td><form method="post" action="${base}/rules/${r.id}/delete" class="inline">${csrf(viewer)}<button type="submit">${w.remove}</button></form></td></tr>`,
  );
  const rules = html`<section id="notify-rules"><h2>${w.rules}</h2>
${d.rules.length ? html`<table class="grid"><thead><tr><th>${w.event}</th><th>${w.priorities}</th><th>${w.channel}</th><th>${w.audience}</th><th>${w.lang}</th><th></th></tr></thead><tbody>${ruleRows}</tbody></table>` : html`<p class="warn">${w.noRules}</p>`}
<form method="post" action="${base}/rules" class="card" id="rule-form">${csrf(viewer)}
<label>${w.event} <select name="event"><option value="*">${w.any}</option>${options(NOTIFY_EVENTS, undefined, (e) => EVENT_NAMES[e as NotifyEvent][lang])}</select></label>
<fieldset class="choices"><legend>${w.priorities} (${w.any} = ∅)</legend>${PRIORITIES.map((p) => html`<label><input type="checkbox" name="priorities" value="${p}"> ${p}</label>`)}</fieldset>
<label>${w.channel} <select name="channel" required>${options(d.channels, undefined)}</select></label>
<label>${w.audience} <select name="audience">${options(AUDIENCES, 'on_duty', (a) => w.audiences[a as (typeof AUDIENCES)[number]])}</select></label>
<label>${w.lang} <select name="lang"><option value=""></option>${options(['zh', 'en'], undefined, (l) => w.langs[l as Lang])}</select></label>
<button type="submit">${w.add}</button></form></section>`;

  const rotaRows = d.rota.map(
    (r) => html`<tr data-rota="${r.id}"><td>${r.person}</td><td>${w.audiences[r.role]}</td><td>${r.email ?? '—'}</td><td>${w.langs[r.lang]}</td>
<td>${r.from || r.until ? html`${time(r.from)} → ${time(r.until)}` : w.standing}</td><td>${r.special ?? ''}</td>
<td><form method="post" action="${base}/rota/${r.id}/delete" class="inline">${csrf(viewer)}<button type="submit">${w.remove}</button></form></td></tr>`,
  );
  const rota = html`<section id="notify-rota"><h2>${w.rota}</h2>
${d.rota.length ? html`<table class="grid"><thead><tr><th>${w.person}</th><th>${w.role}</th><th>${w.email}</th><th>${w.lang}</th><th>${w.from} → ${w.until}</th><th>${w.special}</th><th></th></tr></thead><tbody>${rotaRows}</tbody></table>` : html`<p class="warn">${w.noRota}</p>`}
<form method="post" action="${base}/rota" class="card" id="rota-form">${csrf(viewer)}
<label>${w.person} <input name="person" required maxlength="100"></label>
<label>${w.role} <select name="role">${options(ROLES, 'on_duty', (r) => w.audiences[r as (typeof ROLES)[number]])}</select></label>
<label>${w.email} <input name="email" type="email"></label>
<label>${w.lang} <select name="lang">${options(['zh', 'en'], lang, (l) => w.langs[l as Lang])}</select></label>
<label>${w.from} ${timeInput(lang, 'datetime', 'from')}</label><label>${w.until} ${timeInput(lang, 'datetime', 'until')}</label>
<label>${w.special} <input name="special" maxlength="100"></label>
<button type="submit">${w.add}</button></form></section>`;

  const rows = [...d.escalation, ...Array.from({ length: Math.min(SPARE_STEPS, MAX_STEPS - d.escalation.length) }, () => undefined)];
  const escalation = html`<section id="notify-escalation"><h2>${w.escalation}</h2>${d.escalation.length ? '' : html`<p>${w.noSteps}</p>`}
<form method="post" action="${base}/escalation" class="card" id="escalation-form">${csrf(viewer)}<p><small>${w.escalationHint}</small></p>
<table class="grid"><thead><tr><th>${w.step}</th><th>${w.after}</th><th>${w.audience}</th><th>${w.channel}</th></tr></thead><tbody>${rows.map(
    // A field in a table cell has no <label> of its own: its name is the column's and the step's.
    (step, i) => html`<tr><td>${i + 1}</td><td><input name="afterMinutes_${i}" type="number" min="1" max="10080" value="${step?.afterMinutes ?? ''}" aria-label="${w.step} ${i + 1}: ${w.after}"></td>
<td><select name="audience_${i}" aria-label="${w.step} ${i + 1}: ${w.audience}">${options(ROLES, step?.audience, (r) => w.audiences[r as (typeof ROLES)[number]])}</select></td>
<td><select name="channel_${i}" aria-label="${w.step} ${i + 1}: ${w.channel}">${options(d.channels, step?.channel)}</select></td></tr>`,
  )}</tbody></table><button type="submit">${w.save}</button></form></section>`;

  const outboxRow = (m: OutboxEntry, retry: boolean) => html`<tr data-outbox="${m.id}" class="state-${m.state}"><td>#${m.id}</td><td>${time(m.createdAt)}</td><td>${m.priority ?? ''}</td><td>${m.title}${m.events > 1 ? html` <small>(${m.events} ${w.events})</small>` : ''}</td>
<td>${m.channel}</td><td>${m.recipient}</td><td>${w.states[m.state]}</td><td>${m.attempts}</td><td>${m.state === 'sent' ? time(m.sentAt) : html`<small>${m.lastError ?? ''}</small>`}</td>
<td>${retry ? html`<form method="post" action="${base}/outbox/${m.id}/retry" class="inline">${csrf(viewer)}<button type="submit">${w.retry}</button></form>` : ''}</td></tr>`;
  const outboxHead = html`<thead><tr><th>#</th><th>${w.created}</th><th>${w.priorities}</th><th>${w.title}</th><th>${w.channel}</th><th>${w.recipient}</th><th>${w.state}</th><th>${w.attempts}</th><th>${w.sent} / ${w.error}</th><th></th></tr></thead>`;
  const outbox = html`<section id="notify-dead"><h2>${w.dead}</h2>${d.dead.length ? html`<table class="grid">${outboxHead}<tbody>${d.dead.map((m) => outboxRow(m, true))}</tbody></table>` : html`<p>${w.noDead}</p>`}</section>
<section id="notify-recent"><h2>${w.recent}</h2>${d.recent.length ? html`<table class="grid">${outboxHead}<tbody>${d.recent.map((m) => outboxRow(m, false))}</tbody></table>` : html`<p>${w.noRecent}</p>`}</section>`;

  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}<p><a href="/notify/channels">${w.channelsLink}</a></p>
${settings}${rules}${rota}${escalation}${outbox}`;
}
