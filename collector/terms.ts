import type { DeviceKind, Lang, MaintenanceStatus, PartDisposition, TicketEvent, TicketStatus } from '../schemas/index.js';
import type { TokenRole } from './repositories/index.js';
import { KIND_TERMS } from '../checks/index.js';

export { KIND_TERMS };

/*
 * The record's terms: every code a person reads (a kind, a status, an event, a deadline, a role,
 * an audited action) in both languages. Each table is keyed by its enum, so a code without words is
 * a type error rather than a raw `on_site` on a Chinese page; pages, reports and messages take
 * their words from here.
 */

type Words<K extends string> = Record<K, Record<Lang, string>>;


export const TICKET_STATUS_TERMS: Words<TicketStatus> = {
  open: { zh: '待响应', en: 'open' },
  responded: { zh: '已响应', en: 'responded' },
  dispatched: { zh: '已派工', en: 'dispatched' },
  on_site: { zh: '已到场', en: 'on site' },
  resolved: { zh: '已解决', en: 'resolved' },
  confirmed: { zh: '客户已确认', en: 'confirmed' },
  closed: { zh: '已关闭', en: 'closed' },
};

/** A ticket's history: its statuses, and the other things that happen to it. */
export const TICKET_EVENT_TERMS: Words<TicketEvent['event']> = {
  ...TICKET_STATUS_TERMS,
  open: { zh: '开单', en: 'opened' },
  recovered: { zh: '已自动恢复', en: 'recovered' },
  relapsed: { zh: '再次出现', en: 'relapsed' },
  emergency_plan: { zh: '应急方案', en: 'emergency plan' },
  assigned: { zh: '指派', en: 'assigned' },
  reclassified: { zh: '调整优先级', en: 'reclassified' },
  part_needed: { zh: '需要备件', en: 'part needed' },
};

export const DEADLINE_TERMS: Words<'response' | 'onSite' | 'recovery' | 'partReplacement' | 'emergencyPlan'> = {
  response: { zh: '响应', en: 'response' },
  onSite: { zh: '到场', en: 'on site' },
  recovery: { zh: '恢复', en: 'recovery' },
  partReplacement: { zh: '备件更换', en: 'part replacement' },
  emergencyPlan: { zh: '应急方案', en: 'emergency plan' },
};

/** A ticket's lifecycle steps as verbs (a refusal says which one could not be taken). */
export const TICKET_STEP_TERMS: Words<'respond' | 'dispatch' | 'on-site' | 'resolve' | 'confirm' | 'close'> = {
  respond: { zh: '响应', en: 'respond' },
  dispatch: { zh: '派工', en: 'dispatch' },
  'on-site': { zh: '到场', en: 'go on site' },
  resolve: { zh: '解决', en: 'resolve' },
  confirm: { zh: '客户确认', en: 'confirm' },
  close: { zh: '关闭', en: 'close' },
};

/** A maintenance request's steps as verbs. */
export const MAINTENANCE_STEP_TERMS: Words<'approve' | 'reject' | 'cancel' | 'start' | 'complete' | 'rollback'> = {
  approve: { zh: '批准', en: 'approve' },
  reject: { zh: '拒绝', en: 'reject' },
  cancel: { zh: '撤回', en: 'cancel' },
  start: { zh: '开始实施', en: 'start' },
  complete: { zh: '完成', en: 'complete' },
  rollback: { zh: '回退', en: 'roll back' },
};

export const SERVICE_RESULT_TERMS: Words<'fixed' | 'partly_fixed' | 'not_fixed'> = {
  fixed: { zh: '已修复', en: 'fixed' },
  partly_fixed: { zh: '部分修复', en: 'partly fixed' },
  not_fixed: { zh: '未修复', en: 'not fixed' },
};

export const MAINTENANCE_STATUS_TERMS: Words<MaintenanceStatus> = {
  requested: { zh: '待批准', en: 'requested' },
  approved: { zh: '已批准', en: 'approved' },
  rejected: { zh: '已拒绝', en: 'rejected' },
  cancelled: { zh: '已撤回', en: 'cancelled' },
  in_progress: { zh: '实施中', en: 'in progress' },
  completed: { zh: '已完成', en: 'completed' },
  rolled_back: { zh: '已回退', en: 'rolled back' },
};

export const PART_DISPOSITION_TERMS: Words<PartDisposition> = {
  returned_to_customer: { zh: '已交回客户', en: 'returned to the customer' },
  kept_by_service_company: { zh: '服务商留存', en: 'kept by the service company' },
  destroyed: { zh: '已销毁', en: 'destroyed' },
  other: { zh: '其他', en: 'other' },
};

/** Roles of people and of the tokens that act for them (agents and the CLI write audit entries too). */
export const ROLE_TERMS: Words<TokenRole | 'cli' | 'system'> = {
  admin: { zh: '管理员', en: 'administrator' },
  engineer: { zh: '服务工程师', en: 'service engineer' },
  customer: { zh: '客户', en: 'customer' },
  agent: { zh: '代理', en: 'agent' },
  cli: { zh: '命令行', en: 'command line' },
  system: { zh: '系统', en: 'system' },
};

