import { MAINTENANCE_STATUSES, PRIORITIES, TICKET_STATUSES, ValidationError, type Lang } from '../schemas/index.js';
import type { MaintenanceStep } from './maintenance/rules.js';
import { TOKEN_ROLES, type TokenRole } from './repositories/index.js';
import type { StepName } from './tickets/lifecycle.js';
import { MAINTENANCE_STATUS_TERMS, MAINTENANCE_STEP_TERMS, ROLE_TERMS, TICKET_STATUS_TERMS, TICKET_STEP_TERMS } from './terms.js';

/*
 * Refused actions in the reader's words. An action that refuses (a 4xx ApiError) may carry a key of
 * this catalogue and its arguments besides its English message (the API's, unchanged); a dashboard
 * form that was refused comes back to its page with the key and the arguments in the URL, and the
 * page words them here. Nothing of the URL is shown as it was typed: a key the catalogue does not
 * hold, or an argument its parser refuses, reads as the bare "Not done" — a crafted link cannot put
 * a sentence of its own on the page as the system's words. Arguments are therefore codes, numbers
 * and field names only, never free text (a person's or a device's name stays out).
 */

/** Reads one argument from the URL: its value, or undefined when it is not one. */
type Parser<T> = (raw: string) => T | undefined;

const oneOf =
  <T extends string>(values: readonly T[]): Parser<T> =>
  (raw) =>
    (values as readonly string[]).includes(raw) ? (raw as T) : undefined;
const keyOf = <T extends string>(table: Record<T, unknown>): Parser<T> => oneOf(Object.keys(table) as T[]);
const count: Parser<number> = (raw) => (/^[1-9]\d{0,5}$/.test(raw) ? Number(raw) : undefined);
/** A list of at most five items of `item`, comma-separated. */
const listOf =
  <T>(item: Parser<T>): Parser<T[]> =>
  (raw) => {
    const parts = raw.split(',');
    if (parts.length === 0 || parts.length > 5) return undefined;
    const read = parts.map(item);
    return read.every((x) => x !== undefined) ? (read as T[]) : undefined;
  };
/** A form field's name as the code writes it (`windowStart`, `settings.from`), never a sentence. */
const fieldName: Parser<string> = (raw) => (/^[A-Za-z][A-Za-z0-9_]{0,31}(?:\.[A-Za-z][A-Za-z0-9_]{0,31}){0,3}$/.test(raw) ? raw : undefined);

/** A host name as devices are recorded (letters, digits, dot, dash, underscore): a code, not a sentence. */
const hostname: Parser<string> = (raw) => (/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(raw) ? raw : undefined);

const ticketStep = keyOf<StepName>(TICKET_STEP_TERMS);
const ticketStatus = oneOf(TICKET_STATUSES);
const maintenanceStep = keyOf<MaintenanceStep>(MAINTENANCE_STEP_TERMS);
const maintenanceStatus = oneOf(MAINTENANCE_STATUSES);
const role = oneOf(TOKEN_ROLES);

type Spec = Record<string, Parser<unknown>>;
type ArgsOf<S extends Spec> = { [K in keyof S]: S[K] extends Parser<infer T> ? T : never };
interface Entry<S extends Spec> {
  args: S;
  words: Record<Lang, (a: ArgsOf<S>) => string>;
}
/** A catalogue entry: its arguments' parsers and its words in both languages (one missing is a type error). */
const entry = <S extends Spec>(args: S, words: Record<Lang, (a: ArgsOf<S>) => string>): Entry<S> => ({ args, words });
const plain = (zh: string, en: string) => entry({}, { zh: () => zh, en: () => en });

