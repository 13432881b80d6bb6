import { Value } from '@sinclair/typebox/value';
import { CHECKS, CPU_FIGURE_ZH, SENSOR_STATE_ZH, SEVERITY_ZH, sayIn, sourceTextZh } from '../../checks/index.js';
import type { AppliedThreshold, CheckId, InspectionRow, Lang, Said } from '../../schemas/index.js';

/*
 * Results keep the words of the language they were evaluated in (zh by default). A page or a report
 * in another language re-derives what the check catalogue can say again: the expected text from the
 * thresholds that were applied, and the catalogue's fixed phrases in actual results and reasons.
 * Text a device or a person wrote (component names, log lines, notes) is shown as it came.
 */

export type AppliedThresholds = Record<string, AppliedThreshold>;

/** 检查期待结果 of a check in `lang`, for the thresholds a result was judged against (defaults fill the rest). */
export function expectedText(lang: Lang, check: CheckId | string, applied: AppliedThresholds | undefined): string | undefined {
  const def = CHECKS.find((c) => c.id === check);
  if (!def || !applied) return undefined;
  const values = Value.Create(def.thresholds) as Record<string, unknown>;
  for (const [key, a] of Object.entries(applied)) values[key] = a.value;
  try {
    return def.expected[lang](values);
  } catch {
    return undefined; // a stored threshold of an older shape: keep the stored text
  }
}

/** The English word of a Chinese one in a table of the catalogue's words (checks/words/reasons.ts). */
const english = <K extends string>(words: Record<K, string>) => (zh: string | undefined): K => (Object.keys(words) as K[]).find((k) => words[k] === zh)!;
const either = (words: Record<string, string>) => Object.values(words).join('|');
const figure = english(CPU_FIGURE_ZH);
const severity = english(SEVERITY_ZH);
const sensorState = english(SENSOR_STATE_ZH);
const NUM = String.raw`-?\d+(?:\.\d+)?`;
const FIGURES = either(CPU_FIGURE_ZH);
const SEVERITIES = either(SEVERITY_ZH);

/**
 * The catalogue's fixed Chinese phrases (checks/define.ts, checks/words/phrases.ts, checks/words/reasons.ts,
 * checks/catalog/*) and their English words. Reasons keep the English order of their values, so only
 * the words around them change. The separators of a reason ("…，最大 …", "CPU：…") come first, while
 * the phrases they precede are still Chinese; then longest first, so "未测得任何数据" is not read as
 * "未测得" + "任何数据".
 */
