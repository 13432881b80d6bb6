/**
 * The files a site inspection leaves behind, under ./inspections/<site>-<YYYY-MM-DD>/:
 * inspection.json (everything, for upload later; sealed as inspection.json.enc when a field key is
 * given, field-seal.ts) and a printable HTML report in Chinese and in English: the site summary
 * first, then the inspection form per device. The printable reports are for the customer to sign
 * and carry no address (service plan 3.4.5): no address column, and every address inside a
 * command, result or reason reads [hidden]. Folder 0700, files 0600: it is the customer's data.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckResult, Lang, Verdict } from '../../schemas/index.js';
import { CHECKS, DEFAULT_TIME_ZONE, FORM_COLUMNS, KIND_TERMS, LANG_TAG, VERDICT_LABELS, evaluateReport, reasonOf, formatLocalTime, localDay, scrubAddresses } from '../index.js';
import { sealInspection } from './field-seal.js';
import type { DeviceInspection, SiteInspection } from './inspect-site.js';

export interface InspectionFiles {
  dir: string;
  /** inspection.json, or inspection.json.enc when sealed. */
  json: string;
  sealed: boolean;
  html: Record<Lang, string>;
}

/** The site's zone: the inventory's `time_zone`, or the default for files written before it existed. */
const zoneOf = (inspection: SiteInspection): string => inspection.timeZone ?? DEFAULT_TIME_ZONE;

/** `YYYY-MM-DD` in the site's time zone: the day the inspection was made on site. */
export function localDate(iso: string, zone: string): string {
  return localDay(Date.parse(iso), zone);
}

/** A time printed on the form: local in the site's zone with its offset (`2026-12-01 01:30 +08:00`). */
const printed = (iso: string, zone: string): string => formatLocalTime(Date.parse(iso), zone);

export function inspectionDirName(inspection: SiteInspection): string {
  return `${inspection.site}-${localDate(inspection.startedAt, zoneOf(inspection))}`;
}

