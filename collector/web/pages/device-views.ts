import { DEVICE_KINDS, type Lang } from '../../../schemas/index.js';
import { bothValues, equipmentWord, kindLabel, recommendationText, type FirmwareStep, type UpgradeRecommendation } from '../../equipment/index.js';
import { html, type SafeHtml } from '../../html/index.js';
import { formatTime, verdictLabel, word } from '../../reports/index.js';
import type { DeviceRow, RecordField } from '../../repositories/index.js';
import type { Viewer } from '../../users/index.js';
import { timeInput } from './local-time.js';

/*
 * The equipment record on the dashboard: a device's record with a person's entry beside the
 * measured value (flagged where they differ), its firmware history and upgrade recommendation,
 * the forms engineers edit it with, and a site's device list with the form to add one by hand.
 */

const enc = encodeURIComponent;
const csrfField = (v: Viewer) => html`<input type="hidden" name="_csrf" value="${v.csrf ?? ''}">`;
const mayEdit = (v: Viewer) => v.role === 'engineer' || v.role === 'admin';
const errorBox = (error?: string) => (error ? html`<p class="error" role="alert">${error}</p>` : '');

/** Not monitored reads as unknown with its reason, never as normal. */
export function monitoringText(lang: Lang, d: Pick<DeviceRow, 'monitored'>): SafeHtml {
  return d.monitored ? html`` : html`<span class="v unknown" data-monitored="false">${verdictLabel(lang, 'unknown')} · ${equipmentWord(lang, 'notMonitored')}</span>`;
}

export interface RecordPanel {
  device: DeviceRow;
  history: FirmwareStep[];
  recommendation: UpgradeRecommendation;
  differences: RecordField[];
  /** The site's time zone: history times print local. */
  zone: string;
}

export function equipmentPanel(lang: Lang, viewer: Viewer, p: RecordPanel, error?: string): SafeHtml {
  const { device: d, differences } = p;
  const e = (k: Parameters<typeof equipmentWord>[1]) => equipmentWord(lang, k);
  const pairs: [RecordField, string, string | null, string | null][] = [
    ['vendor', word(lang, 'vendor'), d.entered.vendor, d.reported.vendor],
    ['model', word(lang, 'model'), d.entered.model, d.reported.model],
    ['serial', e('serial'), d.entered.serial, d.reported.serial],
    ['firmware', e('firmware'), d.entered.firmware, d.reported.version],
  ];
  const rows = pairs.map(([field, label, entered, measured]) => {
    const differs = differences.includes(field);
    return html`<tr data-field="${field}" class="${differs ? 'differs abnormal' : ''}"><th>${label}</th><td class="entered">${entered ?? ''}</td><td class="measured">${measured ?? ''}</td><td>${differs ? html`<span title="${e('differs')}">⚠ ${e('differs')}</span>` : ''}</td></tr>`;
  });
  const facts: [string, string | null][] = [
    [word(lang, 'kind'), kindLabel(lang, d.kind)],
    [e('location'), d.location],
    [e('warrantyUntil'), d.warrantyUntil],
    [e('contractUntil'), d.contractUntil],
    [word(lang, 'role'), d.role],
    [e('manual'), d.manual ? '✓' : ''],
  ];
  const history = p.history.map(
    (s) => html`<tr data-origin="${s.origin}"><td>${formatTime(s.at, p.zone)}</td><td>${[s.os, s.version].filter(Boolean).join(' · ')}</td><td>${s.origin === 'person' ? e('byHand') : `${e('fromReport')} (${s.source ?? ''})`}</td><td>${s.by ?? ''}</td><td>${s.note ?? ''}</td></tr>`,
  );
  const base = `/sites/${enc(d.site)}/devices/${enc(d.hostname)}`;
  return html`${errorBox(error)}<section id="equipment-record"><h2>${e('record')} ${monitoringText(lang, d)}</h2>
<table class="grid identity" id="record"><thead><tr><th></th><th>${e('entered')}</th><th>${e('measured')}</th><th></th></tr></thead><tbody>${rows}</tbody></table>
<table class="grid identity" id="record-facts">${facts.map(([k, v]) => html`<tr><th>${k}</th><td>${v ?? ''}</td></tr>`)}</table>
${d.notes ? html`<p class="notes">${d.notes}</p>` : ''}
<p id="upgrade" data-status="${p.recommendation.status}"><b>${e('upgrade')}:</b> ${recommendationText(lang, p.recommendation)}</p>
<h2>${e('history')}</h2>${p.history.length ? html`<table class="grid" id="firmware-history"><tbody>${history}</tbody></table>` : html`<p class="muted">${word(lang, 'none')}</p>`}
${mayEdit(viewer) ? editForms(lang, viewer, d, base) : ''}</section>`;
}

const opt = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;