const ZH_PHRASES: [RegExp, (m: RegExpExecArray) => string][] = [
  [new RegExp(`，(?=[^，;]*?(?:(?:${FIGURES}) ${NUM} % > | 温度 ${NUM} °C [≥≤] |：设备报告传感器))`, 'g'), () => ', '],
  [new RegExp(`：(?=(?:${FIGURES}) ${NUM} % > |未测得(?:${FIGURES})利用率|内存使用率 |状态 .*? 无法判定|设备报告传感器|\\S+ 出现(?:${SEVERITIES})级日志)`, 'g'), () => ': '],
  [/超过100%，按实测判定(：)?/g, (m) => `above 100 %, judged as measured${m[1] ? ': ' : ''}`],
  [/未测得任何数据/g, () => 'nothing was measured for this check'],
  [new RegExp(`未测得(${FIGURES})利用率`, 'g'), (m) => `${figure(m[1])} CPU not measured`],
  [new RegExp(`(${FIGURES}) (${NUM} %) > `, 'g'), (m) => `${figure(m[1])} ${m[2]} > `],
  [new RegExp(`内存使用率 (${NUM} %) > `, 'g'), (m) => `memory used ${m[1]} > `],
  [new RegExp(`文件系统 (.+?) 已用 (${NUM} %) > `, 'g'), (m) => `file system ${m[1]} ${m[2]} used > `],
  [new RegExp(`已用 (${NUM} %)`, 'g'), (m) => `${m[1]} used`],
  [/必需服务 (.+?) 未上报/g, (m) => `required service ${m[1]} was not reported by the source`],
  [/（([^（）]+)）的数值 (.*?) 不可用/g, (m) => ` of ${m[1]} is not a usable number (${m[2]})`],
  [/状态 (.*?) 无法判定/g, (m) => `state ${m[1]} cannot be judged`],
  [/ 状态为 /g, () => ' is '],
  [new RegExp(` 温度 (${NUM} °C) ([≥≤]) `, 'g'), (m) => ` ${m[1]} ${m[2]} `],
  [new RegExp(`设备报告传感器(${either(SENSOR_STATE_ZH)})`, 'g'), (m) => `the device reports the sensor as ${sensorState(m[1])}`],
  [new RegExp(`(\\S+) 出现(${SEVERITIES})级日志`, 'g'), (m) => `${severity(m[2])} entry at ${m[1]}`],
  [/(\d+) 条新错误日志（已读 (\d+) 条）/g, (m) => `${m[1]} new error entr${m[1] === '1' ? 'y' : 'ies'} (${m[2]} read)`],
  [/(\d+) 条新错误日志/g, (m) => `${m[1]} new error entr${m[1] === '1' ? 'y' : 'ies'}`],
  [/无新错误日志/g, () => 'no new error entries'],
  [/未测得/g, () => 'not measured'],
  [/未报告/g, () => 'not reported'],
  [/未安装/g, () => 'not present'],
  [/无效数值/g, () => 'invalid value'],
  [/设备下限/g, () => 'device low limit'],
  [/设备阈值/g, () => 'device limit'],
  [/默认阈值/g, () => 'default limit'],
  [/阈值/g, () => 'limit'],
  [/交换区/g, () => 'swap'],
  [/已忽略/g, () => 'ignored'],
  [/平均/g, () => 'avg'],
  [/最大/g, () => 'max'],
  [/状态/g, () => 'state'],
];

/** The catalogue's phrases of a stored text in `lang` (only Chinese → English is needed: zh is the stored default). */
export function catalogueText(lang: Lang, text: string): string {
  if (lang !== 'en' || !/[\u4e00-\u9fff]/.test(text)) return text;
  let out = text;
  for (const [pattern, to] of ZH_PHRASES) out = out.replace(pattern, (...args) => to(args.slice(0, -2) as unknown as RegExpExecArray));
  return out;
}

/**
 * A reason in `lang`: from what was said when the result kept it; else (results stored before
 * reasons were kept as keys) the stored text, the catalogue's Chinese phrases in English for an
 * English reader and the sources' English words in Chinese for a Chinese one.
 */
export function reasonText(lang: Lang, text: string, why?: Said): string {
  const said = why ? sayIn(lang, why) : undefined;
  if (said !== undefined) return said;
  if (lang === 'en') return catalogueText(lang, text);
  // One source's reason may hold "; " itself; a catalogue reason joins several with it.
  if (!/[\u4e00-\u9fff]/.test(text)) return sourceTextZh(text);
  return text.split('; ').map(sourceTextZh).join('；');
}

/**
 * One inspection row in `lang`: the expected text from its thresholds (`applied`: those of its
 * result, else the device's current ones), actual and reason with the catalogue's phrases.
 */
export function localiseRow(lang: Lang, row: InspectionRow, applied: AppliedThresholds | undefined): InspectionRow {
  const expected = expectedText(lang, row.check, applied) ?? catalogueText(lang, row.expected);
  return { ...row, expected, actual: catalogueText(lang, row.actual), reason: row.reason === null ? null : reasonText(lang, row.reason, row.why) };
}

/** A ticket's 故障现象 as the ingest wrote it ("SXKR-004 设备电源及风扇检查: …"): the check's name and phrases in `lang`. */
export function symptomText(lang: Lang, symptom: string): string {
  const check = CHECKS.find((c) => symptom.startsWith(`${c.id} ${c.name.zh}: `));
  if (!check) return catalogueText(lang, symptom);
  return `${check.id} ${check.name[lang]}: ${reasonText(lang, symptom.slice(`${check.id} ${check.name.zh}: `.length))}`;
}
