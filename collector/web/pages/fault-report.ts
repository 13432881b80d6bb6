import { CHECK_IDS, DEVICE_KINDS, PRIORITIES, ValidationError, type FieldIssue, type Lang, type TicketCreate } from '../../../schemas/index.js';
import { ApiError } from '../../errors.js';
import { html, type SafeHtml } from '../../html/index.js';
import { checkName } from '../../reports/index.js';
import { kindTerm } from '../../terms.js';
import type { Viewer } from '../../users/index.js';

/*
 * 报障: the tickets page's form to report a fault, for engineers and customers alike. It only turns
 * the form into `POST /api/v1/tickets`'s body (TicketCreate) for `TicketActions.open`: who may
 * report, validation, the priority mapping, the audit entry and the notifications are the action's.
 * What is the form's own: the device must be one of the select's options (the site's devices on
 * record), "other" needs a typed name, and a refusal is worded here in the reader's language.
 */

type Form = Record<string, unknown>;
/** A field as text: a JSON body's number, object or null reads as nothing typed (the action then names the field). */
const one = (f: Form, k: string): string => {
  const v = f[k];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
};

/** The device select's two choices that are not a device on record. */
export const OTHER_DEVICE = '__other__';
export const NO_DEVICE = '__none__';

/** What was typed, kept as typed: a refused form comes back with it. */
export interface FaultForm {
  device: string;
  otherName: string;
  otherKind: string;
  otherModel: string;
  subject: string;
  symptom: string;
  suspectedCause: string;
  priority: string;
}
const FIELDS = ['device', 'otherName', 'otherKind', 'otherModel', 'subject', 'symptom', 'suspectedCause', 'priority'] as const satisfies readonly (keyof FaultForm)[];

export const faultFormOf = (f: Form): FaultForm => Object.fromEntries(FIELDS.map((k) => [k, one(f, k)])) as unknown as FaultForm;

/**
 * The action's input from the form. A device that is not one of the site's (a forged post naming
 * another site's device) is refused here: the action would enter it by hand as a new device.
 */
export function faultReportInput(site: string, form: FaultForm, onRecord: ReadonlySet<string>): TicketCreate {
  const issues: FieldIssue[] = [];
  const device: Record<string, unknown> = {};
  if (form.device === OTHER_DEVICE) {
    if (!form.otherName.trim()) issues.push({ path: '/otherName', message: 'name the device that is not on record' });
    else device.device = form.otherName.trim();
    if (form.otherKind) device.deviceKind = form.otherKind;
    if (form.otherModel.trim()) device.deviceModel = form.otherModel.trim();
  } else if (form.device === '') {
    issues.push({ path: '/device', message: 'choose a device, "other" or "no device"' });
  } else if (form.device !== NO_DEVICE) {
    if (onRecord.has(form.device)) device.device = form.device;
    else issues.push({ path: '/device', message: `no device ${form.device} at site ${site}` });
  }
  if (issues.length) throw new ValidationError('fault report', issues);
  // Shaped like TicketCreate, still the form's text: the action validates it (kind, subject, lengths).
  return {
    site,
    ...device,
    subject: form.subject || 'manual',
    // Spaces alone are no symptom: the action's "required" then names the field.
    symptom: form.symptom.trim(),
    ...(form.suspectedCause.trim() ? { suspectedCause: form.suspectedCause.trim() } : {}),
    ...(form.priority ? { priority: form.priority } : {}),
  } as TicketCreate;
}

