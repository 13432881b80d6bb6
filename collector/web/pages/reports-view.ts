import type { Lang, Ticket } from '../../../schemas/index.js';
import { html, type SafeHtml } from '../../html/index.js';
import { checkName, formatTime } from '../../reports/index.js';
import type { PeriodChoice, PeriodChoices } from '../../reports/period-choices.js';
import { badRequest } from '../../errors.js';

/*
 * The reports page: one form per report with its period picker (selects, never <input type=month>,
 * which Chromium shows in the browser's locale), the format, and an open button. Every choice is a
 * value the report route takes; a hand-typed bad one is the route's 400.
 */

const WORDS = {
  inspection: { zh: '月度巡检报告', en: 'Monthly inspection report' },
  products: { zh: '产品清单', en: 'Product list' },
  performance: { zh: '月度性能分析报告', en: 'Monthly performance analysis' },
  faults: { zh: '故障处理报告(按月)', en: 'Fault handling report (month)' },
  faultTicket: { zh: '故障处理报告(单张故障单)', en: 'Fault handling report (one ticket)' },
  health: { zh: '季度健康报告', en: 'Quarterly health report' },
  half: { zh: '半年维护总结', en: 'Half-yearly summary' },
  annual: { zh: '年度总结报告(合同年度)', en: 'Annual summary (contract year)' },
  month: { zh: '月份', en: 'Month' },
  quarter: { zh: '季度', en: 'Quarter' },
  halfYear: { zh: '半年', en: 'Half year' },
  year: { zh: '合同年度', en: 'Contract year' },
  ticket: { zh: '故障单', en: 'Ticket' },
  noTickets: { zh: '本站点没有故障单', en: 'No tickets at this site' },
  asOfNow: { zh: '当前记录', en: 'As recorded now' },
  format: { zh: '格式', en: 'Format' },
  printable: { zh: '打印版(HTML)', en: 'Printable (HTML)' },
  open: { zh: '打开', en: 'Open' },
} as const satisfies Record<string, Record<Lang, string>>;

type Word = keyof typeof WORDS;

export interface ReportsPage {
  site: string;
  choices: PeriodChoices;
  /** The periods to select (the current ones unless the page's query named others). */
  selected: { month: string; quarter: string; half: string; year: string };
  /** The site's tickets, newest first, for the one-ticket fault report. */
  tickets: Ticket[];
  zone: string;
}

const FORMATS = ['html', 'pdf', 'csv', 'xlsx'] as const;

function select(lang: Lang, id: string, name: string, label: Word, choices: PeriodChoice[], selected: string): SafeHtml {
  return html`<label for="${id}">${WORDS[label][lang]}</label> <select id="${id}" name="${name}" required>${choices.map(
    (c) => html`<option value="${c.value}"${c.value === selected ? html` selected` : ''}>${c.label}</option>`,
  )}</select>`;
}

/** One report's form: the period select (if any), the language, the format and the button. */
function reportForm(lang: Lang, p: ReportsPage, id: string, kind: string, title: Word, picker: SafeHtml | string): SafeHtml {
  const action = `/api/v1/sites/${encodeURIComponent(p.site)}/reports/${kind}`;
  return html`<form method="get" action="${action}" class="card report-form" id="report-${id}" data-kind="${kind}"><fieldset><legend>${WORDS[title][lang]}</legend>
${picker} <input type="hidden" name="lang" value="${lang}">
<label for="${id}-format">${WORDS.format[lang]}</label> <select id="${id}-format" name="format">${FORMATS.map((f) => html`<option value="${f}">${f === 'html' ? WORDS.printable[lang] : f.toUpperCase()}</option>`)}</select>
<button type="submit">${WORDS.open[lang]}</button></fieldset></form>
`;
}

export function reportsView(lang: Lang, p: ReportsPage): SafeHtml {
  const { choices, selected } = p;
  const ticketChoices = p.tickets.map((t) => ({
    value: String(t.id),
    label: `#${t.id} · ${t.device ?? ''} · ${checkName(lang, t.subject)} · ${formatTime(t.openedAt, p.zone).slice(0, 10)}`,
  }));
  return html`<div class="reports">
${reportForm(lang, p, 'inspection', 'inspection', 'inspection', select(lang, 'inspection-month', 'month', 'month', choices.months, selected.month))}
${reportForm(lang, p, 'performance', 'performance', 'performance', select(lang, 'performance-month', 'month', 'month', choices.months, selected.month))}
${reportForm(lang, p, 'faults', 'faults', 'faults', select(lang, 'faults-month', 'month', 'month', choices.months, selected.month))}
${ticketChoices.length
  ? reportForm(lang, p, 'fault-ticket', 'faults', 'faultTicket', select(lang, 'fault-ticket-ticket', 'ticket', 'ticket', ticketChoices, ticketChoices[0]!.value))
  : html`<p class="card" id="report-fault-ticket">${WORDS.faultTicket[lang]}: ${WORDS.noTickets[lang]}</p>`}
${reportForm(lang, p, 'health', 'health', 'health', select(lang, 'health-quarter', 'quarter', 'quarter', choices.quarters, selected.quarter))}
${reportForm(lang, p, 'half', 'summary', 'half', select(lang, 'half-half', 'half', 'halfYear', choices.halves, selected.half))}
${reportForm(lang, p, 'annual', 'summary', 'annual', select(lang, 'annual-year', 'year', 'year', choices.years, selected.year))}
${reportForm(lang, p, 'products', 'products', 'products', html`<span>${WORDS.asOfNow[lang]}</span>`)}
</div>`;
}

const PATTERNS = { month: /^\d{4}-(0[1-9]|1[0-2])$/, quarter: /^\d{4}-Q[1-4]$/, half: /^\d{4}-H[12]$/, year: /^\d{4}$/ } as const;
const HINTS = { month: 'YYYY-MM', quarter: 'YYYY-Qn', half: 'YYYY-H1|H2', year: 'YYYY' } as const;

/**
 * The periods the page selects: the current ones, or those its query names (`?month=2026-10`). A
 * malformed value is a 400 naming the expected form; a well-formed one outside the lists is added
 * to its list, so the page still offers what was asked for.
 */
export function selectedPeriods(query: Record<string, unknown>, choices: PeriodChoices): ReportsPage['selected'] {
  const out = { ...choices.current };
  const lists = { month: choices.months, quarter: choices.quarters, half: choices.halves, year: choices.years };
  for (const key of ['month', 'quarter', 'half', 'year'] as const) {
    const raw = query[key];
    if (raw === undefined || raw === '') continue;
    if (typeof raw !== 'string' || !PATTERNS[key].test(raw)) throw badRequest(`bad_${key}`, `${key} must be ${HINTS[key]}`);
    if (!lists[key].some((c) => c.value === raw)) lists[key].push({ value: raw, label: raw });
    out[key] = raw;
  }
  return out;
}
