import type { Lang, Verdict } from '../schemas/index.js';

export const VERDICT_LABELS: Record<Verdict, Record<Lang, string>> = {
  normal: { zh: '正常', en: 'normal' },
  abnormal: { zh: '不正常', en: 'abnormal' },
  unknown: { zh: '未知', en: 'unknown' },
};