const WORDS = {
  heading: { zh: '报障', en: 'Report a fault' },
  device: { zh: '设备', en: 'Device' },
  chooseDevice: { zh: '（请选择设备）', en: '(choose a device)' },
  other: { zh: '其他 / 不在设备档案中', en: 'Other / not on record' },
  none: { zh: '无具体设备（服务请求）', en: 'No device (a service request)' },
  otherName: { zh: '设备名称', en: 'Device name' },
  otherKind: { zh: '设备类型', en: 'Kind' },
  otherModel: { zh: '型号', en: 'Model' },
  otherHint: { zh: '选择“其他”时填写', en: 'when “other” is chosen' },
  subject: { zh: '故障类型', en: 'Fault' },
  down: { zh: '设备宕机 / 无法访问', en: 'Device down / unreachable' },
  manual: { zh: '其他故障', en: 'Other fault' },
  symptom: { zh: '故障现象（必填）', en: 'Symptom (required)' },
  suspectedCause: { zh: '疑似原因', en: 'Suspected cause' },
  priority: { zh: '级别', en: 'Priority' },
  byRules: { zh: '按站点规则', en: "the site's mapping" },
  customerPriority: { zh: '级别由服务合同的规则确定，服务工程师可在响应时调整。', en: "The priority follows the contract's rules; the service engineer may change it when responding." },
  submit: { zh: '提交报障', en: 'Report' },
  refused: { zh: '报障未提交，请修改后重试：', en: 'The report was not filed; correct it and try again:' },
  'err.device': { zh: '请选择设备（或“其他”“无具体设备”）；所选设备须是本站点档案中的设备。', en: "Choose a device (or “other”, “no device”); it must be one of this site's devices on record." },
  'err.otherName': { zh: '选择“其他”时请填写设备名称。', en: 'With “other”, type the device’s name.' },
  'err.name': { zh: '设备名称只能由可打印字符组成，不含 / \\ ? #，不以 = + @ 或空格开头，最多 255 个字符。', en: 'A device name is printable characters without / \\ ? #, not starting with = + @ or a space, at most 255 characters.' },
  'err.otherKind': { zh: '请从列表中选择设备类型。', en: 'Choose the kind from the list.' },
  'err.otherModel': { zh: '型号最多 200 个字符，且不能含控制字符。', en: 'The model is at most 200 characters, without control characters.' },
  'err.subject': { zh: '请从列表中选择故障类型。', en: 'Choose the fault from the list.' },
  'err.symptom': { zh: '请填写故障现象（最多 4000 字，不能含控制字符）。', en: 'Describe the symptom (at most 4,000 characters, without control characters).' },
  'err.suspectedCause': { zh: '疑似原因最多 4000 字，且不能含控制字符。', en: 'The suspected cause is at most 4,000 characters, without control characters.' },
  'err.priority': { zh: '请从列表中选择级别。', en: 'Choose the priority from the list.' },
  'err.deviceRequired': { zh: '按检查项目报障时须选择设备。', en: 'A fault of a check needs a device.' },
  'err.other': { zh: '提交的内容无法处理，请检查各项后重试。', en: 'The report could not be used; check the fields and try again.' },
} as const satisfies Record<string, Record<Lang, string>>;
type Word = keyof typeof WORDS;
const w = (lang: Lang, k: Word): string => WORDS[k][lang];

/** Which message a refused field gets (the schema's field, or the form's own). */
const FIELD_ERRORS: Record<string, Word> = {
  '/device': 'err.device',
  '/otherName': 'err.otherName',
  '/deviceKind': 'err.otherKind',
  '/deviceModel': 'err.otherModel',
  '/subject': 'err.subject',
  '/symptom': 'err.symptom',
  '/suspectedCause': 'err.suspectedCause',
  '/priority': 'err.priority',
};

/**
 * A refusal in the reader's language: one line per refused field (a typed device name that breaks
 * the name rule is named as such). Null for an error the page does not word (403, 404, 5xx): those
 * go to the error page.
 */
export function faultReportErrors(lang: Lang, err: unknown, form: FaultForm): string[] | null {
  if (err instanceof ValidationError) {
    const words = err.issues.map((i): Word => (i.path === '/device' && form.device === OTHER_DEVICE ? 'err.name' : (FIELD_ERRORS[i.path] ?? 'err.other')));
    return [...new Set(words)].map((k) => w(lang, k));
  }
  if (err instanceof ApiError && err.statusCode === 400) return [w(lang, err.code === 'device_required' ? 'err.deviceRequired' : 'err.other')];
  return null;
}