/** A term of a table, or the code itself for a value the table does not hold (a row written by a newer version). */
export function term<K extends string>(lang: Lang, table: Words<K>, code: string): string {
  return Object.hasOwn(table, code) ? table[code as K][lang] : code;
}

/** A device kind in words; "other" (a ticket without a device on record) and codes of newer versions too. */
const KIND_OR_OTHER_TERMS: Words<DeviceKind | 'other'> = { ...KIND_TERMS, other: { zh: '其他', en: 'other' } };
export const kindTerm = (lang: Lang, kind: string): string => term(lang, KIND_OR_OTHER_TERMS, kind);

/** What an audited action is done to: `ticket.resolve` → 故障单. */
const AUDIT_OBJECTS: Record<string, Record<Lang, string>> = {
  ticket: { zh: '故障单', en: 'ticket' },
  maintenance: { zh: '维护申请', en: 'maintenance request' },
  inspection: { zh: '巡检记录', en: 'inspection record' },
  device: { zh: '设备', en: 'device' },
  firmware: { zh: '固件', en: 'firmware' },
  token: { zh: '令牌', en: 'token' },
  user: { zh: '用户', en: 'user' },
  site: { zh: '站点', en: 'site' },
  sla: { zh: 'SLA', en: 'SLA' },
  notify: { zh: '通知', en: 'notification' },
  'notify-channel': { zh: '通知渠道', en: 'notification channel' },
  'snmp-target': { zh: 'SNMP 目标', en: 'SNMP target' },
  'bmc-target': { zh: 'BMC 目标', en: 'BMC target' },
};

/** What was done: `ticket.resolve` → 解决. */
const AUDIT_VERBS: Record<string, Record<Lang, string>> = {
  login: { zh: '登录', en: 'log-in' },
  create: { zh: '创建', en: 'created' },
  update: { zh: '修改', en: 'changed' },
  delete: { zh: '删除', en: 'deleted' },
  set: { zh: '设置', en: 'set' },
  add: { zh: '添加', en: 'added' },
  open: { zh: '开单', en: 'opened' },
  respond: { zh: '响应', en: 'responded' },
  dispatch: { zh: '派工', en: 'dispatched' },
  'on-site': { zh: '到场', en: 'on site' },
  resolve: { zh: '解决', en: 'resolved' },
  confirm: { zh: '确认', en: 'confirmed' },
  close: { zh: '关闭', en: 'closed' },
  reopen: { zh: '重新打开', en: 'reopened' },
  assign: { zh: '指派', en: 'assigned' },
  reclassify: { zh: '调整优先级', en: 'reclassified' },
  'service-report': { zh: '现场服务报告', en: 'service report' },
  part: { zh: '更换备件', en: 'part replaced' },
  parts: { zh: '更换备件', en: 'part replaced' },
  'part-needed': { zh: '需要备件', en: 'part needed' },
  'part-disposition': { zh: '旧件处置', en: 'old part handed over' },
  'emergency-plan': { zh: '应急方案', en: 'emergency plan' },
  request: { zh: '申请', en: 'requested' },
  approve: { zh: '批准', en: 'approved' },
  reject: { zh: '拒绝', en: 'rejected' },
  cancel: { zh: '撤回', en: 'cancelled' },
  start: { zh: '开始实施', en: 'started' },
  complete: { zh: '完成', en: 'completed' },
  rollback: { zh: '回退', en: 'rolled back' },
  sign: { zh: '签字', en: 'signed' },
  amend: { zh: '修订', en: 'amended' },
  notes: { zh: '备注', en: 'notes' },
  upload: { zh: '上传', en: 'uploaded' },
  silence: { zh: '静默', en: 'silenced' },
  upgrade: { zh: '升级判断', en: 'upgrade verdict' },
  firmware: { zh: '固件变更', en: 'firmware change' },
  baseline: { zh: '型号基线', en: 'model baseline' },
  bind: { zh: '绑定', en: 'bound' },
  revoke: { zh: '吊销', en: 'revoked' },
  retry: { zh: '重发', en: 'retried' },
  'accept-certificate': { zh: '接受证书', en: 'certificate accepted' },
};

/**
 * An audited action in words, `ticket.resolve` → 故障单 · 解决; the code itself (shown as a code)
 * when a part is not in the tables — the log is a record and never drops what was written.
 */
export function auditActionText(lang: Lang, action: string): { text: string; known: boolean } {
  const [object, ...rest] = action.split('.');
  const verb = rest.at(-1);
  if (rest.length === 0 && object && Object.hasOwn(AUDIT_VERBS, object)) return { text: AUDIT_VERBS[object]![lang], known: true };
  const o = object && Object.hasOwn(AUDIT_OBJECTS, object) ? AUDIT_OBJECTS[object]![lang] : undefined;
  const v = verb && Object.hasOwn(AUDIT_VERBS, verb) ? AUDIT_VERBS[verb]![lang] : undefined;
  return o && v ? { text: `${o} · ${v}`, known: true } : { text: action, known: false };
}
