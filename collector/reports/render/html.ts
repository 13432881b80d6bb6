import { cellText, cellTone, type ReportDocument, type Table } from '../document.js';
import { html, raw, type SafeHtml } from '../../html/index.js';
import { formatTime, word } from '../labels.js';
import { coverLines, dateWord } from './cover.js';
import { NO_BRANDING, type Branding } from '../../branding.js';
import { renderChart } from '../../charts/index.js';
import { LANG_TAG } from '../../../checks/index.js';

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
.signatures{display:flex;flex-wrap:wrap;gap:24px 48px;margin-top:28px;page-break-inside:avoid} .signatures div{min-width:220px;border-top:1px solid #333;padding-top:4px}
.cover{display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin:6px 0 10px} .cover dt{color:#444} .cover dd{margin:0;font-weight:bold}
.break{page-break-before:always}
.brand{display:flex;align-items:center;gap:10px;margin-bottom:10px} .brand img{height:40px;width:auto;max-width:200px} .brand .company{font-size:15px;font-weight:bold}
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

/**
 * The service company on the cover: its logo as a data: URL (the report loads nothing from
 * outside, and an image runs no script, SVG included) and its name. Nothing without branding.
 */
export function brandHtml(brand: Branding): SafeHtml | '' {
  if (!brand.logo && !brand.company) return '';
  const logo = brand.logo ? html`<img src="data:${brand.logo.type};base64,${brand.logo.bytes.toString('base64')}" alt="${brand.company ? '' : 'logo'}">` : '';
  return html`<div class="brand">${logo}${brand.company ? html`<span class="company">${brand.company}</span>` : ''}</div>`;
}

/** The report as a standalone printable page (no scripts, no external resources). */
export function renderHtml(doc: ReportDocument, brand: Branding = NO_BRANDING): string {
  const lang = doc.lang;
  return html`<!doctype html><html lang="${LANG_TAG[lang]}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.title} · ${doc.site} · ${doc.period}</title><style>${raw(REPORT_CSS)}</style></head>
<body class="report report-${doc.kind}${doc.landscape ? ' landscape' : ''}">
${brandHtml(brand)}<h1>${doc.title}</h1>
${coverHtml(doc)}<div class="meta">${word(lang, 'site')}: ${doc.siteTitle ? `${doc.siteTitle} (${doc.site})` : doc.site} · ${word(lang, 'period')}: ${doc.period} · ${word(lang, 'generatedAt')}: ${formatTime(doc.generatedAt, doc.timeZone)}</div>
<div class="facts">${doc.facts.map((f) => html`<div class="fact" data-key="${f.key}">${f.label}<b class="${f.tone ?? ''}">${f.value}</b></div>`)}</div>
${doc.sections.map(
  (s) => html`<section${s.pageBreak ? html` class="break"` : ''}><h2>${s.heading}</h2>
${(s.paragraphs ?? []).map((p) => html`<p>${p}</p>\n`)}${s.table ? tableHtml(s.table) : ''}${s.chart ? html`<figure class="chart">${raw(renderChart(s.chart, { zone: doc.timeZone, lang: doc.lang }))}</figure>` : ''}</section>
`,
)}${signaturesHtml(doc)}
</body></html>`.markup;
}

/** The cover's customer name and contract number (render/cover.ts); "not on record" when the site has none. */
function coverHtml(doc: ReportDocument): SafeHtml | string {
  const lines = coverLines(doc);
  return lines.length ? html`<dl class="cover">${lines.map((l) => html`<dt>${l.label}</dt><dd data-cover="${l.key}"${l.missing ? html` class="unknown"` : ''}>${l.value}</dd>`)}</dl>\n` : '';
}

/** The signature block: each signer's line, the name and time when signed, else blanks to sign on paper. */
function signaturesHtml(doc: ReportDocument): SafeHtml | string {
  if (!doc.signatures) return '';
  return html`<div class="signatures">${doc.signatures.map(
    (g) => html`<div data-signature="${g.label}">${g.label}: ${g.name ?? '\u00a0'.repeat(16)}<br>${dateWord(doc.lang)}: ${g.at ?? '\u00a0'.repeat(16)}</div>`,
  )}</div>`;
}
