import type { Lang } from '../../schemas/index.js';
import type { RecordField } from '../repositories/index.js';
import { kindTerm } from '../terms.js';

/** The equipment record's words, both languages (kept here so the shared tables stay untouched). */
const WORDS = {
  record: { zh: '设备档案', en: 'Equipment record' },
  entered: { zh: '登记', en: 'entered' },
  measured: { zh: '实测', en: 'measured' },
  differs: { zh: '登记与实测不一致', en: 'entered and measured differ' },
  manual: { zh: '人工登记', en: 'entered by hand' },
  notMonitored: { zh: '未监测', en: 'not monitored' },
  location: { zh: '位置', en: 'Location' },
  warrantyUntil: { zh: '保修期至', en: 'Warranty until' },
  contractUntil: { zh: '维保合同至', en: 'Contract until' },
  firmware: { zh: '固件/版本', en: 'Firmware / version' },
  upgrade: { zh: '升级建议', en: 'Upgrade' },
  history: { zh: '固件/版本历史', en: 'Firmware / version history' },
  manualDevices: { zh: '人工登记设备', en: 'Devices entered by hand' },
  differingDevices: { zh: '登记与实测不一致的设备', en: 'Devices whose record and measurement differ' },
  upgradeDevices: { zh: '建议升级的设备', en: 'Devices recommended an upgrade' },
  addDevice: { zh: '登记设备', en: 'Add a device' },
  editRecord: { zh: '修改档案', en: 'Edit the record' },
  save: { zh: '保存', en: 'Save' },
  recordFirmware: { zh: '记录固件变更', en: 'Record a firmware change' },
  verdict: { zh: '升级判断', en: 'Upgrade verdict' },
  needed: { zh: '需要升级', en: 'upgrade needed' },
  notNeeded: { zh: '无需升级', en: 'no upgrade needed' },
  clear: { zh: '清除', en: 'clear' },
  reason: { zh: '原因', en: 'Reason' },
  baseline: { zh: '型号基线', en: 'Model baseline' },
  origin: { zh: '来源', en: 'Origin' },
  byHand: { zh: '人工', en: 'by hand' },
  fromReport: { zh: '上报', en: 'report' },
  serial: { zh: '出厂编号', en: 'Serial' },
} as const satisfies Record<string, Record<Lang, string>>;

export type EquipmentWord = keyof typeof WORDS;
export const equipmentWord = (lang: Lang, key: EquipmentWord): string => WORDS[key][lang];

/** Kinds as people say them (collector/terms.ts). */
export const kindLabel = kindTerm;

/**
 * A record field as a cell: the one value when they agree (or only one is known), else both,
 * named and flagged — a measured value never silently replaces a person's entry.
 */
export function bothValues(lang: Lang, field: RecordField, entered: string | null, measured: string | null, differences: readonly RecordField[]): string {
  if (!differences.includes(field)) return entered ?? measured ?? '';
  return `⚠ ${equipmentWord(lang, 'entered')}: ${entered} / ${equipmentWord(lang, 'measured')}: ${measured}`;
}
