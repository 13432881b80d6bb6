import type { ChartSpec } from '../charts/index.js';
import type { Lang, Verdict } from '../../schemas/index.js';

/**
 * The one shape every report is built into, so that HTML, PDF and CSV are three renderers of
 * the same content and their figures can never disagree. Builders are pure: rows in, document out.
 */
export const REPORT_KINDS = ['inspection', 'products', 'performance', 'faults', 'health', 'summary'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** A table cell; `tone` colours verdicts (正常 / 不正常 / 未知) in every format. */
export interface Cell {
  text: string;
  tone?: Verdict;
}
export type CellValue = string | number | null | Cell;

export interface Column {
  label: string;
  /** Relative width in the PDF (default 1). */
  width?: number;
  align?: 'left' | 'right';
}

export interface Table {
  columns: Column[];
  rows: CellValue[][];
}

/** A headline figure; `key` is stable across languages (tests and machines read it). */
export interface Fact {
  key: string;
  label: string;
  value: string;
  tone?: Verdict;
}

export interface Section {
  heading: string;
  facts?: Fact[];
  paragraphs?: string[];
  table?: Table;
  /** A chart drawn under the table (HTML inline SVG, PDF vector); CSV and XLSX leave it out. */
  chart?: ChartSpec;
  /** Start this section on a new page when printed. */
  pageBreak?: boolean;
}

export interface Signature {
  label: string;
  name: string | null;
  at: string | null;
}

/** The cover's customer lines, from the site record: the customer's name (its title) and the contract number; null: not on record. */
export interface Cover {
  customer: string | null;
  contractNo: string | null;
}

export interface ReportDocument {
  kind: ReportKind;
  lang: Lang;
  title: string;
  site: string;
  siteTitle: string | null;
  /** The site's IANA zone: every time in the document is printed local with its offset. */
  timeZone: string;
  /** `2026-11`, `2026-Q4`, `2026-H2`, `2026`, or the snapshot date for the product list. */
  period: string;
  generatedAt: string;
  facts: Fact[];
  sections: Section[];
  signatures?: Signature[];
  /** Set by the loader from the site record (sources.ts); renderers print it on the cover (render/cover.ts). */
  cover?: Cover;
  /** Wide tables (the inspection form) print in landscape. */
  landscape?: boolean;
}

export const cellText = (c: CellValue): string =>
  c === null ? '' : typeof c === 'object' ? c.text : typeof c === 'number' ? String(c) : c;

export const cellTone = (c: CellValue): Verdict | undefined => (c !== null && typeof c === 'object' ? c.tone : undefined);

/** Every table of the document, in order, with its section heading. */
export function tablesOf(doc: ReportDocument): { heading: string; table: Table }[] {
  return doc.sections.flatMap((s) => (s.table ? [{ heading: s.heading, table: s.table }] : []));
}

/** Formats a percentage for reports: one decimal, or "—" when there is nothing to divide. */
export const percent = (value: number | null): string => (value === null ? '—' : `${value.toFixed(1)}%`);
