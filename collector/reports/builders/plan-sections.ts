import type { CheckId, Lang, Ticket, Verdict } from '../../../schemas/index.js';
import type { CellValue, Section, Signature } from '../document.js';
import { checkName, verdictLabel } from '../labels.js';
import { catalogueText } from '../wording.js';
import { kindTerm } from '../../terms.js';
import type { ContractYear } from '../period.js';

/*
 * The service plan's sections that the first reports lacked (issue 15): the quarterly health
 * report's environment, disk cache and optimisation advice; the monthly report's backup record and
 * management advice; the annual summary's meeting records; the signature block of every report
 * the customer signs. Each is its own pure function, so a report builder adds one line per section.
 * Missing data is never normal: where the record has nothing, the section says so in words.
 */

const WORDS = {
  environment: { zh: '运行环境(温度、电源、风扇)', en: 'Environment (temperatures, power, fans)' },
  diskCache: { zh: '磁盘缓存(控制器、缓存、电池)', en: 'Disk cache (controllers, cache, batteries)' },
  optimisation: { zh: '优化建议', en: 'Optimisation advice' },
  backup: { zh: '备份记录', en: 'Backup record' },
  management: { zh: '管理建议', en: 'Management advice' },
  meetings: { zh: '会议记录', en: 'Meeting records' },
  component: { zh: '部件', en: 'Component' },
  reading: { zh: '读数/状态', en: 'Reading / state' },
  device: { zh: '设备', en: 'Device' },
  kind: { zh: '设备类型', en: 'Kind' },
  item: { zh: '检查项目', en: 'Item' },
  verdict: { zh: '检查结果', en: 'Result' },
  noData: { zh: '无数据', en: 'no data' },
  noRecord: { zh: '无记录', en: 'no record' },
  environmentNone: {
    zh: '本报告期内没有任何设备上报电源、风扇或温度数据：运行环境无法评估(无数据不等于正常)。',
    en: 'No device reported power, fan or temperature data for this period: the environment cannot be assessed (no data is not normal).',
  },
  environmentMissing: { zh: '以下设备没有电源/风扇或温度数据', en: 'Devices without power/fan or temperature data' },
  diskCacheNone: {
    zh: '巡检记录中没有磁盘控制器、缓存或缓存电池的数据(无数据，不作正常判断)；如需评估，请工程师现场查看阵列卡缓存与电池状态并记入备注。',
    en: 'The inspection record holds no disk controller, cache or cache battery data (no data, not judged normal); to assess it, the engineer checks the array controller’s cache and battery on site and notes it.',
  },
  backupSource: {
    zh: '巡检系统不采集客户业务系统的备份数据，本系统中无备份记录。下表由工程师根据现场备份日志填写，客户签字确认。',
    en: 'Xunjian does not collect the customer’s backup data: there is no backup record on file. The engineer fills this table from the backup logs on site, and the customer signs it.',
  },
  backupObject: { zh: '备份对象', en: 'System backed up' },
  backupMethod: { zh: '备份方式', en: 'Method' },
  backupLast: { zh: '最近一次备份', en: 'Last backup' },
  backupResult: { zh: '结果', en: 'Result' },
  checkedBy: { zh: '检查人', en: 'Checked by' },
  meetingsSource: {
    zh: '巡检系统不记录会议纪要，本报告期无会议记录可列。若召开过服务会议，请将会议纪要附于本报告后，或在下表中填写。',
    en: 'Xunjian does not keep meeting minutes: there are no meeting records for this period on file. Attach the minutes of any service meetings to this report, or fill in the table below.',
  },
  meetingDate: { zh: '日期', en: 'Date' },
  meetingTopic: { zh: '议题', en: 'Topic' },
  meetingAttendees: { zh: '参加人', en: 'Attendees' },
  meetingDecisions: { zh: '结论', en: 'Decisions' },
  none: { zh: '无', en: 'none' },
  engineer: { zh: '服务方工程师', en: 'Service engineer' },
  customer: { zh: '客户代表签字', en: 'Customer representative' },
} as const satisfies Record<string, Record<Lang, string>>;

const w = (lang: Lang, key: keyof typeof WORDS): string => WORDS[key][lang];

/** The latest state of one component of a hardware check (SXKR-003/004/005), as recorded. */
export interface RecordedComponent {
  check: CheckId;
  component: string;
  verdict: Verdict;
  actual: string;
}

