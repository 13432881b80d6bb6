import { CHECKS, formatLocalTime, VERDICT_LABELS } from '../../checks/index.js';
import type { CheckId, Lang, Verdict } from '../../schemas/index.js';

/** The words of the reports, in both languages; one table so a missing translation is a type error. */
const WORDS = {
  inspectionTitle: { zh: '月度巡检报告', en: 'Monthly inspection report' },
  productsTitle: { zh: '产品清单', en: 'Product list' },
  performanceTitle: { zh: '月度性能分析报告', en: 'Monthly performance analysis' },
  faultsTitle: { zh: '故障处理报告', en: 'Fault handling report' },
  healthTitle: { zh: '季度健康报告', en: 'Quarterly health report' },
  site: { zh: '客户站点', en: 'Site' },
  period: { zh: '报告期', en: 'Period' },
  generatedAt: { zh: '生成时间', en: 'Generated' },
  deviceCount: { zh: '设备数量', en: 'Devices' },
  checkCount: { zh: '检查项数', en: 'Checks' },
  normalItems: { zh: '正常项', en: 'Normal items' },
  abnormalItems: { zh: '不正常项', en: 'Abnormal items' },
  unknownItems: { zh: '未知项', en: 'Unknown items' },
  abnormalDevices: { zh: '异常设备数', en: 'Devices with abnormal items' },
  status: { zh: '记录状态', en: 'Record status' },
  draft: { zh: '草稿', en: 'draft' },
  signed: { zh: '工程师已签字', en: 'signed by the engineer' },
  confirmed: { zh: '客户已确认', en: 'confirmed by the customer' },
  colId: { zh: '编号', en: 'ID' },
  colItem: { zh: '检查项目', en: 'Item' },
  colCommand: { zh: '检查命令', en: 'Command / OID' },
  colExpected: { zh: '期待结果', en: 'Expected' },
  colActual: { zh: '实际结果', en: 'Actual' },
  colVerdict: { zh: '检查结果', en: 'Result' },
  colNotes: { zh: '备注', en: 'Notes' },
  device: { zh: '设备', en: 'Device' },
  kind: { zh: '设备类型', en: 'Kind' },
  role: { zh: '角色', en: 'Role' },
  vendor: { zh: '厂商', en: 'Vendor' },
  model: { zh: '型号', en: 'Model' },
  serial: { zh: '序列号', en: 'Serial' },
  os: { zh: '操作系统/固件', en: 'OS / firmware' },
  version: { zh: '版本', en: 'Version' },
  addresses: { zh: '地址', en: 'Addresses' },
  state: { zh: '运行状态', en: 'Working state' },
  lastSeen: { zh: '最近上报', en: 'Last report' },
  summary: { zh: '概况', en: 'Summary' },
  abnormalList: { zh: '不正常项目', en: 'Abnormal items' },
  unknownList: { zh: '未能检查的项目', en: 'Items that could not be checked' },
  assessment: { zh: '系统状态评估', en: 'System state assessment' },
  advice: { zh: '建议', en: 'Advice' },
  notes: { zh: '工程师备注', en: "Engineer's notes" },
  none: { zh: '无', en: 'none' },
  engineerSignature: { zh: '巡检工程师', en: 'Engineer' },
  customerSignature: { zh: '客户确认', en: 'Customer confirmation' },
  cpuAvg: { zh: 'CPU平均 %', en: 'CPU avg %' },
  cpuPeak: { zh: 'CPU峰值 %', en: 'CPU peak %' },
  cpuPeakAt: { zh: 'CPU峰值时间', en: 'CPU peak at' },
  memAvg: { zh: '内存平均 %', en: 'Memory avg %' },
  memPeak: { zh: '内存峰值 %', en: 'Memory peak %' },
  memPeakAt: { zh: '内存峰值时间', en: 'Memory peak at' },
  samples: { zh: '样本数', en: 'Samples' },
  devicesMeasured: { zh: '有性能数据的设备', en: 'Devices with performance data' },
  cpuOverLimit: { zh: 'CPU峰值超限设备', en: 'Devices over the CPU peak limit' },
  memOverLimit: { zh: '内存超限设备', en: 'Devices over the memory limit' },
  topCpu: { zh: 'CPU峰值最高的设备', en: 'Highest CPU peaks' },
  perDevice: { zh: '各设备性能', en: 'Per device' },
  ticket: { zh: '故障单', en: 'Ticket' },
  subject: { zh: '故障类别', en: 'Subject' },
  priority: { zh: '级别', en: 'Priority' },
  symptom: { zh: '故障现象', en: 'Symptom' },
  openedAt: { zh: '报告时间', en: 'Reported' },
  respondedAt: { zh: '响应时间', en: 'Responded' },
  recoveredAt: { zh: '恢复时间', en: 'Recovered' },
  closedAt: { zh: '关闭时间', en: 'Closed' },
  ticketStatus: { zh: '状态', en: 'Status' },
  part: { zh: '部件', en: 'Part' },
  oldSerial: { zh: '旧序列号', en: 'Old serial' },
  newSerial: { zh: '新序列号', en: 'New serial' },
  replacedAt: { zh: '更换时间', en: 'Replaced' },
  by: { zh: '经办人', en: 'By' },
  arrivedAt: { zh: '到场时间', en: 'Arrived' },
  workDone: { zh: '处理过程', en: 'Work done' },
  result: { zh: '处理结果', en: 'Result' },
  openIssues: { zh: '遗留问题', en: 'Open issues' },
  evaluation: { zh: '客户评价', en: "Customer's evaluation" },
  ticketCount: { zh: '故障单数', en: 'Tickets' },
  hardwareFaults: { zh: '硬件故障数', en: 'Hardware faults' },
  partsReplaced: { zh: '更换部件数', en: 'Parts replaced' },
  ticketsList: { zh: '故障单列表', en: 'Tickets' },
  serviceReports: { zh: '现场服务报告', en: 'On-site service reports' },
  partsList: { zh: '硬件处理及备件更换', en: 'Hardware handling and spare parts' },
  availability: { zh: '硬件可用率', en: 'Hardware availability' },
  cpuTrend: { zh: 'CPU 利用率趋势（全部设备，按天）', en: 'CPU utilisation by day (all devices)' },
  memTrend: { zh: '内存利用率趋势（全部设备，按天）', en: 'Memory utilisation by day (all devices)' },
  dailyMean: { zh: '日平均', en: 'daily mean' },
  dailyPeak: { zh: '日峰值', en: 'daily peak' },
  limit: { zh: '阈值', en: 'limit' },
  availabilityByMonth: { zh: '硬件可用率（按月）', en: 'Hardware availability by month' },
  faultsBySubject: { zh: '故障单按检查项分布', en: 'Tickets by check' },
  downtime: { zh: '停机时长(小时)', en: 'Downtime (h)' },
  faultDistribution: { zh: '故障分布(按检查项与设备类型)', en: 'Fault distribution by check and device kind' },
  repairTypes: { zh: '维修类型', en: 'Repair types' },
  slaTitle: { zh: '响应及恢复时间(对照服务级别)', en: 'Response and recovery times against the SLA' },
  hardwareState: { zh: '硬件状态', en: 'Hardware state' },
  metric: { zh: '指标', en: 'Measure' },
  count: { zh: '数量', en: 'Count' },
  withinSla: { zh: '达标', en: 'Within SLA' },
  overSla: { zh: '超时', en: 'Over SLA' },
  average: { zh: '平均(分钟)', en: 'Average (min)' },
  response: { zh: '电话响应', en: 'Response' },
  onSite: { zh: '工程师到场', en: 'On site' },
  recovery: { zh: '服务恢复', en: 'Recovery' },
  total: { zh: '合计', en: 'Total' },
  down: { zh: '设备宕机', en: 'device down' },
  manual: { zh: '人工报障', en: 'reported by a person' },
  partReplacement: { zh: '更换备件', en: 'part replaced' },
  devicesWithDowntime: { zh: '有停机的设备', en: 'Devices with downtime' },
  availabilityNote: {
    zh: '硬件可用率 = 1 − 设备宕机时间之和 ÷ (设备数 × 报告期时长)；宕机时间取自"设备宕机"故障单，从报告到恢复(未恢复则到报告期末)。',
    en: 'Hardware availability = 1 − total device downtime ÷ (devices × period length); downtime comes from "device down" tickets, from report to recovery (or the end of the period when not recovered).',
  },
  // Replaced parts: what became of the old part (更换硬盘交回).
  disposition: { zh: '旧件处置', en: 'Old part' },
  receivedBy: { zh: '接收人', en: 'Received by' },
  dispositionMissing: { zh: '未记录', en: 'not recorded' },
} as const satisfies Record<string, Record<Lang, string>>;

export type Word = keyof typeof WORDS;

export const word = (lang: Lang, key: Word): string => WORDS[key][lang];
/** Every word (tests read every report for words of the other language). */
export const WORD_KEYS = Object.keys(WORDS) as Word[];

export const verdictLabel = (lang: Lang, v: Verdict): string => VERDICT_LABELS[v][lang];

export function checkName(lang: Lang, id: CheckId | string): string {
  const check = CHECKS.find((c) => c.id === id);
  if (check) return check.name[lang];
  if (id === 'down') return word(lang, 'down');
  if (id === 'manual') return word(lang, 'manual');
  return id;
}

/**
 * Times a person reads: local in the site's zone, minute precision, with the offset
 * (`2026-12-01 01:30 +08:00`). The zone is required so that a caller cannot forget it.
 */
export const formatTime = (iso: string | number | null | undefined, zone: string): string => {
  if (iso === null || iso === undefined) return '';
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  return Number.isNaN(ms) ? '' : formatLocalTime(ms, zone);
};
