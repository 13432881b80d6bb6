import { cellText, cellTone, type ReportDocument, type Table } from '../document.js';
import { formatTime, word } from '../labels.js';

/** HTML-escapes text for element content and attribute values. */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

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
@page{size:A4 portrait;margin:14mm} @page wide{size:A4 landscape;margin:12mm} body.landscape{page:wide}
@media print{body{margin:0} thead{display:table-header-group} tr{page-break-inside:avoid} .noprint{display:none}}
`;

export function tableHtml(table: Table): string {
  const head = table.columns.map((c) => `<th${c.align === 'right' ? ' class="r"' : ''}>${escapeHtml(c.label)}</th>`).join('');
  const body = table.rows
    .map((row) => {
      const cells = row.map((cell, i) => {
        const classes = [cellTone(cell), table.columns[i]?.align === 'right' ? 'r' : undefined].filter(Boolean).join(' ');
        return `<td${classes ? ` class="${classes}"` : ''}>${escapeHtml(cellText(cell))}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** The report as a standalone printable page (no scripts, no external resources). */
export function renderHtml(doc: ReportDocument): string {
  const lang = doc.lang;
  const parts: string[] = [];
  parts.push(`<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">`);
  parts.push(`<meta name="viewport" content="width=device-width, initial-scale=1">`);
  parts.push(`<title>${escapeHtml(`${doc.title} · ${doc.site} · ${doc.period}`)}</title><style>${REPORT_CSS}</style></head>`);
  parts.push(`<body class="report report-${doc.kind}${doc.landscape ? ' landscape' : ''}">`);
  parts.push(`<h1>${escapeHtml(doc.title)}</h1>`);
  parts.push(
    `<div class="meta">${escapeHtml(word(lang, 'site'))}: ${escapeHtml(doc.siteTitle ? `${doc.siteTitle} (${doc.site})` : doc.site)} · ` +
      `${escapeHtml(word(lang, 'period'))}: ${escapeHtml(doc.period)} · ${escapeHtml(word(lang, 'generatedAt'))}: ${escapeHtml(formatTime(doc.generatedAt))}</div>`,
  );
  parts.push(
    `<div class="facts">${doc.facts
      .map((f) => `<div class="fact" data-key="${escapeHtml(f.key)}">${escapeHtml(f.label)}<b class="${f.tone ?? ''}">${escapeHtml(f.value)}</b></div>`)
      .join('')}</div>`,
  );
  for (const s of doc.sections) {
    parts.push(`<section${s.pageBreak ? ' class="break"' : ''}><h2>${escapeHtml(s.heading)}</h2>`);
    for (const p of s.paragraphs ?? []) parts.push(`<p>${escapeHtml(p)}</p>`);
    if (s.table) parts.push(tableHtml(s.table));
    parts.push('</section>');
  }
  if (doc.signatures) {
    parts.push(
      `<div class="signatures">${doc.signatures
        .map((g) => `<div>${escapeHtml(g.label)}: ${escapeHtml(g.name ?? '')}<br>${escapeHtml(g.at ?? '')}</div>`)
        .join('')}</div>`,
    );
  }
  parts.push('</body></html>');
  return parts.join('\n');
}
