import type { CheckResult, Lang, Report } from '../../schemas/index.js';
import { CHECKS } from '../catalog/index.js';
import { formatLocalTime } from '../calendar.js';
import { KIND_TERMS, VERDICT_LABELS } from '../words/labels.js';
import { reasonOf } from '../words/reasons.js';
import { renderTable, type Column } from './table.js';

/** The inspection form's columns (service plan section 7.1), in both languages. */
export const FORM_COLUMNS: Record<Lang, string[]> = {
  zh: ['编号', '检查项目', '检查命令', '检查期待结果', '实际结果', '检查结果', '备注'],
  en: ['ID', 'Item', 'Command', 'Expected', 'Actual', 'Verdict', 'Notes'],
};
const WIDTHS = [8, 16, 28, 28, 34, 8, 30];

/** The form's heading words. */
const FORM_WORDS = {
  profile: { zh: 'SNMP 模板', en: 'SNMP profile' },
  device: { zh: '设备', en: 'Device' },
  window: { zh: '巡检时段', en: 'Window' },
  source: { zh: '来源', en: 'source' },
} as const satisfies Record<string, Record<Lang, string>>;

/** How the SNMP profile was chosen (the report's producer field `by=`), in words. */
const PROFILE_CHOICE: Record<'unanswered' | 'enterprise' | 'default' | 'match', Record<Lang, (enterprise: string) => string>> = {
  unanswered: {
    zh: (e) => `sysObjectID 属于厂商企业号 ${e}，但设备未应答该厂商模板的任何硬件表，只读标准 MIB`,
    en: (e) => `the sysObjectID is under enterprise ${e}, but the device answered none of that vendor's hardware tables: standard MIBs only`,
  },
  enterprise: {
    zh: (e) => `sysDescr 未写明已知的操作系统，按 sysObjectID 所属厂商企业号 ${e} 选用该厂商最全的模板`,
    en: (e) => `the sysDescr names no OS a profile knows; the broadest profile of the vendor whose enterprise ${e} the sysObjectID is under`,
  },
  default: { zh: () => '无厂商模板匹配，只读标准 MIB', en: () => 'no vendor profile matches: standard MIBs only' },
  match: { zh: () => '按 sysObjectID / sysDescr 匹配', en: () => 'matched on sysObjectID / sysDescr' },
};
const MAX_COMMANDS = 3;
const MAX_COMPONENT_ROWS = 12;

function commandsCell(result: CheckResult): string {
  const shown = result.commands.slice(0, MAX_COMMANDS);
  if (result.commands.length > MAX_COMMANDS) shown.push(`… (+${result.commands.length - MAX_COMMANDS})`);
  return shown.join('\n');
}

/**
 * Which SNMP profile read the device and why, from the producer the SNMP source writes
 * (`… profile=cisco-ios by=enterprise:1.3.6.1.4.1.9`): an engineer must see that a device was read
 * with its vendor's broadest profile because its sysDescr names no OS we know.
 */
function profileLine(report: Report, lang: Lang): string | undefined {
  const m = /profile=([a-z0-9-]+)(?: by=(match|default|enterprise|unanswered)(?::([0-9.]+))?)?/.exec(report.producer ?? '');
  if (!m) return undefined;
  const [, name, by, enterprise] = m;
  const why = by ? PROFILE_CHOICE[by as keyof typeof PROFILE_CHOICE]?.[lang](enterprise ?? '') : undefined;
  return `${FORM_WORDS.profile[lang]}: ${name}${why ? ` (${why})` : ''}`;
}

/** One row per check; for an abnormal or unknown check, the components that explain it beneath. */
/** `zone`: the site's time zone; the window prints local with its offset. */
export function renderForm(report: Report, results: CheckResult[], lang: Lang, zone: string): string {
  const local = (iso: string) => (Number.isNaN(Date.parse(iso)) ? iso : formatLocalTime(Date.parse(iso), zone));
  const id = report.identity;
  const title = [
    `${FORM_WORDS.device[lang]}: ${id.hostname} (${KIND_TERMS[id.kind][lang]}${id.model ? `, ${id.model}` : ''}${id.serial ? `, S/N ${id.serial}` : ''})`,
    `${FORM_WORDS.window[lang]}: ${local(report.window.start)} → ${local(report.window.end)} · ${FORM_WORDS.source[lang]} ${report.source}`,
  ];
  const profile = profileLine(report, lang);
  if (profile) title.push(profile);
  const rows: string[][] = [];
  for (const r of results) {
    const check = CHECKS.find((c) => c.id === r.check);
    rows.push([r.check, check?.name[lang] ?? r.check, commandsCell(r), r.expected, r.actual, VERDICT_LABELS[r.verdict][lang], reasonOf(lang, r)]);
    if (r.verdict === 'normal') continue;
    const explaining = r.components.filter((c) => c.verdict !== 'normal');
    // A lone component says nothing the row has not said already.
    if (r.components.length === 1) continue;
    for (const c of explaining.slice(0, MAX_COMPONENT_ROWS))
      rows.push(['', `  └ ${c.component || '—'}`, c.command ?? '', '', c.actual, VERDICT_LABELS[c.verdict][lang], reasonOf(lang, c)]);
    if (explaining.length > MAX_COMPONENT_ROWS)
      rows.push(['', `  … +${explaining.length - MAX_COMPONENT_ROWS}`, '', '', '', '', '']);
  }
  const columns: Column[] = FORM_COLUMNS[lang].map((header, i) => ({ header, max: WIDTHS[i]! }));
  return [...title, renderTable(columns, rows)].join('\n');
}
