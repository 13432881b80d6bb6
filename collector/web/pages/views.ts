import { CHECK_IDS, type Inspection, type Lang, type MaintenanceRequest, type Ticket, type Verdict } from '../../../schemas/index.js';
import { catalogueText, checkName, expectedText, formatTime, symptomText, verdictLabel } from '../../reports/index.js';
import type { DeviceRow, StoredResult } from '../../repositories/index.js';
import { STEPS, STEP_NAMES, stepAllowed } from '../../tickets/index.js';
import { maySeeAddresses, type Viewer } from '../../users/index.js';
import { t } from '../i18n.js';
import { RANGES, type Range } from '../trends.js';
import { eventActor, eventNote } from './ticket-notes.js';
import { DEADLINE_TERMS, MAINTENANCE_STATUS_TERMS, SERVICE_RESULT_TERMS, TICKET_EVENT_TERMS, term } from '../../terms.js';
import { nextDeadline, partsDispositionView, STAGE_TERM, statusText, stepText, ticketPeopleView } from './ticket-views.js';
import { maintenanceWord } from './maintenance-views.js';
import { timeInput } from './local-time.js';
import { equipmentWord, kindLabel } from '../../equipment/index.js';
import { html, joinHtml, type SafeHtml } from '../../html/index.js';

const enc = encodeURIComponent;
const mark = (lang: Lang, v: Verdict) => html`<span class="v ${v}">${verdictLabel(lang, v)}</span>`;
const csrfField = (v: Viewer) => html`<input type="hidden" name="_csrf" value="${v.csrf ?? ''}">`;

export interface SiteSummary {
  name: string;
  title: string | null;
  devices: number;
  abnormal: number;
  unknown: number;
  openTickets: number;
  overdueTickets: number;
  lastInspection: { month: string; status: string } | null;
  /** The previous month, when its record is still unsigned after the configured day (overview.ts). */
  unsignedMonth?: string | null;
  /** This month (`YYYY-MM`) and how many devices have no result in it yet. */
  month?: string;
  withoutResult?: number;
}