const or = (lang: Lang, items: string[]) => (lang === 'zh' ? items.join('或') : items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`);
const roles = (lang: Lang, list: TokenRole[]) => or(lang, list.map((r) => ROLE_TERMS[r][lang]));

/** A form field in words where the forms name it; otherwise the field's code. */
const FIELD_TERMS: Record<string, Record<Lang, string>> = {
  purpose: { zh: '目的', en: 'purpose' },
  engineer: { zh: '工程师', en: 'engineer' },
  recorder: { zh: '记录人', en: 'recorder' },
  steps: { zh: '步骤', en: 'steps' },
  expectedDurationMinutes: { zh: '预计时长', en: 'expected duration' },
  windowStart: { zh: '窗口开始', en: 'window start' },
  windowEnd: { zh: '窗口结束', en: 'window end' },
  rollbackPlan: { zh: '应急方案（回退）', en: 'rollback plan' },
  customerRepresentative: { zh: '客户代表', en: 'customer representative' },
  removableMedia: { zh: '移动介质', en: 'removable media' },
  arrivedAt: { zh: '到场时间', en: 'arrival time' },
  workDone: { zh: '处理过程', en: 'work done' },
  result: { zh: '结果', en: 'result' },
  outcome: { zh: '结果', en: 'outcome' },
  part: { zh: '部件', en: 'part' },
  oldSerial: { zh: '旧序列号', en: 'old serial' },
  newSerial: { zh: '新序列号', en: 'new serial' },
  note: { zh: '说明', en: 'note' },
  notes: { zh: '备注', en: 'notes' },
  remark: { zh: '备注', en: 'remark' },
  reason: { zh: '原因', en: 'reason' },
  due: { zh: '期限', en: 'due time' },
  hostname: { zh: '主机名', en: 'host name' },
  kind: { zh: '类型', en: 'kind' },
  name: { zh: '名称', en: 'name' },
  from: { zh: '开始', en: 'from' },
  until: { zh: '结束', en: 'until' },
  at: { zh: '时间', en: 'time' },
  title: { zh: '客户名称', en: "customer's name" },
  contractNo: { zh: '合同编号', en: 'contract number' },
  deadlineFractions: { zh: '期限提醒', en: 'deadline reminders' },
  warrantyUntil: { zh: '保修期至', en: 'warranty until' },
  contractUntil: { zh: '维保合同至', en: 'contract until' },
};
const fields = (lang: Lang, list: string[]) =>
  list.map((f) => (Object.hasOwn(FIELD_TERMS, f) ? FIELD_TERMS[f]![lang] : f)).join(lang === 'zh' ? '、' : ', ');

const REFUSALS = {
  // Any refusal without words of its own reads by its kind (the status it answers with).
  refused400: plain('提交的内容不符合要求，请检查后重试。', 'what was sent is not accepted; check it and try again.'),
  refused403: plain('当前账号不能执行此操作。', 'your account may not do this.'),
  refused404: plain('要操作的对象不存在。', 'what it acts on does not exist.'),
  refused409: plain('当前状态下不能执行此操作。', 'this cannot be done in the current state.'),
  localTime: entry({ field: fieldName }, {
    zh: (a) => `${fields('zh', [a.field])}须按站点时区写作 YYYY-MM-DD HH:mm（24 小时制）。`,
    en: (a) => `${fields('en', [a.field])} is written YYYY-MM-DD HH:mm, in the site's time zone (24-hour).`,
  }),
  invalidFields: entry({ fields: listOf(fieldName) }, {
    zh: (a) => `以下内容填写有误：${fields('zh', a.fields)}。`,
    en: (a) => `these fields are not filled in correctly: ${fields('en', a.fields)}.`,
  }),
  roleNeeded: entry({ roles: listOf(role) }, {
    zh: (a) => `此操作需要${roles('zh', a.roles)}角色。`,
    en: (a) => `this needs the role ${roles('en', a.roles)}.`,
  }),
  notYourSite: plain('当前账号不能在此站点执行此操作。', 'your account may not do this at this site.'),
  // Tickets.
  ticketStep: entry({ step: ticketStep, status: ticketStatus }, {
    zh: (a) => `故障单当前为“${TICKET_STATUS_TERMS[a.status].zh}”，不能执行“${TICKET_STEP_TERMS[a.step].zh}”。`,
    en: (a) => `a ticket that is ${TICKET_STATUS_TERMS[a.status].en} cannot ${TICKET_STEP_TERMS[a.step].en}.`,
  }),
  ticketStepRole: entry({ step: ticketStep, roles: listOf(role) }, {
    zh: (a) => `“${TICKET_STEP_TERMS[a.step].zh}”需要${roles('zh', a.roles)}角色。`,
    en: (a) => `to ${TICKET_STEP_TERMS[a.step].en} needs the role ${roles('en', a.roles)}.`,
  }),
  ticketClosed: plain('故障单已关闭。', 'the ticket is closed.'),
  ticketSamePriority: entry({ priority: oneOf(PRIORITIES) }, {
    zh: (a) => `故障单已经是 ${a.priority} 级。`,
    en: (a) => `the ticket is already ${a.priority}.`,
  }),
  reclassifyReason: plain('调整优先级需要填写原因。', 'reclassifying a ticket needs a reason.'),
  notSiteEngineer: plain('所选人员不是有权访问本站点的工程师。', 'the person chosen is not an engineer with access to this site.'),
  backupSameAsAssignee: plain('备份工程师必须是负责工程师以外的另一人。', 'the backup engineer must be another person than the assignee.'),
  emergencyPlanNeedsOnSite: entry({ status: ticketStatus }, {
    zh: (a) => `应急方案用于到场后仍未修复的故障；故障单当前为“${TICKET_STATUS_TERMS[a.status].zh}”。`,
    en: (a) => `the emergency plan follows an on-site visit that did not fix the fault; the ticket is ${TICKET_STATUS_TERMS[a.status].en}.`,
  }),
  emergencyPlanOwned: plain('该故障单的应急方案已有负责人。', 'the emergency plan of this ticket already has an owner.'),
  emergencyPlanDuePassed: plain('应急方案的期限已过，请填写将来的时间。', "the emergency plan's deadline has already passed; give a time to come."),
  partNeededWhileWorking: entry({ status: ticketStatus }, {
    zh: (a) => `只有处理中的故障才能登记需要备件；故障单当前为“${TICKET_STATUS_TERMS[a.status].zh}”。`,
    en: (a) => `a part is needed while the fault is being worked on; the ticket is ${TICKET_STATUS_TERMS[a.status].en}.`,
  }),
  partAlreadyNeeded: plain('该故障单已登记需要备件。', 'this ticket already needs a part.'),
  serviceReportNeedsOnSite: entry({ status: ticketStatus }, {
    zh: (a) => `现场服务报告需要工程师到场后填写；故障单当前为“${TICKET_STATUS_TERMS[a.status].zh}”。`,
    en: (a) => `a service report needs an engineer on site; the ticket is ${TICKET_STATUS_TERMS[a.status].en}.`,
  }),
  partReplacedOnSite: entry({ status: ticketStatus }, {
    zh: (a) => `备件在现场更换；故障单当前为“${TICKET_STATUS_TERMS[a.status].zh}”。`,
    en: (a) => `a part is replaced on site; the ticket is ${TICKET_STATUS_TERMS[a.status].en}.`,
  }),
  // Maintenance requests.
  maintenanceStep: entry({ step: maintenanceStep, status: maintenanceStatus }, {
    zh: (a) => `维护申请当前为“${MAINTENANCE_STATUS_TERMS[a.status].zh}”，不能${MAINTENANCE_STEP_TERMS[a.step].zh}。`,
    en: (a) => `a maintenance request that is ${MAINTENANCE_STATUS_TERMS[a.status].en} cannot be ${a.step === 'rollback' ? 'rolled back' : a.step === 'start' ? 'started' : `${MAINTENANCE_STEP_TERMS[a.step].en}d`}.`,
  }),
  maintenanceDecided: entry({ status: maintenanceStatus }, {
    zh: (a) => `维护申请已是“${MAINTENANCE_STATUS_TERMS[a.status].zh}”，请重新提交申请。`,
    en: (a) => `the maintenance request is ${MAINTENANCE_STATUS_TERMS[a.status].en}; file a new request.`,
  }),
  rejectionNote: plain('拒绝维护申请需要填写原因。', 'a rejection needs a note saying why.'),
  badWindow: plain('维护窗口的结束时间必须晚于开始时间。', 'the window must end after it starts.'),
  tooLate: entry({ hours: count }, {
    zh: (a) => `维护申请须在窗口开始前至少 ${a.hours} 小时提交；不能等待的请标记为紧急。`,
    en: (a) => `maintenance must be requested at least ${a.hours} h before its window; mark it emergency if it cannot wait.`,
  }),
  recorderSameAsEngineer: plain('记录人必须是在场的另一人，不能是实施工程师本人（一人操作、一人记录）。', 'the recorder must be a second person present, not the engineer: one operates, one records.'),
  unknownDevices: entry({ hosts: listOf(hostname) }, {
    zh: (a) => `本站点的设备档案中没有：${a.hosts.join('、')}。`,
    en: (a) => `no such device on record at this site: ${a.hosts.join(', ')}.`,
  }),
  missingSafeguards: entry({ fields: listOf(fieldName) }, {
    zh: (a) => `维护申请还需要：${fields('zh', a.fields)}（服务方案 5.3）。`,
    en: (a) => `the maintenance request needs ${fields('en', a.fields)} (service plan 5.3).`,
  }),
  windowNotOpen: plain('批准的维护窗口尚未开始，不能开始实施。', 'the work cannot start before its approved window opens.'),
  windowEnded: plain('批准的维护窗口已经结束，请重新提交申请。', 'its approved window has ended; file a new request.'),
  timeInFuture: plain('填写的时间在将来；请在事情发生后记录。', 'the time given is in the future; record it when it has happened.'),
  endBeforeStart: plain('结束时间不能早于开始实施的时间。', 'the end must not be before the work started.'),
  // The monthly inspection record.
  inspectionLocked: entry({ revision: count, status: oneOf(['signed', 'confirmed'] as const) }, {
    zh: (a) => (a.status === 'confirmed' ? `第 ${a.revision} 版已经客户确认并锁定；如需修改，请修订为第 ${a.revision + 1} 版。` : `第 ${a.revision} 版已签字，等待客户确认；如需修改，请修订。`),
    en: (a) => (a.status === 'confirmed' ? `revision ${a.revision} is confirmed and locked; amend it to start revision ${a.revision + 1}.` : `revision ${a.revision} is signed and awaits the customer's confirmation; amend it to change it.`),
  }),
  nothingToSign: plain('本月没有可签字的设备或结果。', 'there are no devices or results to sign this month.'),
  notSignedYet: plain('工程师尚未签字，不能确认。', 'the engineer has not signed it; it cannot be confirmed.'),
  alreadyConfirmed: entry({ revision: count }, {
    zh: (a) => `第 ${a.revision} 版已经确认。`,
    en: (a) => `revision ${a.revision} is already confirmed.`,
  }),
  nothingToAmend: plain('本月记录仍是草稿，可直接修改，无需修订。', 'the record is still a draft; change it directly.'),
  badMonth: plain('月份须写作 YYYY-MM。', 'a month is written YYYY-MM.'),
  // Equipment.
  upgradeReason: plain('判断“需要升级”时必须写明原因。', 'an "upgrade needed" verdict needs its reason.'),
  // Notifications and channels.
  specialPeriodDates: plain('特殊值守时段（节假日值守）需要开始和结束时间。', 'a special period needs its start and end.'),
  untilAfterFrom: plain('结束时间必须晚于开始时间。', 'the end must come after the start.'),
  escalationOrder: entry({ step: count }, {
    zh: (a) => `升级第 ${a.step} 步必须晚于第 ${a.step - 1} 步。`,
    en: (a) => `escalation step ${a.step} must come later than step ${a.step - 1}.`,
  }),
  companyChannelAdmin: plain('公司级通知渠道（不属于任何站点）由全局管理员管理；站点自己的渠道请填写站点。', "a company channel (no site) is managed by a global administrator; give a site for a site's own channel."),
  channelExists: plain('同名的通知渠道已存在。', 'a channel of that name already exists.'),
  credentialKeyMissing: plain('收集器未配置凭据密钥，不能保存渠道的密码。', 'the collector has no credential key configured to seal the channel’s secrets.'),
  credentialKeyMismatch: plain('配置的凭据密钥不是加密该渠道密码时所用的密钥。', 'the configured credential key is not the one the channel’s secrets were sealed with.'),
} as const;