const selected = (on: boolean) => (on ? html` selected` : '');
const opt = (value: string, text: string, current: string) => html`<option value="${value}"${selected(value === current)}>${text}</option>`;

export interface FaultDevice {
  hostname: string;
  kind: string;
  model: string | null;
}

/**
 * The form. Devices are named by host name, kind and model — never an address (customers read this
 * page). Engineers choose a priority or leave it to the mapping; a customer is told the rule.
 */
export function faultReportForm(lang: Lang, viewer: Viewer, action: string, devices: FaultDevice[], form?: FaultForm, errors?: string[]): SafeHtml {
  const f: FaultForm = form ?? faultFormOf({});
  const deviceOptions = devices.map((d) => opt(d.hostname, [d.hostname, kindTerm(lang, d.kind), d.model].filter(Boolean).join(' · '), f.device));
  const subjects: [string, string][] = [['manual', w(lang, 'manual')], ['down', w(lang, 'down')], ...CHECK_IDS.map((c): [string, string] => [c, `${c} ${checkName(lang, c)}`])];
  const priority =
    viewer.role === 'customer'
      ? html`<p class="muted" id="report-priority-rule">${w(lang, 'customerPriority')}</p>`
      : html`<label>${w(lang, 'priority')} <select name="priority">${opt('', w(lang, 'byRules'), f.priority)}${PRIORITIES.map((p) => opt(p, p, f.priority))}</select></label>`;
  const refused = errors?.length
    ? html`<div class="error" role="alert" id="report-errors"><p>${w(lang, 'refused')}</p><ul>${errors.map((e) => html`<li>${e}</li>`)}</ul></div>`
    : '';
  return html`<section class="card" id="report-fault"><h2>${w(lang, 'heading')}</h2>${refused}
<form method="post" action="${action}" id="report-form"><input type="hidden" name="_csrf" value="${viewer.csrf ?? ''}">
<label>${w(lang, 'device')} <select name="device" required>${opt('', w(lang, 'chooseDevice'), f.device)}${deviceOptions}${opt(OTHER_DEVICE, w(lang, 'other'), f.device)}${opt(NO_DEVICE, w(lang, 'none'), f.device)}</select></label>
<fieldset id="report-other"><legend>${w(lang, 'other')} (${w(lang, 'otherHint')})</legend>
<label>${w(lang, 'otherName')} <input name="otherName" maxlength="255" value="${f.otherName}"></label>
<label>${w(lang, 'otherKind')} <select name="otherKind">${DEVICE_KINDS.map((k) => opt(k, kindTerm(lang, k), f.otherKind || 'server'))}</select></label>
<label>${w(lang, 'otherModel')} <input name="otherModel" maxlength="200" value="${f.otherModel}"></label></fieldset>
<label>${w(lang, 'subject')} <select name="subject">${subjects.map(([v, text]) => opt(v, text, f.subject || 'manual'))}</select></label>
<label>${w(lang, 'symptom')} <textarea name="symptom" rows="3" maxlength="4000" required>${f.symptom}</textarea></label>
<label>${w(lang, 'suspectedCause')} <textarea name="suspectedCause" rows="2" maxlength="4000">${f.suspectedCause}</textarea></label>
${priority}
<button type="submit" class="primary">${w(lang, 'submit')}</button></form></section>`;
}

/** The ticket page's line after a report: filed, or the same fault already had this open ticket. */
export function reportedNotice(lang: Lang, reported: unknown, id: number): SafeHtml {
  if (reported === 'new') return html`<p class="ok" role="status" id="reported">${lang === 'zh' ? `已提交报障，故障单 #${id}。` : `Fault reported: ticket #${id}.`}</p>`;
  if (reported === 'existing')
    return html`<p class="warn" role="status" id="reported" data-reported="existing">${lang === 'zh' ? `该设备的这一故障已有未关闭的故障单 #${id}，未重复开单；已转到该单。` : `This fault of the device already has open ticket #${id}; no second ticket was opened — here it is.`}</p>`;
  return html``;
}
