import type { CheckResult, Lang, Report } from '../../schemas/index.js';
import { CHECKS } from '../catalog/index.js';
import { formatLocalTime } from '../calendar.js';
import { VERDICT_LABELS } from '../labels.js';
import { renderTable, type Column } from './table.js';

/** The inspection form's columns (service plan section 7.1), in both languages. */
export const FORM_COLUMNS: Record<Lang, string[]> = {
  zh: ['编号', '检查项目', '检查命令', '检查期待结果', '实际结果', '检查结果', '备注'],
  en: ['ID', 'Item', 'Command', 'Expected', 'Actual', 'Verdict', 'Notes'],
};
const WIDTHS = [8, 16, 28, 28, 34, 8, 30];
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
  const why = by === 'unanswered'
    ? lang === 'zh'
      ? `sysObjectID 属于厂商企业号 ${enterprise}，但设备未应答该厂商模板的任何硬件表，只读标准 MIB`
      : `the sysObjectID is under enterprise ${enterprise}, but the device answered none of that vendor's hardware tables: standard MIBs only`
    : by === 'enterprise'
    ? lang === 'zh'
      ? `sysDescr 未写明已知的操作系统，按 sysObjectID 所属厂商企业号 ${enterprise} 选用该厂商最全的模板`
      : `the sysDescr names no OS a profile knows; the broadest profile of the vendor whose enterprise ${enterprise} the sysObjectID is under`
    : by === 'default'
      ? lang === 'zh'
        ? '无厂商模板匹配，只读标准 MIB'
        : 'no vendor profile matches: standard MIBs only'
      : by === 'match'
        ? lang === 'zh'
          ? '按 sysObjectID / sysDescr 匹配'
          : 'matched on sysObjectID / sysDescr'
        : undefined;
  return `${lang === 'zh' ? 'SNMP 模板' : 'SNMP profile'}: ${name}${why ? ` (${why})` : ''}`;
}

/** One row per check; for an abnormal or unknown check, the components that explain it beneath. */
/** `zone`: the site's time zone; the window prints local with its offset. */
export function renderForm(report: Report, results: CheckResult[], lang: Lang, zone: string): string {
  const local = (iso: string) => (Number.isNaN(Date.parse(iso)) ? iso : formatLocalTime(Date.parse(iso), zone));
  const id = report.identity;
  const title = [
    `${lang === 'zh' ? '设备' : 'Device'}: ${id.hostname} (${id.kind}${id.model ? `, ${id.model}` : ''}${id.serial ? `, S/N ${id.serial}` : ''})`,
    `${lang === 'zh' ? '巡检时段' : 'Window'}: ${local(report.window.start)} → ${local(report.window.end)} · ${lang === 'zh' ? '来源' : 'source'} ${report.source}`,
  ];
  const profile = profileLine(report, lang);
  if (profile) title.push(profile);
  const rows: string[][] = [];
  for (const r of results) {
    const check = CHECKS.find((c) => c.id === r.check);
    rows.push([r.check, check?.name[lang] ?? r.check, commandsCell(r), r.expected, r.actual, VERDICT_LABELS[r.verdict][lang], r.reason ?? '']);
    if (r.verdict === 'normal') continue;
    const explaining = r.components.filter((c) => c.verdict !== 'normal');
    // A lone component says nothing the row has not said already.
    if (r.components.length === 1) continue;
    for (const c of explaining.slice(0, MAX_COMPONENT_ROWS))
      rows.push(['', `  └ ${c.component || '—'}`, c.command ?? '', '', c.actual, VERDICT_LABELS[c.verdict][lang], c.reason ?? '']);
    if (explaining.length > MAX_COMPONENT_ROWS)
      rows.push(['', `  … +${explaining.length - MAX_COMPONENT_ROWS}`, '', '', '', '', '']);
  }
  const columns: Column[] = FORM_COLUMNS[lang].map((header, i) => ({ header, max: WIDTHS[i]! }));
  return [...title, renderTable(columns, rows)].join('\n');
}
