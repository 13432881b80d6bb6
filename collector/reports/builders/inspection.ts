import { CHECK_IDS, type Inspection, type InspectionRow, type Lang, type Verdict } from '../../../schemas/index.js';
import type { CellValue, Fact, ReportDocument, Section } from '../document.js';
import { checkName, formatTime, verdictLabel, word } from '../labels.js';
import { kindTerm } from '../../terms.js';
import { backupSection, managementSection } from './plan-sections.js';

/** The equipment record's identity of a device, for the per-device heading. */
export interface DeviceHeading {
  hostname: string;
  kind: string | null;
  model: string | null;
  serial: string | null;
}

export interface InspectionReportInput {
  site: string;
  siteTitle: string | null;
  timeZone: string;
  lang: Lang;
  now: Date;
  inspection: Pick<Inspection, 'month' | 'revision' | 'status' | 'rows' | 'notes' | 'signedBy' | 'signedAt' | 'confirmedBy' | 'confirmedAt'>;
  devices: DeviceHeading[];
}

const verdictCell = (lang: Lang, v: Verdict): CellValue => ({ text: verdictLabel(lang, v), tone: v });

/**
 * 月度巡检报告: the summary figures, the abnormal and unknown items, then for every device the
 * six rows of the service plan's form (编号 · 检查项目 · 检查命令 · 期待结果 · 实际结果 · 检查结果 · 备注),
 * the engineer's notes, an assessment, and the two signatures.
 */
export function buildInspectionReport(input: InspectionReportInput): ReportDocument {
  const { lang, inspection } = input;
  const w = (k: Parameters<typeof word>[1]) => word(lang, k);
  const byDevice = new Map<string, InspectionRow[]>();
  for (const row of inspection.rows) {
    const list = byDevice.get(row.device) ?? [];
    list.push(row);
    byDevice.set(row.device, list);
  }
  const headings = new Map(input.devices.map((d) => [d.hostname, d]));
  const count = (v: Verdict) => inspection.rows.filter((r) => r.verdict === v).length;
  const abnormal = inspection.rows.filter((r) => r.verdict === 'abnormal');
  const unknown = inspection.rows.filter((r) => r.verdict === 'unknown');
  const abnormalDevices = new Set(abnormal.map((r) => r.device));
  const status = inspection.status === 'confirmed' ? w('confirmed') : inspection.status === 'signed' ? w('signed') : w('draft');

  const facts: Fact[] = [
    { key: 'devices', label: w('deviceCount'), value: String(byDevice.size) },
    { key: 'checks', label: w('checkCount'), value: String(inspection.rows.length) },
    { key: 'normal', label: w('normalItems'), value: String(count('normal')), tone: 'normal' },
    { key: 'abnormal', label: w('abnormalItems'), value: String(abnormal.length), tone: abnormal.length ? 'abnormal' : 'normal' },
    { key: 'unknown', label: w('unknownItems'), value: String(unknown.length), tone: unknown.length ? 'unknown' : 'normal' },
    { key: 'abnormalDevices', label: w('abnormalDevices'), value: String(abnormalDevices.size) },
    { key: 'status', label: w('status'), value: `${status} (rev. ${inspection.revision})` },
  ];

  const itemTable = (rows: InspectionRow[]) => ({
    columns: [
      { label: w('device'), width: 1.4 },
      { label: w('colId'), width: 0.9 },
      { label: w('colItem'), width: 1.6 },
      { label: w('colActual'), width: 2.5 },
      { label: w('colNotes'), width: 2.5 },
    ],
    rows: rows.map((r): CellValue[] => [r.device, r.check, checkName(lang, r.check), r.actual, r.reason ?? '']),
  });

  const sections: Section[] = [];
  sections.push(
    abnormal.length
      ? { heading: w('abnormalList'), table: itemTable(abnormal) }
      : { heading: w('abnormalList'), paragraphs: [w('none')] },
  );
  if (unknown.length) sections.push({ heading: w('unknownList'), table: itemTable(unknown) });

  for (const [hostname, rows] of byDevice) {
    const d = headings.get(hostname);
    const identity = [d?.kind ? kindTerm(lang, d.kind) : null, d?.model, d?.serial ? `S/N ${d.serial}` : null].filter(Boolean).join(' · ');
    const ordered = [...rows].sort((a, b) => CHECK_IDS.indexOf(a.check) - CHECK_IDS.indexOf(b.check));
    sections.push({
      heading: identity ? `${hostname} — ${identity}` : hostname,
      table: {
        columns: [
          { label: w('colId'), width: 0.9 },
          { label: w('colItem'), width: 1.5 },
          { label: w('colCommand'), width: 2 },
          { label: w('colExpected'), width: 1.8 },
          { label: w('colActual'), width: 2.4 },
          { label: w('colVerdict'), width: 0.8 },
          { label: w('colNotes'), width: 2 },
        ],
        rows: ordered.map((r): CellValue[] => [
          r.check,
          checkName(lang, r.check),
          r.commands.join('\n'),
          r.expected,
          r.actual,
          verdictCell(lang, r.verdict),
          r.reason ?? '',
        ]),
      },
    });
  }

  const total = byDevice.size;
  const clean = total - new Set([...abnormal, ...unknown].map((r) => r.device)).size;
  const assessment =
    lang === 'zh'
      ? `本月共巡检 ${total} 台设备，${clean} 台六项检查全部正常；${abnormalDevices.size} 台设备存在不正常项（共 ${abnormal.length} 项），${unknown.length} 项未能检查。`
      : `${total} devices were inspected this month; ${clean} passed all six checks; ${abnormalDevices.size} have abnormal items (${abnormal.length} in all) and ${unknown.length} items could not be checked.`;
  const advice = abnormal.map((r) =>
    lang === 'zh' ? `${r.device}：${checkName(lang, r.check)}不正常，请处理（${r.reason ?? r.actual}）。` : `${r.device}: ${checkName(lang, r.check)} is abnormal and needs attention (${r.reason ?? r.actual}).`,
  );
  sections.push({ heading: w('assessment'), paragraphs: [assessment] });
  sections.push({ heading: w('advice'), paragraphs: advice.length ? advice : [w('none')] });
  sections.push(backupSection(lang));
  sections.push(managementSection(lang, { unknownItems: unknown.length, abnormalDevices: abnormalDevices.size, status: inspection.status }));
  sections.push({ heading: w('notes'), paragraphs: [inspection.notes.trim() || w('none')] });

  return {
    kind: 'inspection',
    lang,
    title: w('inspectionTitle'),
    site: input.site,
    siteTitle: input.siteTitle,
    timeZone: input.timeZone,
    period: inspection.month,
    generatedAt: input.now.toISOString(),
    facts,
    sections,
    signatures: [
      { label: w('engineerSignature'), name: inspection.signedBy, at: inspection.signedAt ? formatTime(inspection.signedAt, input.timeZone) : null },
      { label: w('customerSignature'), name: inspection.confirmedBy, at: inspection.confirmedAt ? formatTime(inspection.confirmedAt, input.timeZone) : null },
    ],
    landscape: true,
  };
}