type Catalogue = typeof REFUSALS;
export type RefusalKey = keyof Catalogue;
type ArgsOfKey<K extends RefusalKey> = Catalogue[K] extends Entry<infer S> ? ArgsOf<S> : never;
/** A refusal's key and its arguments, checked against the catalogue by the type. */
export type Refusal = { [K in RefusalKey]: { key: K; args: ArgsOfKey<K> } }[RefusalKey];

/** The frame of every refusal and the bare text when its words cannot be read. */
const FRAME: Record<Lang, { done: string; with: (text: string) => string }> = {
  zh: { done: '操作未完成', with: (text) => `操作未完成：${text}` },
  en: { done: 'Not done', with: (text) => `Not done: ${text}` },
};

/** The query parameter of the key; each argument is `error.<name>`. */
const PARAM = 'error';

const keyOfText = (key: string): RefusalKey | undefined => (Object.hasOwn(REFUSALS, key) ? (key as RefusalKey) : undefined);

/** Reads the arguments of `key` from strings, each through its parser; undefined when one is missing or refused. */
function readArgs(key: RefusalKey, raw: (name: string) => unknown): Record<string, unknown> | undefined {
  const spec: Spec = REFUSALS[key].args;
  const args: Record<string, unknown> = {};
  for (const [name, parse] of Object.entries(spec)) {
    const v = raw(name);
    if (typeof v !== 'string' || v.length > 200) return undefined;
    const parsed = parse(v);
    if (parsed === undefined) return undefined;
    args[name] = parsed;
  }
  return args;
}