/** What the plan's sections read of a device; every field but the name optional, absent meaning "not on record". */
export interface PlanDevice {
  hostname: string;
  kind: string;
  /** Components of the latest SXKR-003/004/005 results. */
  components?: RecordedComponent[];
  /** Checks the device has a latest result for. */
  measured?: CheckId[];
  warrantyUntil?: string | null;
  /** The period's CPU and memory peaks, %. */
  cpuPeak?: number | null;
  memPeak?: number | null;
}

const verdictCell = (lang: Lang, v: Verdict): CellValue => ({ text: verdictLabel(lang, v), tone: v });

const ENVIRONMENT_CHECKS: readonly CheckId[] = ['SXKR-004', 'SXKR-005'];

/** 运行环境: every power supply, fan and temperature sensor's latest state; devices without any listed as no data. */
export function environmentSection(lang: Lang, devices: readonly PlanDevice[]): Section {
  const rows = devices.flatMap((d) =>
    (d.components ?? [])
      .filter((c) => ENVIRONMENT_CHECKS.includes(c.check))
      .map((c): CellValue[] => [d.hostname, checkName(lang, c.check), c.component, catalogueText(lang, c.actual), verdictCell(lang, c.verdict)]),
  );
  const missing = devices.filter((d) => !ENVIRONMENT_CHECKS.some((c) => d.measured?.includes(c)));
  const paragraphs = rows.length ? [] : [w(lang, 'environmentNone')];
  if (rows.length && missing.length) paragraphs.push(`${w(lang, 'environmentMissing')}${lang === 'zh' ? '：' : ': '}${missing.map((d) => d.hostname).join(lang === 'zh' ? '、' : ', ')}`);
  // Devices with no reading appear in the table too, as no data (unknown), never as a blank line.
  for (const d of missing) rows.push([d.hostname, '—', '—', w(lang, 'noData'), { text: w(lang, 'noData'), tone: 'unknown' }]);
  if (!rows.length) return { heading: w(lang, 'environment'), paragraphs };
  return {
    heading: w(lang, 'environment'),
    ...(paragraphs.length ? { paragraphs } : {}),
    table: {
      columns: [{ label: w(lang, 'device'), width: 1.3 }, { label: w(lang, 'item'), width: 1.4 }, { label: w(lang, 'component'), width: 1.3 }, { label: w(lang, 'reading'), width: 2.4 }, { label: w(lang, 'verdict'), width: 0.7 }],
      rows,
    },
  };
}

/** A module of SXKR-003 that is a disk controller, its cache or the cache's battery. */
export const DISK_CACHE = /cache|\bbbu\b|battery|raid|array|controller|\bhba\b|smart ?array|megaraid|perc|storage/i;

/** 磁盘缓存: what the record has of controllers, caches and batteries; otherwise that there is no data. */
export function diskCacheSection(lang: Lang, devices: readonly PlanDevice[]): Section {
  const rows = devices.flatMap((d) =>
    (d.components ?? [])
      .filter((c) => c.check === 'SXKR-003' && DISK_CACHE.test(c.component))
      .map((c): CellValue[] => [d.hostname, kindTerm(lang, d.kind), c.component, catalogueText(lang, c.actual), verdictCell(lang, c.verdict)]),
  );
  if (!rows.length) return { heading: w(lang, 'diskCache'), paragraphs: [w(lang, 'diskCacheNone')] };
  return {
    heading: w(lang, 'diskCache'),
    table: {
      columns: [{ label: w(lang, 'device'), width: 1.3 }, { label: w(lang, 'kind'), width: 0.8 }, { label: w(lang, 'component'), width: 1.5 }, { label: w(lang, 'reading'), width: 2.6 }, { label: w(lang, 'verdict'), width: 0.7 }],
      rows,
    },
  };
}

export interface AdviceInput {
  /** The end of the period, `YYYY-MM-DD` local: warranties ending within 90 days of it are named. */
  periodEndDay: string;
  devices: readonly PlanDevice[];
  tickets: readonly Ticket[];
  /** The site's limits for high utilisation (SXKR-001 peakMax, SXKR-002 usedMax). */
  limits?: { cpuPeak: number; memory: number };
  availability?: number | null;
}