function editForms(lang: Lang, viewer: Viewer, d: DeviceRow, base: string): SafeHtml {
  const e = (k: Parameters<typeof equipmentWord>[1]) => equipmentWord(lang, k);
  const verdict = d.upgrade === null ? '' : d.upgrade.needed ? 'true' : 'false';
  return html`<form method="post" action="${base}/record" class="card" id="record-form">${csrfField(viewer)}<h3>${e('editRecord')}</h3>
${d.manual ? html`<label>${word(lang, 'kind')} <select name="kind">${DEVICE_KINDS.map((k) => opt(k, kindLabel(lang, k), k === d.kind))}</select></label>` : ''}
${recordFields(lang, d)}<button type="submit" class="primary">${e('save')}</button></form>
<form method="post" action="${base}/firmware" class="card" id="firmware-form">${csrfField(viewer)}<h3>${e('recordFirmware')}</h3>
<label>${e('firmware')} <input name="firmware" required maxlength="200"></label><label>${word(lang, 'colNotes')} <input name="note" maxlength="2000"></label>
<button type="submit">${e('save')}</button></form>
<form method="post" action="${base}/upgrade" class="card" id="upgrade-form">${csrfField(viewer)}<h3>${e('verdict')}</h3>
<label>${e('verdict')} <select name="needed">${opt('', e('clear'), verdict === '')}${opt('true', e('needed'), verdict === 'true')}${opt('false', e('notNeeded'), verdict === 'false')}</select></label>
<label>${e('reason')} <input name="reason" maxlength="2000" value="${d.upgrade?.reason ?? ''}"></label><button type="submit">${e('save')}</button></form>`;
}

/** The fields a person enters, prefilled with what they entered before (never the measured values). */
function recordFields(lang: Lang, d?: DeviceRow): SafeHtml {
  const e = (k: Parameters<typeof equipmentWord>[1]) => equipmentWord(lang, k);
  const text = (name: string, label: string, value: string | null | undefined) => html`<label>${label} <input name="${name}" maxlength="200" value="${value ?? ''}"></label>`;
  const date = (name: string, label: string, value: string | null | undefined) => html`<label>${label} ${timeInput(lang, 'date', name, { value })}</label>`;
  return html`${text('vendor', word(lang, 'vendor'), d?.entered.vendor)}${text('model', word(lang, 'model'), d?.entered.model)}${text('serial', e('serial'), d?.entered.serial)}
${text('firmware', e('firmware'), d?.entered.firmware)}${text('location', e('location'), d?.location)}${text('role', word(lang, 'role'), d?.role)}
${date('warrantyUntil', e('warrantyUntil'), d?.warrantyUntil)}${date('contractUntil', e('contractUntil'), d?.contractUntil)}
<label>${word(lang, 'colNotes')} <textarea name="notes" maxlength="10000">${d?.notes ?? ''}</textarea></label>`;
}

/** A site's equipment record: every device (manual ones marked, differences flagged) and the form to add one. */
export function equipmentListView(lang: Lang, viewer: Viewer, site: string, devices: (DeviceRow & { differences: RecordField[]; recommendation: UpgradeRecommendation })[], error?: string): SafeHtml {
  const e = (k: Parameters<typeof equipmentWord>[1]) => equipmentWord(lang, k);
  const rows = devices.map(
    (d) => html`<tr data-device="${d.hostname}"><td><a href="/sites/${enc(site)}/devices/${enc(d.hostname)}">${d.hostname}</a></td><td>${kindLabel(lang, d.kind)}</td>
<td>${bothValues(lang, 'model', d.entered.model, d.reported.model, d.differences)}</td><td class="${d.differences.includes('serial') ? 'abnormal' : ''}">${bothValues(lang, 'serial', d.entered.serial, d.reported.serial, d.differences)}</td>
<td>${bothValues(lang, 'firmware', d.entered.firmware, d.reported.version, d.differences)}</td><td>${d.location ?? ''}</td><td>${d.manual ? e('manual') : ''} ${monitoringText(lang, d)}</td>
<td>${d.recommendation.status === 'none' ? '' : recommendationText(lang, d.recommendation)}</td></tr>`,
  );
  const form = mayEdit(viewer)
    ? html`<form method="post" action="/sites/${enc(site)}/equipment" class="card" id="add-device-form">${csrfField(viewer)}<h3>${e('addDevice')}</h3>
<label>${word(lang, 'device')} <input name="hostname" required maxlength="255"></label>
<label>${word(lang, 'kind')} <select name="kind">${DEVICE_KINDS.map((k) => opt(k, kindLabel(lang, k), k === 'storage'))}</select></label>
${recordFields(lang)}<button type="submit" class="primary">${e('addDevice')}</button></form>`
    : '';
  return html`${errorBox(error)}<table class="grid" id="equipment"><thead><tr><th>${word(lang, 'device')}</th><th>${word(lang, 'kind')}</th><th>${word(lang, 'model')}</th><th>${e('serial')}</th>
<th>${e('firmware')}</th><th>${e('location')}</th><th></th><th>${e('upgrade')}</th></tr></thead><tbody>${rows}</tbody></table>${form}`;
}
