import { cellText, cellTone, type ReportDocument, type Table } from '../document.js';
import { html, raw, type SafeHtml } from '../../html/index.js';
import { formatTime, word } from '../labels.js';
import { renderChart } from '../../charts/index.js';

/** Print styles: A4, landscape for wide forms, table headers repeated on every page. */
export const REPORT_CSS = `
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#111;font-size:13px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:22px 0 6px;border-bottom:1px solid #999;page-break-after:avoid}
.meta{color:#444;margin-bottom:12px}
.facts{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.fact{border:1px solid #bbb;border-radius:4px;padding:6px 10px;min-width:110px}
.fact b{display:block;font-size:18px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}
th,td{border:1px solid #888;padding:3px 5px;vertical-align:top;text-align:left;white-space:pre-wrap;word-break:break-word}
th{background:#eee} td.r,th.r{text-align:right}
.normal{color:#166534} .abnormal{color:#b91c1c;font-weight:bold} .unknown{color:#b45309}
.signatures{display:flex;gap:48px;margin-top:28px} .signatures div{min-width:220px;border-top:1px solid #333;padding-top:4px}
.break{page-break-before:always}
figure.chart{margin:6px 0 10px;page-break-inside:avoid} figure.chart svg{width:100%;max-width:720px;height:auto}
@page{size:A4 portrait;margin:14mm} @page wide{size:A4 landscape;margin:12mm} body.landscape{page:wide}
@media print{body{margin:0} thead{display:table-header-group} tr{page-break-inside:avoid} .noprint{display:none}}
`;

export function tableHtml(table: Table): SafeHtml {
  const classOf = (classes: (string | undefined)[]) => {
    const list = classes.filter(Boolean).join(' ');
    return list ? html` class="${list}"` : '';
  };
  const head = table.columns.map((c) => html`<th${classOf([c.align === 'right' ? 'r' : undefined])}>${c.label}</th>`);
  const body = table.rows.map(
    (row) => html`<tr>${row.map((cell, i) => html`<td${classOf([cellTone(cell), table.columns[i]?.align === 'right' ? 'r' : undefined])}>${cellText(cell)}</td>`)}</tr>\n`,
  );
  return html`<table><thead><tr>${head}</tr></thead><tbody>\n${body}</tbody></table>`;
}

/** The report as a standalone printable page (no scripts, no external resources). */
export function renderHtml(doc: ReportDocument): string {
  const lang = doc.lang;
  return html`<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.title} · ${doc.site} · ${doc.period}</title><style>${raw(REPORT_CSS)}</style></head>
<body class="report report-${doc.kind}${doc.landscape ? ' landscape' : ''}">
<h1>${doc.title}</h1>
<div class="meta">${word(lang, 'site')}: ${doc.siteTitle ? `${doc.siteTitle} (${doc.site})` : doc.site} · ${word(lang, 'period')}: ${doc.period} · ${word(lang, 'generatedAt')}: ${formatTime(doc.generatedAt, doc.timeZone)}</div>
<div class="facts">${doc.facts.map((f) => html`<div class="fact" data-key="${f.key}">${f.label}<b class="${f.tone ?? ''}">${f.value}</b></div>`)}</div>
${doc.sections.map(
  (s) => html`<section${s.pageBreak ? html` class="break"` : ''}><h2>${s.heading}</h2>
${(s.paragraphs ?? []).map((p) => html`<p>${p}</p>\n`)}${s.table ? tableHtml(s.table) : ''}${s.chart ? html`<figure class="chart">${raw(renderChart(s.chart, { zone: doc.timeZone, lang: doc.lang }))}</figure>` : ''}</section>
`,
)}${doc.signatures ? html`<div class="signatures">${doc.signatures.map((g) => html`<div>${g.label}: ${g.name ?? ''}<br>${g.at ?? ''}</div>`)}</div>` : ''}
</body></html>`.markup;
}