const argText = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));

/** What a refused action says of itself: its own words when it has them, else words of its kind. */
export function refusalOf(err: Error & { statusCode?: number; words?: Refusal }): Refusal {
  if (err.words && Object.hasOwn(REFUSALS, err.words.key)) {
    const words = err.words;
    // An argument that would not read back from the URL (too long, not a code) falls back to the kind.
    const strings: Record<string, unknown> = Object.fromEntries(Object.entries(words.args).map(([k, v]) => [k, argText(v)]));
    if (readArgs(words.key, (n) => strings[n])) return words;
  }
  if (err instanceof ValidationError) {
    // `/settings/from` → settings.from; an index (`/steps/3`) is not a field.
    const names = err.issues.map((i) => i.path.split('/').filter((p) => p && !/^\d+$/.test(p)).join('.')).filter((f) => fieldName(f) !== undefined);
    const unique = [...new Set(names)].slice(0, 5);
    return unique.length ? { key: 'invalidFields', args: { fields: unique } } : { key: 'refused400', args: {} };
  }
  const s = err.statusCode;
  return { key: s === 403 ? 'refused403' : s === 404 ? 'refused404' : s === 409 ? 'refused409' : 'refused400', args: {} };
}

/** The refusal as query parameters (`error=ticketStep&error.step=resolve&error.status=open`), already encoded. */
export function refusalQuery(r: Refusal): string {
  const parts = [`${PARAM}=${encodeURIComponent(r.key)}`];
  for (const [name, v] of Object.entries(r.args)) parts.push(`${PARAM}.${encodeURIComponent(name)}=${encodeURIComponent(argText(v))}`);
  return parts.join('&');
}

/**
 * The refusal a page's URL names, worded in `lang`; undefined when the URL names none. A key the
 * catalogue does not hold or an argument that does not parse reads as the bare "Not done": nothing
 * of the URL is ever echoed.
 */
export function refusalFromQuery(lang: Lang, query: unknown): string | undefined {
  const q = (query ?? {}) as Record<string, unknown>;
  const raw = q[PARAM];
  if (raw === undefined) return undefined;
  const key = typeof raw === 'string' ? keyOfText(raw) : undefined;
  const args = key && readArgs(key, (n) => q[`${PARAM}.${n}`]);
  if (!key || !args) return FRAME[lang].done;
  return FRAME[lang].with((REFUSALS[key].words[lang] as (a: unknown) => string)(args));
}

/** Every key and its words in both languages for given arguments (tests read the whole catalogue). */
export const REFUSAL_KEYS = Object.keys(REFUSALS) as RefusalKey[];
export const refusalWords = (lang: Lang, r: Refusal): string => FRAME[lang].with((REFUSALS[r.key].words[lang] as (a: unknown) => string)(r.args));