/** Escaped for HTML, and without addresses: everything printed here may reach the customer. */
function esc(s: string): string {
  return scrubAddresses(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const TEXT = {
  zh: {
    title: '巡检报告',
    site: '站点',
    customer: '客户',
    contractNo: '合同编号',
    time: '巡检时间',
    summary: '巡检汇总',
    devices: '设备',
    checks: '检查项',
    items: '异常及未知项目',
    none: '全部正常',
    device: '设备',
    kind: '类型',
    os: '系统',
    model: '型号',
    verdict: '结论',
    sign: '巡检工程师签字：______________　　客户确认签字：______________　　日期：__________',
  },
  en: {
    title: 'Inspection report',
    site: 'Site',
    customer: 'Customer',
    contractNo: 'Contract no.',
    time: 'Inspected',
    summary: 'Summary',
    devices: 'Devices',
    checks: 'Checks',
    items: 'Abnormal and unknown items',
    none: 'Everything normal',
    device: 'Device',
    kind: 'Kind',
    os: 'OS',
    model: 'Model',
    verdict: 'Verdict',
    sign: 'Engineer: ______________    Customer: ______________    Date: __________',
  },
} as const;

const CSS = `
body { font-family: "Noto Sans CJK SC", "Noto Sans", sans-serif; font-size: 10pt; margin: 1.5em; color: #000; }
h1 { font-size: 16pt; margin: 0 0 .3em; } h2 { font-size: 13pt; margin: 1.2em 0 .4em; }
table { border-collapse: collapse; width: 100%; margin-bottom: .8em; }
th, td { border: 1px solid #666; padding: 3px 5px; vertical-align: top; text-align: left; word-break: break-word; }
th { background: #eee; }
td.cmd { font-family: "Noto Sans Mono", monospace; font-size: 8.5pt; white-space: pre-wrap; }
.normal { color: #060; } .abnormal { color: #b00; font-weight: bold; } .unknown { color: #a60; font-weight: bold; }
.meta td { border: none; padding: 1px 8px 1px 0; }
.sign { margin-top: 2em; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; }
  section.device { break-before: page; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}`;

function verdictCell(v: Verdict, lang: Lang): string {
  return `<td class="${v}">${esc(VERDICT_LABELS[v][lang])}</td>`;
}

function formRows(results: CheckResult[], lang: Lang): string {
  return results
    .map((r) => {
      const check = CHECKS.find((c) => c.id === r.check);
      const notes = [reasonOf(lang, r), ...r.components.filter((c) => c.verdict !== 'normal').slice(0, 20).map((c) => `${c.component}: ${c.actual}`)]
        .filter(Boolean)
        .map(esc)
        .join('<br>');
      return `<tr><td>${esc(r.check)}</td><td>${esc(check?.name[lang] ?? r.check)}</td><td class="cmd">${esc(r.commands.join('\n'))}</td><td>${esc(r.expected)}</td><td>${esc(r.actual)}</td>${verdictCell(r.verdict, lang)}<td>${notes}</td></tr>`;
    })
    .join('\n');
}

function deviceSection(d: DeviceInspection, results: CheckResult[], lang: Lang, zone: string): string {
  const t = TEXT[lang];
  const id = d.report.identity;
  const meta = [
    [t.kind, id.kind],
    [t.os, id.os ?? ''],
    [t.model, [id.vendor, id.model, id.serial ? `S/N ${id.serial}` : ''].filter(Boolean).join(' ')],
    [t.time, `${printed(d.report.window.start, zone)} → ${printed(d.report.window.end, zone)}`],
  ]
    .filter(([, v]) => v)
    .map(([k, v]) => `<tr><td>${esc(k!)}</td><td>${esc(v!)}</td></tr>`)
    .join('');
  const head = FORM_COLUMNS[lang].map((c) => `<th>${esc(c)}</th>`).join('');
  return `<section class="device" id="${esc(id.hostname)}">
<h2>${esc(t.device)}: ${esc(id.hostname)} — <span class="${d.verdict}">${esc(VERDICT_LABELS[d.verdict][lang])}</span></h2>
<table class="meta">${meta}</table>
<table class="form"><thead><tr>${head}</tr></thead><tbody>
${formRows(results, lang)}
</tbody></table>
</section>`;
}

/** The printable report in one language. Results are re-judged in that language (pure, same thresholds). */
export function renderInspectionHtml(inspection: SiteInspection, lang: Lang): string {
  const t = TEXT[lang];
  const perDevice = inspection.devices.map((d) => ({
    d,
    results: evaluateReport(d.report, inspection.thresholds, { lang, now: new Date(d.results[0]?.evaluatedAt ?? inspection.finishedAt), timeZone: inspection.timeZone ?? DEFAULT_TIME_ZONE }),
  }));
  const s = inspection.summary;
  const counts = (c: Record<Verdict, number>) =>
    (['normal', 'abnormal', 'unknown'] as const).map((v) => `<td class="${v}">${esc(VERDICT_LABELS[v][lang])} ${c[v]}</td>`).join('');
  const itemRows = perDevice
    .flatMap(({ d, results }) => results.filter((r) => r.verdict !== 'normal').map((r) => ({ d, r })))
    .sort((a, b) => (a.r.verdict === b.r.verdict ? 0 : a.r.verdict === 'abnormal' ? -1 : 1))
    .map(({ d, r }) => {
      const check = CHECKS.find((c) => c.id === r.check);
      return `<tr><td><a href="#${esc(d.report.identity.hostname)}">${esc(d.report.identity.hostname)}</a></td><td>${esc(r.check)} ${esc(check?.name[lang] ?? '')}</td>${verdictCell(r.verdict, lang)}<td>${esc(r.actual)}</td><td>${esc(reasonOf(lang, r))}</td></tr>`;
    })
    .join('\n');
  const deviceRows = perDevice
    .map(({ d }) => `<tr><td><a href="#${esc(d.report.identity.hostname)}">${esc(d.report.identity.hostname)}</a></td><td>${esc(KIND_TERMS[d.device.kind][lang])}</td>${verdictCell(d.verdict, lang)}</tr>`)
    .join('\n');
  const itemsHead = [t.device, FORM_COLUMNS[lang][1], t.verdict, FORM_COLUMNS[lang][4], FORM_COLUMNS[lang][6]].map((h) => `<th>${esc(h!)}</th>`).join('');
  return `<!doctype html>
<html lang="${LANG_TAG[lang]}"><head><meta charset="utf-8">
<title>${esc(t.title)} — ${esc(inspection.site)} ${esc(localDate(inspection.startedAt, zoneOf(inspection)))}</title>
<style>${CSS}</style></head><body>
<h1>${esc(t.title)}</h1>
<table class="meta">
<tr><td>${esc(t.site)}</td><td>${esc(inspection.site)}</td></tr>
${inspection.customer ? `<tr><td>${esc(t.customer)}</td><td>${esc(inspection.customer)}</td></tr>` : ''}
${inspection.contractNo ? `<tr><td>${esc(t.contractNo)}</td><td>${esc(inspection.contractNo)}</td></tr>` : ''}
<tr><td>${esc(t.time)}</td><td>${esc(printed(inspection.startedAt, zoneOf(inspection)))} → ${esc(printed(inspection.finishedAt, zoneOf(inspection)))}</td></tr>
</table>
<section class="summary">
<h2>${esc(t.summary)}</h2>
<table><tbody>
<tr><th>${esc(t.devices)} (${inspection.devices.length})</th>${counts(s.devices)}</tr>
<tr><th>${esc(t.checks)}</th>${counts(s.checks)}</tr>
</tbody></table>
<h2>${esc(t.items)}</h2>
${itemRows ? `<table><thead><tr>${itemsHead}</tr></thead><tbody>\n${itemRows}\n</tbody></table>` : `<p class="normal">${esc(t.none)}</p>`}
<table><thead><tr><th>${esc(t.device)}</th><th>${esc(t.kind)}</th><th>${esc(t.verdict)}</th></tr></thead><tbody>
${deviceRows}
</tbody></table>
</section>
${perDevice.map(({ d, results }) => deviceSection(d, results, lang, zoneOf(inspection))).join('\n')}
<p class="sign">${esc(t.sign)}</p>
</body></html>
`;
}

/** Only the engineer's account may read it, whatever the umask (an existing file is tightened too). */
function writePrivate(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * Writes the inspection (sealed under `fieldKey` as inspection.json.enc, else inspection.json in
 * clear) and report.zh.html / report.en.html; returns their paths.
 */
export function writeInspectionFiles(inspection: SiteInspection, baseDir = 'inspections', fieldKey?: string): InspectionFiles {
  const dir = resolve(baseDir, inspectionDirName(inspection));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const text = `${JSON.stringify(inspection, null, 2)}\n`;
  const json = join(dir, fieldKey ? 'inspection.json.enc' : 'inspection.json');
  writePrivate(json, fieldKey ? sealInspection(text, fieldKey) : text);
  const html = { zh: join(dir, 'report.zh.html'), en: join(dir, 'report.en.html') };
  for (const lang of ['zh', 'en'] as const) writePrivate(html[lang], renderInspectionHtml(inspection, lang));
  return { dir, json, html, sealed: fieldKey !== undefined };
}
