import type { Lang, NotifyEvent, Priority } from '../../schemas/index.js';
import { checkName, formatTime, symptomText } from '../reports/index.js';

/** Everything a message may say about its event; the catalogue picks what each kind shows. */
export interface MessageFacts {
  kind: NotifyEvent;
  site: string;
  /** The customer's name (the site's title), else the site's name. */
  customer: string;
  /** The site's time zone: the deadline prints local with its offset. */
  zone: string;
  ticketId?: number;
  device?: string;
  /** SXKR-00x, `down` or `manual`. */
  subject?: string;
  priority?: Priority;
  symptom?: string;
  /** Epoch ms of the deadline the message is about (or of the ticket's recovery deadline). */
  due?: number | null;
  deadline?: 'response' | 'onSite' | 'recovery';
  fraction?: number;
  step?: number;
  requestId?: number;
  decision?: 'approved' | 'rejected';
  purpose?: string;
  month?: string;
  yearEnd?: string;
  link: string;
}

export interface RenderedMessage {
  title: string;
  lines: string[];
  link: string;
}

type Text = Record<Lang, string>;
const DEADLINE: Record<NonNullable<MessageFacts['deadline']>, Text> = {
  response: { zh: '响应', en: 'response' },
  onSite: { zh: '到场', en: 'on-site' },
  recovery: { zh: '恢复', en: 'recovery' },
};
const LABEL = {
  customer: { zh: '客户', en: 'Customer' },
  device: { zh: '设备', en: 'Device' },
  check: { zh: '检查项', en: 'Check' },
  priority: { zh: '优先级', en: 'Priority' },
  deadline: { zh: '时限', en: 'Deadline' },
  symptom: { zh: '故障现象', en: 'Symptom' },
  purpose: { zh: '目的', en: 'Purpose' },
  more: { zh: '另有', en: 'and' },
} satisfies Record<string, Text>;

const MAX_SYMPTOM = 200;
const clip = (s: string) => (s.length > MAX_SYMPTOM ? `${s.slice(0, MAX_SYMPTOM - 1)}…` : s);
const tag = (f: MessageFacts) => (f.priority ? `[${f.priority}] ` : '');
const pct = (f: MessageFacts) => `${Math.round((f.fraction ?? 0) * 100)}%`;
const dl = (lang: Lang, f: MessageFacts) => (f.deadline ? DEADLINE[f.deadline][lang] : '');

/** The title of one event, per kind and language. */
const TITLES: Record<NotifyEvent, (lang: Lang, f: MessageFacts) => string> = {
  'ticket.opened': (l, f) => (l === 'zh' ? `${tag(f)}新故障单 #${f.ticketId}：${f.device} ${checkName(l, f.subject ?? '')}` : `${tag(f)}New ticket #${f.ticketId}: ${f.device} ${checkName(l, f.subject ?? '')}`),
  'deadline.near': (l, f) => (l === 'zh' ? `${tag(f)}故障单 #${f.ticketId} ${dl(l, f)}时限已过 ${pct(f)}` : `${tag(f)}Ticket #${f.ticketId}: ${pct(f)} of the ${dl(l, f)} time used`),
  'deadline.overdue': (l, f) => (l === 'zh' ? `${tag(f)}故障单 #${f.ticketId} ${dl(l, f)}已超时` : `${tag(f)}Ticket #${f.ticketId}: ${dl(l, f)} deadline missed`),
  'ticket.escalated': (l, f) => (l === 'zh' ? `${tag(f)}故障单 #${f.ticketId} 无人响应，升级（第 ${f.step} 级）` : `${tag(f)}Ticket #${f.ticketId} not responded to: escalated (step ${f.step})`),
  'device.down': (l, f) => (l === 'zh' ? `${tag(f)}设备当机：${f.device}` : `${tag(f)}Device down: ${f.device}`),
  'device.up': (l, f) => (l === 'zh' ? `设备已恢复：${f.device}` : `Device back: ${f.device}`),
  'emergency.started': (l, f) => (l === 'zh' ? `${tag(f)}故障单 #${f.ticketId} 启动应急预案` : `${tag(f)}Ticket #${f.ticketId}: emergency plan started`),
  'maintenance.requested': (l, f) => (l === 'zh' ? `维护申请 #${f.requestId} 待审批` : `Maintenance request #${f.requestId} awaits approval`),
  'maintenance.decided': (l, f) =>
    l === 'zh'
      ? `维护申请 #${f.requestId} ${f.decision === 'approved' ? '已批准' : '已驳回'}`
      : `Maintenance request #${f.requestId} ${f.decision === 'approved' ? 'approved' : 'rejected'}`,
  'inspection.awaiting_confirmation': (l, f) => (l === 'zh' ? `${f.month} 巡检记录已签字，待客户确认` : `Inspection record ${f.month} signed: awaiting the customer's confirmation`),
  'inspection.unsigned': (l, f) => (l === 'zh' ? `${f.month} 巡检记录月底尚未签字` : `Inspection record ${f.month} not signed and the month is ending`),
  'contract.year_ending': (l, f) => (l === 'zh' ? `合同年度将于 ${f.yearEnd} 结束，请准备总结报告` : `Contract year ends on ${f.yearEnd}: the annual summary is due`),
};

/** Several events of one kind folded into one message (a storm, a flapping switch). */
const GROUP_TITLES: Text = { zh: '{n} 条通知：{title}', en: '{n} notices: {title}' };

/** The message for one event in `lang`: title, the facts that apply, the dashboard link. */
export function renderMessage(lang: Lang, f: MessageFacts): RenderedMessage {
  const lines = [`${LABEL.customer[lang]}: ${f.customer}`];
  if (f.device) lines.push(`${LABEL.device[lang]}: ${f.device}`);
  if (f.subject && f.subject !== 'down' && f.subject !== 'manual') lines.push(`${LABEL.check[lang]}: ${f.subject} ${checkName(lang, f.subject)}`);
  if (f.priority) lines.push(`${LABEL.priority[lang]}: ${f.priority}`);
  if (f.due) lines.push(`${LABEL.deadline[lang]}${f.deadline ? ` (${dl(lang, f)})` : ''}: ${formatTime(f.due, f.zone)}`);
  // The symptom the ingest wrote from a result: its check and a source's words in the reader's language.
  if (f.symptom) lines.push(`${LABEL.symptom[lang]}: ${clip(symptomText(lang, f.symptom))}`);
  if (f.purpose) lines.push(`${LABEL.purpose[lang]}: ${clip(f.purpose)}`);
  return { title: TITLES[f.kind](lang, f), lines, link: f.link };
}

/** The one line an event adds to a grouped message. */
export function summaryLine(lang: Lang, f: MessageFacts): string {
  return TITLES[f.kind](lang, f);
}

const MAX_GROUP_LINES = 20;

/**
 * Folds one more event into a message not yet sent: the title counts the events, the lines list
 * each event's title (the first 20, then how many more), the link goes to the site's tickets.
 */
export function foldInto(lang: Lang, message: RenderedMessage & { first?: string }, events: number, f: MessageFacts, siteLink: string): RenderedMessage & { first: string } {
  const first = message.first ?? message.title;
  const listed = message.first ? message.lines.filter((l) => !l.startsWith('…')) : [first];
  if (listed.length < MAX_GROUP_LINES) listed.push(summaryLine(lang, f));
  const more = events - listed.length;
  const lines = more > 0 ? [...listed, `… ${LABEL.more[lang]} ${more}`] : listed;
  return { first, title: GROUP_TITLES[lang].replace('{n}', String(events)).replace('{title}', first), lines, link: siteLink };
}
