import type { FastifyRequest } from 'fastify';
import type { Lang } from '../../schemas/index.js';
import { parseCookies } from '../users/index.js';

/** The dashboard's words in Chinese and English; a missing translation is a type error. */
const T = {
  appName: { zh: '巡检', en: 'Xunjian' },
  login: { zh: '登录', en: 'Log in' },
  logout: { zh: '退出', en: 'Log out' },
  userName: { zh: '用户名', en: 'User name' },
  password: { zh: '密码', en: 'Password' },
  sites: { zh: '站点', en: 'Sites' },
  site: { zh: '站点', en: 'Site' },
  devices: { zh: '设备数', en: 'Devices' },
  abnormal: { zh: '不正常', en: 'Abnormal' },
  unknown: { zh: '未知', en: 'Unknown' },
  openTickets: { zh: '未关闭故障单', en: 'Open tickets' },
  overdueTickets: { zh: '超时故障单', en: 'Overdue' },
  lastInspection: { zh: '最近巡检', en: 'Last inspection' },
  review: { zh: '月度巡检审核', en: 'Monthly review' },
  tickets: { zh: '故障单', en: 'Tickets' },
  maintenance: { zh: '维护申请', en: 'Maintenance' },
  reports: { zh: '报告', en: 'Reports' },
  device: { zh: '设备', en: 'Device' },
  month: { zh: '月份', en: 'Month' },
  status: { zh: '状态', en: 'Status' },
  draft: { zh: '草稿', en: 'draft' },
  signed: { zh: '已签字', en: 'signed' },
  confirmed: { zh: '已确认', en: 'confirmed' },
  notes: { zh: '工程师备注', en: "Engineer's notes" },
  saveNotes: { zh: '保存备注', en: 'Save notes' },
  sign: { zh: '工程师签字', en: 'Sign off' },
  confirm: { zh: '客户确认', en: 'Confirm' },
  signedBy: { zh: '签字', en: 'Signed by' },
  confirmedBy: { zh: '确认', en: 'Confirmed by' },
  measurements: { zh: '测量值', en: 'Measurements' },
  command: { zh: '检查命令', en: 'Command / OID' },
  threshold: { zh: '阈值', en: 'Threshold' },
  history: { zh: '历史', en: 'History' },
  expected: { zh: '期待结果', en: 'Expected' },
  actual: { zh: '实际结果', en: 'Actual' },
  reason: { zh: '备注', en: 'Reason' },
  identity: { zh: '设备档案', en: 'Identity' },
  model: { zh: '型号', en: 'Model' },
  serial: { zh: '序列号', en: 'Serial' },
  version: { zh: '版本', en: 'Version' },
  addresses: { zh: '地址', en: 'Addresses' },
  kind: { zh: '类型', en: 'Kind' },
  trends: { zh: '趋势', en: 'Trends' },
  recentResults: { zh: '最近检查结果', en: 'Recent results' },
  priority: { zh: '级别', en: 'Priority' },
  symptom: { zh: '故障现象', en: 'Symptom' },
  opened: { zh: '报告时间', en: 'Opened' },
  deadline: { zh: '时限', en: 'Deadline' },
  overdue: { zh: '已超时', en: 'overdue' },
  remaining: { zh: '剩余', en: 'left' },
  step: { zh: '处理', en: 'Step' },
  serviceReport: { zh: '现场服务报告', en: 'On-site service report' },
  parts: { zh: '备件更换', en: 'Replaced parts' },
  arrivedAt: { zh: '到场时间', en: 'Arrived' },
  workDone: { zh: '处理过程', en: 'Work done' },
  result: { zh: '结果', en: 'Result' },
  openIssues: { zh: '遗留问题', en: 'Open issues' },
  evaluation: { zh: '客户评价', en: "Customer's evaluation" },
  part: { zh: '部件', en: 'Part' },
  oldSerial: { zh: '旧序列号', en: 'Old serial' },
  newSerial: { zh: '新序列号', en: 'New serial' },
  save: { zh: '保存', en: 'Save' },
  note: { zh: '说明', en: 'Note' },
  events: { zh: '处理记录', en: 'History' },
  request: { zh: '提交申请', en: 'Request' },
  approve: { zh: '批准', en: 'Approve' },
  reject: { zh: '拒绝', en: 'Reject' },
  purpose: { zh: '目的', en: 'Purpose' },
  engineer: { zh: '工程师', en: 'Engineer' },
  recorder: { zh: '记录人', en: 'Recorder' },
  steps: { zh: '步骤(每行一步)', en: 'Steps (one per line)' },
  window: { zh: '维护窗口', en: 'Window' },
  durationMin: { zh: '预计时长(分钟)', en: 'Expected duration (min)' },
  emergency: { zh: '紧急', en: 'Emergency' },
  hardwareChanges: { zh: '硬件变更', en: 'Hardware changes' },
  softwareChanges: { zh: '软件变更', en: 'Software changes' },
  audit: { zh: '审计日志', en: 'Audit log' },
  none: { zh: '无', en: 'none' },
  pdf: { zh: 'PDF', en: 'PDF' },
  csv: { zh: 'CSV', en: 'CSV' },
  print: { zh: '打印版', en: 'Printable' },
  noData: { zh: '暂无数据', en: 'No data' },
  hidden: { zh: '(仅工程师可见)', en: '(engineers only)' },
  closeCell: { zh: '关闭', en: 'Close' },
} as const satisfies Record<string, Record<Lang, string>>;

export type Term = keyof typeof T;
export const t = (lang: Lang, key: Term): string => T[key][lang];

/** ?lang=en, else the xj_lang cookie, else Accept-Language, else Chinese. */
export function langOf(request: FastifyRequest): Lang {
  const q = (request.query as { lang?: string } | undefined)?.lang;
  if (q === 'zh' || q === 'en') return q;
  const c = parseCookies(request.headers.cookie).get('xj_lang');
  if (c === 'zh' || c === 'en') return c;
  const accept = request.headers['accept-language'] ?? '';
  return /^\s*en/i.test(accept) ? 'en' : 'zh';
}
