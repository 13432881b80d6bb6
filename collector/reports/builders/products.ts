import { localDay } from '../../../checks/index.js';
import type { Lang, Verdict } from '../../../schemas/index.js';
import { bothValues, equipmentWord, recommendationText, type UpgradeRecommendation } from '../../equipment/index.js';
import type { EnteredIdentity, MeasuredIdentity, RecordField } from '../../repositories/index.js';
import type { CellValue, Column, ReportDocument } from '../document.js';
import { formatTime, verdictLabel, word } from '../labels.js';
import { kindTerm } from '../../terms.js';

export interface ProductRow {
  hostname: string;
  kind: string;
  role: string | null;
  vendor: string | null;
  model: string | null;
  serial: string | null;
  os: string | null;
  version: string | null;
  addresses: string[];
  /** The device's overall verdict over its latest six results; unknown when it has none. */
  state: Verdict;
  lastSeen: number | null;
  /** A person's record and the measured values, both printed (flagged) where they differ. */
  entered: EnteredIdentity;
  reported: MeasuredIdentity;
  differences: RecordField[];
  manual: boolean;
  /** Nothing reports for it: its state prints as not monitored, never 正常. */
  monitored: boolean;
  location: string | null;
  warrantyUntil: string | null;
  contractUntil: string | null;
  recommendation: UpgradeRecommendation;
}

export interface ProductsReportInput {
  site: string;
  siteTitle: string | null;
  timeZone: string;
  lang: Lang;
  now: Date;
  devices: ProductRow[];
  /** Addresses are confidential (3.4.5): only roles allowed to see them get the column. */
  showAddresses: boolean;
}

/** 附件:产品清单 — the equipment record as the contract's product list. */
export function buildProductsReport(input: ProductsReportInput): ReportDocument {
  const { lang } = input;
  const w = (k: Parameters<typeof word>[1]) => word(lang, k);
  const e = (k: Parameters<typeof equipmentWord>[1]) => equipmentWord(lang, k);
  const state = (d: ProductRow): CellValue =>
    d.monitored ? { text: verdictLabel(lang, d.state), tone: d.state } : { text: `${verdictLabel(lang, 'unknown')} · ${e('notMonitored')}`, tone: 'unknown' };
  const columns: Column[] = [
    { label: '#', width: 0.4, align: 'right' },
    { label: w('device'), width: 1.4 },
    { label: w('kind'), width: 0.8 },
    { label: w('vendor'), width: 0.9 },
    { label: w('model'), width: 1.5 },
    { label: w('serial'), width: 1.2 },
    { label: w('os'), width: 1.2 },
    { label: e('firmware'), width: 1 },
    { label: e('location'), width: 0.9 },
    { label: e('warrantyUntil'), width: 0.8 },
    { label: e('contractUntil'), width: 0.8 },
    { label: e('upgrade'), width: 1.2 },
    ...(input.showAddresses ? [{ label: w('addresses'), width: 1.2 }] : []),
    { label: w('state'), width: 0.8 },
    { label: w('lastSeen'), width: 1.3 },
  ];
  const rows = input.devices.map((d, i): CellValue[] => [
    i + 1,
    d.hostname,
    kindTerm(lang, d.kind),
    bothValues(lang, 'vendor', d.entered.vendor, d.reported.vendor, d.differences),
    bothValues(lang, 'model', d.entered.model, d.reported.model, d.differences),
    bothValues(lang, 'serial', d.entered.serial, d.reported.serial, d.differences),
    d.os,
    bothValues(lang, 'firmware', d.entered.firmware, d.reported.version, d.differences),
    d.location,
    d.warrantyUntil,
    d.contractUntil,
    d.recommendation.status === 'none' ? null : recommendationText(lang, d.recommendation),
    ...(input.showAddresses ? [d.addresses.join(' ')] : []),
    state(d),
    formatTime(d.lastSeen, input.timeZone),
  ]);
  const byKind = new Map<string, number>();
  for (const d of input.devices) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
  return {
    kind: 'products',
    lang,
    title: w('productsTitle'),
    site: input.site,
    siteTitle: input.siteTitle,
    timeZone: input.timeZone,
    period: localDay(input.now.getTime(), input.timeZone),
    generatedAt: input.now.toISOString(),
    facts: [
      { key: 'devices', label: w('deviceCount'), value: String(input.devices.length) },
      ...[...byKind].sort().map(([kind, n]) => ({ key: `kind.${kind}`, label: `${w('kind')}: ${kindTerm(lang, kind)}`, value: String(n) })),
      { key: 'abnormal', label: w('abnormalDevices'), value: String(input.devices.filter((d) => d.state === 'abnormal').length) },
      { key: 'manual', label: e('manualDevices'), value: String(input.devices.filter((d) => d.manual).length) },
      { key: 'notMonitored', label: e('notMonitored'), value: String(input.devices.filter((d) => !d.monitored).length), tone: 'unknown' },
      { key: 'differences', label: e('differingDevices'), value: String(input.devices.filter((d) => d.differences.length > 0).length) },
      { key: 'upgrade', label: e('upgradeDevices'), value: String(input.devices.filter((d) => d.recommendation.status === 'upgrade').length) },
    ],
    sections: [{ heading: w('productsTitle'), table: { columns, rows } }],
    landscape: true,
  };
}
