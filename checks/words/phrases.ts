import type { Lang } from '../../schemas/index.js';

/** The words a check writes into its actual results ("未测得", "已用 91.0 %"), both languages. */
const PHRASES = {
  avg: { zh: '平均', en: 'avg' },
  max: { zh: '最大', en: 'max' },
  limit: { zh: '阈值', en: 'limit' },
  device: { zh: '设备阈值', en: 'device limit' },
  absent: { zh: '未安装', en: 'not present' },
  notMeasured: { zh: '未测得', en: 'not measured' },
  notReported: { zh: '未报告', en: 'not reported' },
  invalid: { zh: '无效数值', en: 'invalid value' },
  state: { zh: '状态', en: 'state' },
  ignored: { zh: '已忽略', en: 'ignored' },
  noNewErrors: { zh: '无新错误日志', en: 'no new error entries' },
  swap: { zh: '交换区', en: 'swap' },
} as const;
export type Phrase = keyof typeof PHRASES;
export const phrase = (lang: Lang, key: Phrase): string => PHRASES[key][lang];

const USED: Record<Lang, (value: string) => string> = { zh: (v) => `已用 ${v}`, en: (v) => `${v} used` };
/** A used share as the form words it: "已用 91.0 %" / "91.0 % used". */
export const usedText = (lang: Lang, value: string): string => USED[lang](value);
