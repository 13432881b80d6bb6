import type { Verdict } from '../../../schemas/index.js';
import { cellText, cellTone, tablesOf, type ReportDocument } from '../document.js';
import { formatTime, word } from '../labels.js';

const TONE_ARGB: Record<Verdict, string> = { normal: 'FF166534', abnormal: 'FFB91C1C', unknown: 'FFB45309' };

/** Excel sheet names: ≤ 31 characters, none of []:*?/\ , unique within the workbook. */
function sheetName(heading: string, used: Set<string>): string {
  const base = heading.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28).trim() || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 26)} ${i}`;
  used.add(name.toLowerCase());
  return name;
}

/**
 * The report as an XLSX workbook (exceljs): a summary sheet with the headline figures, then one
 * sheet per table (at most `maxSheets`; the per-device forms of a large site go into one sheet
 * with a device column instead, so a 1,000-device inspection is not 1,000 sheets).
 */
export async function renderXlsx(doc: ReportDocument, maxSheets = 20): Promise<Buffer> {
  // Loaded with the first workbook: ~0.3 s of CPU that every command paid at start, though few write one.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Xunjian';
  wb.created = new Date(doc.generatedAt);
  const used = new Set<string>();
  const summary = wb.addWorksheet(sheetName(word(doc.lang, 'summary'), used));
  summary.addRow([doc.title]).font = { bold: true, size: 14 };
  summary.addRow([word(doc.lang, 'site'), doc.siteTitle ? `${doc.siteTitle} (${doc.site})` : doc.site]);
  summary.addRow([word(doc.lang, 'period'), doc.period]);
  summary.addRow([word(doc.lang, 'generatedAt'), formatTime(doc.generatedAt, doc.timeZone)]);
  summary.addRow([]);
  for (const f of doc.facts) {
    const row = summary.addRow([f.label, f.value]);
    if (f.tone && f.tone !== 'normal') row.getCell(2).font = { bold: true, color: { argb: TONE_ARGB[f.tone] } };
  }
  summary.getColumn(1).width = 28;
  summary.getColumn(2).width = 30;

  let tables = tablesOf(doc);
  if (tables.length > maxSheets) {
    // Same columns repeated per device: fold them into one sheet, headed by the section.
    const first = tables.slice(0, 2);
    const rest = tables.slice(2);
    const columns = rest[0]!.table.columns;
    tables = [
      ...first,
      {
        heading: word(doc.lang, 'device'),
        table: { columns: [{ label: word(doc.lang, 'device') }, ...columns], rows: rest.flatMap(({ heading, table }) => table.rows.map((r) => [heading, ...r])) },
      },
    ];
  }
  for (const { heading, table } of tables) {
    const ws = wb.addWorksheet(sheetName(heading, used), { views: [{ state: 'frozen', ySplit: 1 }] });
    const head = ws.addRow(table.columns.map((c) => c.label));
    head.font = { bold: true };
    head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
    for (const r of table.rows) {
      const row = ws.addRow(r.map((c) => (typeof c === 'number' ? c : cellText(c))));
      r.forEach((c, i) => {
        const tone = cellTone(c);
        if (tone) row.getCell(i + 1).font = { bold: tone === 'abnormal', color: { argb: TONE_ARGB[tone] } };
      });
    }
    table.columns.forEach((c, i) => (ws.getColumn(i + 1).width = Math.min(60, Math.max(10, Math.round((c.width ?? 1) * 14)))));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