const DAY = 86_400_000;
const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/**
 * 优化建议, derived from the findings: repeated faults on a device, utilisation over the site's
 * limits, warranties ended or ending within 90 days, hardware checks abnormal or never measured,
 * availability under 99.9 %. Nothing found: "none".
 */
export function optimisationAdvice(lang: Lang, input: AdviceInput): string[] {
  const zh = lang === 'zh';
  const out: string[] = [];
  const perDevice = new Map<string, number>();
  for (const t of input.tickets) if (t.device) perDevice.set(t.device, (perDevice.get(t.device) ?? 0) + 1);
  for (const [d, n] of [...perDevice].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    out.push(zh ? `${d}：报告期内 ${n} 张故障单，故障反复，建议排查硬件老化并考虑更换或升级。` : `${d}: ${n} tickets in the period — repeated faults; check for ageing hardware and consider replacement or an upgrade.`);
  }
  if (input.limits) {
    const { cpuPeak, memory } = input.limits;
    for (const d of input.devices) {
      if (d.cpuPeak != null && d.cpuPeak > cpuPeak) out.push(zh ? `${d.hostname}：CPU峰值 ${d.cpuPeak.toFixed(1)}% 超过 ${cpuPeak}%，建议分析业务高峰，调优或扩容。` : `${d.hostname}: CPU peaked at ${d.cpuPeak.toFixed(1)} % (limit ${cpuPeak} %); review the peak workload and tune or add capacity.`);
      if (d.memPeak != null && d.memPeak > memory) out.push(zh ? `${d.hostname}：内存峰值 ${d.memPeak.toFixed(1)}% 超过 ${memory}%，建议检查内存占用或扩充内存。` : `${d.hostname}: memory peaked at ${d.memPeak.toFixed(1)} % (limit ${memory} %); check what holds memory or add memory.`);
    }
  }
  const end = dayMs(input.periodEndDay);
  for (const d of input.devices) {
    if (!d.warrantyUntil) continue;
    const until = dayMs(d.warrantyUntil);
    if (Number.isNaN(until)) continue;
    if (until < end) out.push(zh ? `${d.hostname}：原厂保修已于 ${d.warrantyUntil} 到期，建议续保或安排备件。` : `${d.hostname}: the warranty ended on ${d.warrantyUntil}; renew it or keep spare parts.`);
    else if (until - end <= 90 * DAY) out.push(zh ? `${d.hostname}：原厂保修将于 ${d.warrantyUntil} 到期，建议提前续保。` : `${d.hostname}: the warranty ends on ${d.warrantyUntil}; renew it in time.`);
  }
  for (const d of input.devices) {
    const bad = (d.components ?? []).filter((c) => c.verdict === 'abnormal').map((c) => c.check);
    if (bad.length) out.push(zh ? `${d.hostname}：${[...new Set(bad)].map((c) => checkName(lang, c)).join('、')}不正常，建议尽快处理。` : `${d.hostname}: ${[...new Set(bad)].map((c) => checkName(lang, c)).join(', ')} abnormal; have it repaired soon.`);
  }
  const unmeasured = input.devices.filter((d) => d.measured !== undefined && d.measured.length === 0);
  if (unmeasured.length) {
    const names = unmeasured.map((d) => d.hostname).join(zh ? '、' : ', ');
    out.push(zh ? `${names}：没有任何检查数据，建议恢复监测(安装代理或加入SNMP轮询)。` : `${names}: no check data at all; restore monitoring (install the agent or add SNMP polling).`);
  }
  if (input.availability != null && input.availability < 99.9) {
    out.push(zh ? `硬件可用率 ${input.availability.toFixed(1)}% 低于 99.9%，建议对宕机设备配置冗余或备机。` : `Hardware availability ${input.availability.toFixed(1)} % is below 99.9 %; add redundancy or a standby for the devices that went down.`);
  }
  return out.length ? out : [w(lang, 'none')];
}

export const optimisationSection = (lang: Lang, input: AdviceInput): Section => ({ heading: w(lang, 'optimisation'), paragraphs: optimisationAdvice(lang, input) });

/** Rows left blank for the engineer to write in on the printed copy. */
const blankRows = (n: number, width: number): CellValue[][] => Array.from({ length: n }, () => Array.from({ length: width }, () => ' '));

/**
 * 备份记录: Xunjian has no source for the customer's backups, so the section says so and gives a
 * table the engineer fills on site — its first row "no record", never a made-up success.
 */