export function sitesView(lang: Lang, sites: SiteSummary[]): SafeHtml {
  if (!sites.length) return html`<p class="muted">${t(lang, 'noData')}</p>`;
  const rows = sites
    .map(
      (s) => html`<tr data-site="${s.name}"><td><a href="/sites/${enc(s.name)}/review">${s.title ? `${s.title} (${s.name})` : s.name}</a></td>
<td class="r">${s.devices}</td><td class="r ${s.abnormal ? 'abnormal' : ''}">${s.abnormal}</td><td class="r ${s.unknown ? 'unknown' : ''}">${s.unknown}</td>
<td class="r"><a href="/sites/${enc(s.name)}/tickets">${s.openTickets}</a></td><td class="r ${s.overdueTickets ? 'abnormal' : ''}">${s.overdueTickets}</td>
<td>${s.lastInspection ? `${s.lastInspection.month} · ${t(lang, s.lastInspection.status as 'draft')}` : '—'}</td>
<td class="${s.unsignedMonth ? 'abnormal' : ''}" data-unsigned="${s.unsignedMonth ?? ''}">${s.unsignedMonth ? html`<a href="/sites/${enc(s.name)}/review?month=${s.unsignedMonth}">${s.unsignedMonth} · ${t(lang, 'unsigned')}</a>` : '—'}</td>
<td class="r ${s.withoutResult ? 'unknown' : ''}" data-without-result="${s.withoutResult ?? 0}"><a href="/sites/${enc(s.name)}/unreported">${s.withoutResult ?? 0}</a></td></tr>`,
    );
  return html`<table class="grid" id="sites"><thead><tr><th>${t(lang, 'site')}</th><th class="r">${t(lang, 'devices')}</th><th class="r">${t(lang, 'abnormal')}</th>
<th class="r">${t(lang, 'unknown')}</th><th class="r">${t(lang, 'openTickets')}</th><th class="r">${t(lang, 'overdueTickets')}</th><th>${t(lang, 'lastInspection')}</th><th>${t(lang, 'unsignedOverdue')}</th><th class="r">${t(lang, 'noResultThisMonth')}</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

export interface CellDetail {
  device: string;
  check: string;
  row: Inspection['rows'][number] | undefined;
  measurements: { component: string; metric: string; value: unknown; unit?: string; status?: string; command: string; at: string }[];
  threshold: Record<string, { value: unknown; from: string }>;
  history: StoredResult[];
}

export function cellView(lang: Lang, d: CellDetail, zone: string): SafeHtml {
  const r = d.row;
  const thresholds = Object.entries(d.threshold)
    .map(([k, v]) => html`<tr><td>${k}</td><td>${JSON.stringify(v.value)}</td><td>${v.from}</td></tr>`);
  const ms = d.measurements
    .map((m) => html`<tr><td>${m.component}</td><td>${m.metric}</td><td>${String(m.value)}${m.unit ?? ''}</td><td>${m.status ?? ''}</td><td><code>${m.command}</code></td></tr>`);
  const hist = d.history
    .map((x) => html`<tr><td>${formatTime(x.at, zone)}</td><td>${mark(lang, x.verdict)}</td><td>${catalogueText(lang, x.result.actual)}</td></tr>`);
  return html`<section class="cell-detail" data-device="${d.device}" data-check="${d.check}">
<h2>${d.device} · ${d.check} ${checkName(lang, d.check)}</h2>
${r ? html`<p>${mark(lang, r.verdict)} ${r.actual}</p><p><b>${t(lang, 'expected')}:</b> ${r.expected}</p>${r.reason ? html`<p><b>${t(lang, 'reason')}:</b> ${r.reason}</p>` : ''}
<p><b>${t(lang, 'command')}:</b> ${joinHtml(r.commands.map((c) => html`<code>${c}</code>`), ' ')}</p>` : html`<p class="muted">${t(lang, 'noData')}</p>`}
<h3>${t(lang, 'threshold')}</h3><table class="grid"><tbody>${thresholds.length ? thresholds : html`<tr><td>${t(lang, 'none')}</td></tr>`}</tbody></table>
<h3>${t(lang, 'measurements')}</h3><table class="grid"><tbody>${ms.length ? ms : html`<tr><td>${t(lang, 'noData')}</td></tr>`}</tbody></table>
<h3>${t(lang, 'history')}</h3><table class="grid"><tbody>${hist}</tbody></table></section>`;
}

/** The device page's charts: the span shown and the charts drawn for it (collector/web/trends.ts). */
export interface DeviceCharts {
  range: Range;
  trends: SafeHtml;
  checks: SafeHtml;
}

export function deviceView(lang: Lang, viewer: Viewer, d: DeviceRow, latest: StoredResult[], charts: DeviceCharts, tickets: Ticket[], zone: string): SafeHtml {
  const show = maySeeAddresses(viewer);
  // What a person needs to find and judge the device: its role (levels and ticket priority follow
  // it), where it stands, until when it is covered, and the engineers' notes.
  const identity = [
    [t(lang, 'kind'), kindLabel(lang, d.kind)],
    [t(lang, 'role'), d.role],
    [t(lang, 'model'), [d.vendor, d.model].filter(Boolean).join(' ')],
    [t(lang, 'serial'), d.serial],
    [t(lang, 'version'), [d.os, d.version].filter(Boolean).join(' · ')],
    [equipmentWord(lang, 'location'), d.location],
    [equipmentWord(lang, 'contractUntil'), d.contractUntil],
    [equipmentWord(lang, 'warrantyUntil'), d.warrantyUntil],
    [t(lang, 'addresses'), show ? d.addresses.join(', ') : t(lang, 'hidden')],
    // Notes are the engineers' own (they may name addresses, accounts): not a customer's to read.
    [t(lang, 'deviceNotes'), show ? d.notes : t(lang, 'hidden')],
  ]
    .map(([k, v]) => html`<tr><th>${k ?? ''}</th><td>${v ?? ''}</td></tr>`);
  const results = latest
    .map(
      (r) => html`<tr data-check="${r.check}"><td>${r.check}</td><td>${checkName(lang, r.check)}</td><td>${mark(lang, r.verdict)}</td>
<td class="expected">${expectedText(lang, r.check, r.result.threshold) ?? catalogueText(lang, r.result.expected)}</td><td>${catalogueText(lang, r.result.actual)}</td><td>${formatTime(r.at, zone)}</td></tr>`,
    );
  return html`<table class="grid identity" id="identity">${identity}</table>
<h2>${t(lang, 'trends')}</h2>
<nav class="range" id="range" aria-label="${t(lang, 'range')}">${t(lang, 'range')}: ${RANGES.map((r) => html`<a href="?range=${r}&amp;lang=${lang}" data-range="${r}"${r === charts.range ? html` aria-current="page"` : ''}>${r} ${t(lang, 'rangeDays')}</a> `)}</nav>
<div class="charts">${charts.trends}</div>
${charts.checks}
<h2>${t(lang, 'recentResults')}</h2><table class="grid" id="results"><thead><tr><th>${t(lang, 'check')}</th><th></th><th>${t(lang, 'result')}</th><th>${t(lang, 'expected')}</th><th>${t(lang, 'actual')}</th><th>${t(lang, 'at')}</th></tr></thead><tbody>${results}</tbody></table>
<h2>${t(lang, 'tickets')}</h2>${ticketsTable(lang, d.site, tickets, new Date(), zone)}`;
}

export function countdown(lang: Lang, due: string, now: Date): string {
  const ms = Date.parse(due) - now.getTime();
  const abs = Math.abs(ms);
  const text = `${Math.floor(abs / 3_600_000)}h ${Math.floor((abs % 3_600_000) / 60_000)}m`;
  return ms < 0 ? `${t(lang, 'overdue')} ${text}` : `${text} ${t(lang, 'remaining')}`;
}

export function ticketsTable(lang: Lang, site: string, tickets: Ticket[], now: Date, zone: string): SafeHtml {
  if (!tickets.length) return html`<p class="muted">${t(lang, 'none')}</p>`;
  const rows = tickets
    .map((tk) => {
      const next = tk.status === 'closed' ? null : nextDeadline(tk);
      return html`<tr class="${[tk.overdue ? 'overdue' : '', tk.priority === 'P1' && tk.status !== 'closed' ? 'p1' : ''].join(' ').trim()}" data-ticket="${tk.id}" data-priority="${tk.priority}" data-status="${tk.status}"><td><a href="/sites/${enc(site)}/tickets/${tk.id}">#${tk.id}</a></td>
<td>${tk.device ? html`<a class="device" href="/sites/${enc(site)}/devices/${enc(tk.device)}">${tk.device}</a>` : '—'}</td><td>${checkName(lang, tk.subject)}</td><td>${tk.priority}</td><td>${statusText(lang, tk.status)}</td><td>${symptomText(lang, tk.symptom)}</td><td>${formatTime(tk.openedAt, zone)}</td>
<td>${next ? html`<span class="countdown${Date.parse(next.due) < now.getTime() ? ' abnormal' : ''}" data-due="${next.due}" data-overdue="${t(lang, 'overdue')}" data-left="${t(lang, 'remaining')}">${countdown(lang, next.due, now)}</span> <small>${t(lang, STAGE_TERM[next.stage])}</small>` : '—'}</td></tr>`;
    });
  return html`<table class="grid tickets" id="tickets"><thead><tr><th>#</th><th>${t(lang, 'device')}</th><th>${t(lang, 'check')}</th><th>${t(lang, 'priority')}</th>
<th>${t(lang, 'status')}</th><th>${t(lang, 'symptom')}</th><th>${t(lang, 'opened')}</th><th>${t(lang, 'deadline')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function ticketView(lang: Lang, viewer: Viewer, site: string, tk: Ticket, now: Date, zone: string, error?: string, people: string[] = []): SafeHtml {
  const base = `/sites/${enc(site)}/tickets/${tk.id}`;
  const steps = STEP_NAMES.filter((s) => stepAllowed(tk.status, s) && (STEPS[s].roles as readonly string[]).includes(viewer.role))
    .map((s) => html`<form method="post" action="${base}/step/${s}" class="inline">${csrfField(viewer)}<input name="note" placeholder="${t(lang, 'note')}"><button type="submit" data-step="${s}" class="primary">${stepText(lang, s)}</button></form>`);
  const events = tk.events.map((e) => html`<tr><td>${formatTime(e.at, zone)}</td><td>${term(lang, TICKET_EVENT_TERMS, e.event)}</td><td>${eventActor(lang, e)}</td><td>${eventNote(lang, e, zone)}</td></tr>`);
  const dl = (['response', 'onSite', 'recovery', 'partReplacement', 'emergencyPlan'] as const)
    .filter((s) => tk.deadlines[s])
    .map((s) => {
      const d = tk.deadlines[s]!;
      return html`<tr class="${d.overdue ? 'overdue' : ''}"><td>${term(lang, DEADLINE_TERMS, s)}</td><td>${formatTime(d.due, zone)}</td><td>${formatTime(d.metAt, zone)}</td><td>${d.due && !d.metAt ? countdown(lang, d.due, now) : ''}</td></tr>`;
    });
  const reports = tk.serviceReports.map((r) => html`<tr><td>${formatTime(r.arrivedAt, zone)}</td><td>${r.workDone}</td><td>${term(lang, SERVICE_RESULT_TERMS, r.result)}</td><td>${r.openIssues ?? ''}</td><td>${r.customerEvaluation ?? ''}</td><td>${r.by}</td></tr>`);
  const parts = tk.parts.map((p) => html`<tr><td>${p.part}</td><td>${p.oldSerial}</td><td>${p.newSerial}</td><td>${formatTime(p.replacedAt ?? p.at, zone)}</td><td>${p.by}</td></tr>`);
  const editor = viewer.role !== 'customer' && tk.status !== 'closed';
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<p id="ticket-status" data-status="${tk.status}">${tk.device ?? '—'} · ${checkName(lang, tk.subject)} · ${tk.priority} · <b>${statusText(lang, tk.status)}</b>${tk.overdue ? html` · <span class="abnormal">${t(lang, 'overdue')}</span>` : ''}</p>
<p>${symptomText(lang, tk.symptom)}${tk.suspectedCause ? ` — ${tk.suspectedCause}` : ''}</p>
<div class="actions">${steps}</div>
${ticketPeopleView(lang, viewer, base, tk, people, zone)}
<h2>${t(lang, 'deadline')}</h2><table class="grid"><thead><tr><th></th><th>${t(lang, 'deadline')}</th><th>${t(lang, 'metAt')}</th><th>${t(lang, 'remaining')}</th></tr></thead><tbody>${dl}</tbody></table>
<h2>${t(lang, 'events')}</h2><table class="grid"><thead><tr><th>${t(lang, 'at')}</th><th>${t(lang, 'step')}</th><th>${t(lang, 'by')}</th><th>${t(lang, 'note')}</th></tr></thead><tbody>${events}</tbody></table>
<h2>${t(lang, 'serviceReport')}</h2><table class="grid"><thead><tr><th>${t(lang, 'arrivedAt')}</th><th>${t(lang, 'workDone')}</th><th>${t(lang, 'result')}</th><th>${t(lang, 'openIssues')}</th><th>${t(lang, 'evaluation')}</th><th>${t(lang, 'by')}</th></tr></thead><tbody>${reports.length ? reports : html`<tr><td colspan="6">${t(lang, 'none')}</td></tr>`}</tbody></table>
${editor ? html`<form method="post" action="${base}/service-report" class="card">${csrfField(viewer)}
<label>${t(lang, 'arrivedAt')} ${timeInput(lang, 'datetime', 'arrivedAt', { required: true })}</label>
<label>${t(lang, 'workDone')} <textarea name="workDone" required></textarea></label>
<label>${t(lang, 'result')} <select name="result">${(['fixed', 'partly_fixed', 'not_fixed'] as const).map((r) => html`<option value="${r}">${term(lang, SERVICE_RESULT_TERMS, r)}</option>`)}</select></label>
<label>${t(lang, 'openIssues')} <input name="openIssues"></label><label>${t(lang, 'evaluation')} <input name="customerEvaluation"></label>
<button type="submit">${t(lang, 'save')}</button></form>` : ''}
<h2>${t(lang, 'parts')}</h2><table class="grid"><thead><tr><th>${t(lang, 'part')}</th><th>${t(lang, 'oldSerial')}</th><th>${t(lang, 'newSerial')}</th><th>${t(lang, 'replacedAt')}</th><th>${t(lang, 'by')}</th></tr></thead><tbody>${parts.length ? parts : html`<tr><td colspan="5">${t(lang, 'none')}</td></tr>`}</tbody></table>
${editor ? html`<form method="post" action="${base}/parts" class="card">${csrfField(viewer)}
<label>${t(lang, 'part')} <input name="part" required></label><label>${t(lang, 'oldSerial')} <input name="oldSerial" required></label>
<label>${t(lang, 'newSerial')} <input name="newSerial" required></label><button type="submit">${t(lang, 'save')}</button></form>` : ''}
${partsDispositionView(lang, viewer, base, tk, zone)}
<p><a href="/api/v1/sites/${enc(site)}/reports/faults?ticket=${tk.id}&format=pdf&lang=${lang}">${t(lang, 'pdf')}</a></p>`;
}

export function maintenanceView(lang: Lang, viewer: Viewer, site: string, list: MaintenanceRequest[], devices: string[], zone: string, error?: string): SafeHtml {
  const rows = list
    .map((m) => {
      // The customer decides on the request's own page, having read all of it (maintenance-views.ts).
      const detail = `/sites/${enc(site)}/maintenance/${m.id}`;
      const decide = viewer.role === 'customer' && m.status === 'requested' ? html`<a href="${detail}" data-read="${m.id}">${maintenanceWord(lang, 'readAndDecide')}</a>` : '';
      return html`<tr data-request="${m.id}"><td><a href="${detail}">#${m.id}</a></td><td>${m.purpose}</td><td>${m.engineer}${m.recorder ? ` / ${m.recorder}` : ''}</td>
<td>${formatTime(m.windowStart, zone)} → ${formatTime(m.windowEnd, zone)}</td><td>${m.devices.join(', ')}</td><td>${term(lang, MAINTENANCE_STATUS_TERMS, m.status)}${m.emergency ? ` · ${t(lang, 'emergency')}` : ''}</td><td>${decide}</td></tr>`;
    });
  const form =
    viewer.role !== 'customer'
      ? html`<form method="post" action="/sites/${enc(site)}/maintenance" class="card" id="maintenance-form">${csrfField(viewer)}
<label>${t(lang, 'purpose')} <input name="purpose" required></label><label>${t(lang, 'engineer')} <input name="engineer" required value="${viewer.name}"></label>
<label>${t(lang, 'recorder')} <input name="recorder" required></label><label>${maintenanceWord(lang, 'representative')} <input name="customerRepresentative" required></label><label>${t(lang, 'steps')} <textarea name="steps" required></textarea></label>
<label>${t(lang, 'hardwareChanges')} <input name="hardwareChanges"></label><label>${t(lang, 'softwareChanges')} <input name="softwareChanges"></label>
<label>${t(lang, 'window')} ${timeInput(lang, 'datetime', 'windowStart', { required: true })} → ${timeInput(lang, 'datetime', 'windowEnd', { required: true })}</label>
<label>${t(lang, 'durationMin')} <input name="expectedDurationMinutes" type="number" min="1" required></label>
<label>${t(lang, 'devices')} <select name="devices" multiple required>${devices.map((d) => html`<option>${d}</option>`)}</select></label>
<label>${maintenanceWord(lang, 'rollbackPlan')} <textarea name="rollbackPlan" required></textarea></label>
<label>${maintenanceWord(lang, 'media')} <select name="removableMedia" required><option value="none">${maintenanceWord(lang, 'media.none')}</option><option value="virus-checked">${maintenanceWord(lang, 'media.virus-checked')}</option></select></label>
<label><input type="checkbox" name="emergency" value="true"> ${t(lang, 'emergency')}</label><button type="submit">${t(lang, 'request')}</button></form>`
      : '';
  return html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}<table class="grid" id="maintenance"><thead><tr><th>#</th><th>${t(lang, 'purpose')}</th><th>${t(lang, 'engineer')}</th><th>${t(lang, 'window')}</th><th>${t(lang, 'devices')}</th><th>${t(lang, 'status')}</th><th></th></tr></thead><tbody>${rows}</tbody></table>${form}`;
}

export { reportsView } from './reports-view.js';
