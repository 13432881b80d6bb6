import type { DeviceKind, Lang, Verdict } from '../../schemas/index.js';

export const VERDICT_LABELS: Record<Verdict, Record<Lang, string>> = {
  normal: { zh: '正常', en: 'normal' },
  abnormal: { zh: '不正常', en: 'abnormal' },
  unknown: { zh: '未知', en: 'unknown' },
};

/** The HTML `lang` of a page or message in each language. */
export const LANG_TAG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

/** Device kinds as people say them (the field form, pages, reports). */
export const KIND_TERMS: Record<DeviceKind, Record<Lang, string>> = {
  server: { zh: '服务器', en: 'server' },
  switch: { zh: '交换机', en: 'switch' },
  router: { zh: '路由器', en: 'router' },
  firewall: { zh: '防火墙', en: 'firewall' },
  ups: { zh: 'UPS', en: 'UPS' },
  room: { zh: '机房环境', en: 'machine room' },
  storage: { zh: '存储阵列', en: 'storage array' },
  tape: { zh: '磁带库', en: 'tape library' },
  aircon: { zh: '机房空调', en: 'air conditioning' },
};