export function backupSection(lang: Lang): Section {
  return {
    heading: w(lang, 'backup'),
    paragraphs: [w(lang, 'backupSource')],
    table: {
      columns: [{ label: w(lang, 'backupObject'), width: 1.6 }, { label: w(lang, 'backupMethod'), width: 1.2 }, { label: w(lang, 'backupLast'), width: 1.3 }, { label: w(lang, 'backupResult'), width: 1 }, { label: w(lang, 'checkedBy'), width: 1 }],
      rows: [[{ text: w(lang, 'noRecord'), tone: 'unknown' }, '', '', '', ''], ...blankRows(3, 5)],
    },
  };
}

export interface ManagementInput {
  unknownItems: number;
  abnormalDevices: number;
  status: 'draft' | 'signed' | 'confirmed';
}

/** 管理建议: the monthly report's advice on how the service is run, from the month's record. */
export function managementSection(lang: Lang, input: ManagementInput): Section {
  const zh = lang === 'zh';
  const out: string[] = [];
  if (input.unknownItems) out.push(zh ? `本月有 ${input.unknownItems} 项未能检查：建议核实监测账号、网络可达性和代理运行状态，确保每项检查都有数据。` : `${input.unknownItems} items could not be checked this month: verify the monitoring accounts, network reachability and agents so that every check has data.`);
  if (input.abnormalDevices) out.push(zh ? `${input.abnormalDevices} 台设备存在不正常项：建议对已开故障单跟踪至客户确认关闭。` : `${input.abnormalDevices} devices have abnormal items: follow their tickets through to the customer's confirmation.`);
  out.push(zh ? '备份：巡检系统无备份记录，建议客户建立备份日志并定期做恢复演练，由工程师每月核对。' : 'Backups: Xunjian holds no backup record; keep a backup log, rehearse restores regularly, and have the engineer check it monthly.');
  if (input.status === 'draft') out.push(zh ? '本月巡检记录尚未经工程师签字，签字后方为正式记录。' : 'This month’s record is not signed by the engineer yet: it becomes the record once signed.');
  return { heading: w(lang, 'management'), paragraphs: out };
}

/** 会议记录: Xunjian keeps no minutes — said plainly, with rows to fill in rather than invented meetings. */
export function meetingsSection(lang: Lang): Section {
  return {
    heading: w(lang, 'meetings'),
    paragraphs: [w(lang, 'meetingsSource')],
    table: {
      columns: [{ label: w(lang, 'meetingDate'), width: 0.9 }, { label: w(lang, 'meetingTopic'), width: 2 }, { label: w(lang, 'meetingAttendees'), width: 1.5 }, { label: w(lang, 'meetingDecisions'), width: 2.5 }],
      rows: [[{ text: w(lang, 'noRecord'), tone: 'unknown' }, '', '', ''], ...blankRows(3, 4)],
    },
  };
}

/** 合同年度: the contract year the annual summary covers, and where its start comes from. */
export function contractYearSection(lang: Lang, year: ContractYear): Section {
  const zh = lang === 'zh';
  const span = zh ? `本报告覆盖合同年度 ${year.firstDay} 至 ${year.lastDay}。` : `This report covers the contract year ${year.firstDay} to ${year.lastDay}.`;
  const source = year.configured
    ? zh ? '合同年度起始日取自站点设置(通知设置中的"合同年起始日")。' : 'The contract year’s first day is the site’s setting (notification settings, "Contract year starts").'
    : zh ? '站点未设置合同年起始日，按日历年统计；请在站点通知设置中填写"合同年起始日"(MM-DD)。' : 'The site has no contract start set, so the calendar year is used; set "Contract year starts" (MM-DD) in the site’s notification settings.';
  return { heading: zh ? '合同年度' : 'Contract year', paragraphs: [span, source] };
}

/** The block the service engineer and the customer's representative sign; names and times when the record has them. */
export function signatureBlock(lang: Lang, signed: { engineer?: { name: string; at: string | null } | null; customer?: { name: string; at: string | null } | null } = {}): Signature[] {
  return [
    { label: w(lang, 'engineer'), name: signed.engineer?.name ?? null, at: signed.engineer?.at ?? null },
    { label: w(lang, 'customer'), name: signed.customer?.name ?? null, at: signed.customer?.at ?? null },
  ];
}
