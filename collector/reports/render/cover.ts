import type { Lang } from '../../../schemas/index.js';
import type { ReportDocument } from '../document.js';

const WORDS = {
  customer: { zh: '客户名称', en: 'Customer' },
  contractNo: { zh: '合同编号', en: 'Contract no.' },
  missing: { zh: '未登记', en: 'not on record' },
  date: { zh: '日期', en: 'Date' },
} as const satisfies Record<string, Record<Lang, string>>;

export interface CoverLine {
  key: 'customer' | 'contractNo';
  label: string;
  value: string;
  /** Not on record: printed as such (never left blank), in the unknown colour. */
  missing: boolean;
}

/** The cover's customer lines, the same in HTML and PDF; a document without a cover (built outside a loader) has none. */
export function coverLines(doc: ReportDocument): CoverLine[] {
  if (!doc.cover) return [];
  const line = (key: CoverLine['key'], value: string | null): CoverLine => ({
    key,
    label: WORDS[key][doc.lang],
    value: value?.trim() || WORDS.missing[doc.lang],
    missing: !value?.trim(),
  });
  return [line('customer', doc.cover.customer), line('contractNo', doc.cover.contractNo)];
}

/** "日期" / "Date", for the blank beside an unsigned signature. */
export const dateWord = (lang: Lang): string => WORDS.date[lang];
