import { toCsv } from '../../routes/csv.js';
import { badRequest } from '../../errors.js';
import { cellText, tablesOf, type ReportDocument } from '../document.js';

/**
 * One table of the report as CSV (UTF-8 with BOM, formula-safe: the collector's toCsv).
 * `index` picks the table (0 = the first); the report's tables are listed in its HTML.
 */
export function renderCsv(doc: ReportDocument, index = 0): string {
  const tables = tablesOf(doc);
  const chosen = tables[index];
  if (!chosen) throw badRequest('no_such_table', `the ${doc.kind} report has ${tables.length} tables; table=${index} does not exist`);
  return toCsv(
    chosen.table.columns.map((c) => c.label),
    chosen.table.rows.map((r) => r.map(cellText)),
  );
}

/** Every table, one CSV block each, headed by its section: for a single download of the whole report. */
export function renderCsvAll(doc: ReportDocument): string {
  return tablesOf(doc)
    .map(({ heading, table }) => toCsv([heading], []).replace(/^\uFEFF/, '') + toCsv(table.columns.map((c) => c.label), table.rows.map((r) => r.map(cellText))).replace(/^\uFEFF/, ''))
    .reduce((all, block) => all + block + '\r\n', '\uFEFF');
}
