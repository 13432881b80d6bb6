/**
 * The service plan's reports, built from the database: monthly inspection, product list,
 * monthly performance, fault handling, quarterly health. Builders are pure (rows → document);
 * renderers turn a document into printable HTML, a PDF (pdfkit, Noto CJK embedded) or CSV.
 */
export { REPORT_KINDS, tablesOf, cellText, type ReportDocument, type ReportKind, type Table, type Fact, type Section } from './document.js';
export { buildInspectionReport, type InspectionReportInput } from './builders/inspection.js';
export { buildProductsReport, type ProductRow } from './builders/products.js';
export { buildPerformanceReport, type PerformanceRow } from './builders/performance.js';
export { buildFaultsReport, isHardwareFault } from './builders/faults.js';
export { buildSummaryReport, type SummaryReportInput } from './builders/summary.js';
export { buildHealthReport, availability, downtimeOf, slaFigures } from './builders/health.js';
export { renderHtml, tableHtml, REPORT_CSS } from './render/html.js';
export { renderPdf, CJK_FONT } from './render/pdf.js';
export { renderCsv, renderCsvAll } from './render/csv.js';
export { renderXlsx } from './render/xlsx.js';
export { loadReport, reportSources, type ReportSources, type ReportRequest } from './sources.js';
export { monthPeriod, quarterPeriod, halfPeriod, yearPeriod, type Period } from './period.js';
export { reportRoutes } from './routes.js';
export { checkName, verdictLabel, formatTime, word } from './labels.js';
export { expectedText, catalogueText, localiseRow, reasonText, symptomText, type AppliedThresholds } from './wording.js';
export { localisedRows } from './sources.js';
