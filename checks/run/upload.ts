/**
 * Sends a field inspection to the collector, now (`inspect --site … --collector URL`) or days later from
 * the saved file (`inspect upload FILE`), because customer sites are often offline.
 *
 * Two idempotent steps, both keyed by the report ids saved in the file, so a resend stores nothing twice:
 * 1. every device's report goes to `POST /api/v1/reports`, so the collector registers the devices in the
 *    equipment record, evaluates them centrally and opens fault tickets for what is abnormal;
 * 2. the forms go to `POST /api/v1/sites/:site/inspections/:month` (one call per month of the window ends),
 *    where they become the site's monthly inspection record exactly as the engineer saw them.
 */
import { Type } from '@sinclair/typebox';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  InspectionForm,
  InspectionUploadResult,
  SiteInspection,
  XunjianError,
  validate,
  type Report,
} from '../../schemas/index.js';
import { canonicalTimeZone, DEFAULT_TIME_ZONE, localMonth } from '../calendar.js';
import { isSealed, openSealed } from './field-seal.js';

export interface UploadTarget {
  /**
   * The collector's base URL, e.g. `https://collector.example.com:8443`, or several separated by
   * commas (collectors sharing one database): a network error, 429 or 5xx moves to the next one.
   */
  collector: string;
  token: string;
  /** Attempts after the first for a network error, 429 or 5xx. Default 2. */
  retries?: number;
  /** Delay before the first retry, doubled each time. Default 1 s. */
  retryDelayMs?: number;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
}

export interface UploadOutcome {
  site: string;
  reports: { stored: number; duplicates: number };
  months: { month: string; accepted: number; duplicates: number }[];
}

/** What `inspect upload` reads: a site's forms, whichever file shape they came in. */
export interface FormsToUpload {
  site: string;
  forms: InspectionForm[];
}

const FormList = Type.Array(InspectionForm, { minItems: 1 });
/** The collector takes at most this many forms per call (schemas/inspection.ts, InspectionUpload). */
const FORMS_PER_CALL = 500;

/** The saved inspection in a folder: sealed (inspection.json.enc) or in clear. */
function savedIn(dir: string): string {
  const sealed = join(dir, 'inspection.json.enc');
  return existsSync(sealed) ? sealed : join(dir, 'inspection.json');
}

/**
 * Reads what `inspect` saved: a site inspection (`inspection.json` or the sealed
 * `inspection.json.enc`, or the folder holding it), one `inspect --json` form, or an array of
 * forms. `site` names the site when the file does not; `fieldKey` opens a sealed file.
 */
export function readInspectionFile(path: string, site?: string, fieldKey?: string): FormsToUpload & { file: string; savedByInspect: boolean } {
  const file = existsSync(path) && statSync(path).isDirectory() ? savedIn(path) : path;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new XunjianError('USAGE', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parse = (t: string) => {
    try {
      return JSON.parse(t) as unknown;
    } catch (e) {
      throw new XunjianError('VALIDATION', `${file} is not JSON (${(e as Error).message}): not an inspection file, or cut short`);
    }
  };
  let data = parse(text);
  if (isSealed(data)) data = parse(openSealed(data, fieldKey, file));
  if (data !== null && typeof data === 'object' && !Array.isArray(data) && 'devices' in data) {
    const inspection = validate(SiteInspection, data, file);
    if (site !== undefined && site !== inspection.site) {
      throw new XunjianError('USAGE', `${file} is an inspection of site ${inspection.site}, not ${site}`);
    }
    return { site: inspection.site, forms: inspection.devices.map((d) => ({ report: d.report, results: d.results })), file, savedByInspect: true };
  }
  const forms = Array.isArray(data) ? validate(FormList, data, file) : [validate(InspectionForm, data, file)];
  const named = site ?? forms.find((f) => f.report.site)?.report.site;
  if (!named) throw new XunjianError('USAGE', `${file} does not say which site it belongs to: add --site NAME`);
  forms.forEach((f, i) => {
    if (f.report.site !== undefined && f.report.site !== named) {
      throw new XunjianError('VALIDATION', `${file}: form ${i} (${f.report.identity.hostname}) belongs to site ${f.report.site}, not ${named}`);
    }
  });
  return { site: named, forms, file, savedByInspect: false };
}

/** `YYYY-MM` in the site's time zone: the collector's inspection month. */
export function monthOf(report: Report, zone: string): string {
  // The window end may carry any offset (+08:00): the instant is what counts, read in the site's zone.
  return localMonth(Date.parse(report.window.end), zone);
}

/**
 * The site's time zone on the collector, which cuts its months (the site exists: its reports were
 * just stored). A collector from before site time zones answers without one: it cuts in UTC.
 */
async function siteZone(target: UploadTarget, collectors: Collectors, site: string): Promise<string> {
  const base = collectors.urls[collectors.current]!;
  const url = new URL(`api/v1/sites/${encodeURIComponent(site)}`, base.endsWith('/') ? base : `${base}/`);
  try {
    const response = await fetch(url, { headers: { authorization: `Bearer ${target.token}` }, signal: AbortSignal.timeout(target.timeoutMs ?? 30_000) });
    if (!response.ok) return DEFAULT_TIME_ZONE;
    const zone = ((await response.json()) as { timeZone?: unknown }).timeZone;
    if (zone === undefined) return 'UTC';
    return typeof zone === 'string' ? (canonicalTimeZone(zone) ?? DEFAULT_TIME_ZONE) : DEFAULT_TIME_ZONE;
  } catch {
    // Unreachable now though it just answered: the default; a wrong month is refused with a 400 that says so.
    return DEFAULT_TIME_ZONE;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The collectors of a target, and the one that answered last (an upload stays with it). */
interface Collectors {
  urls: string[];
  current: number;
}

const collectorsOf = (target: UploadTarget): Collectors => ({ urls: target.collector.split(',').map((u) => u.trim()).filter(Boolean), current: 0 });

/**
 * One JSON POST with retries for what may pass (network, 429, 5xx) — on the next collector at
 * once when there are several, with the delay only after each whole round; anything else is final.
 * A resend is safe: the report ids are in the body.
 */
async function post(target: UploadTarget, collectors: Collectors, path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const retries = target.retries ?? 2;
  let delay = target.retryDelayMs ?? 1000;
  const failures: string[] = [];
  for (let attempt = 0; ; attempt++) {
    for (let tried = 0; tried < collectors.urls.length; tried++) {
      const base = collectors.urls[collectors.current]!;
      const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(target.timeoutMs ?? 30_000),
        });
        const text = await response.text();
        let json: unknown = undefined;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          // A proxy's HTML error page: the status line says enough.
        }
        if (response.ok) return { status: response.status, json };
        const message = (json as { message?: string } | undefined)?.message ?? (text.slice(0, 200) || response.statusText);
        const failure = `${response.status} from ${url.origin}${url.pathname}: ${message}`;
        if (response.status !== 429 && response.status < 500) throw new XunjianError('UPLOAD', `the collector refused the upload: ${failure}`);
        failures.push(failure);
      } catch (e) {
        if (e instanceof XunjianError) throw e;
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        failures.push(`cannot reach ${url.origin}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
      }
      collectors.current = (collectors.current + 1) % collectors.urls.length;
    }
    if (attempt >= retries) throw new XunjianError('UPLOAD', failures.slice(-collectors.urls.length).join('; '));
    await sleep(delay);
    delay *= 2;
  }
}

/** A usage error for a collector URL or token that cannot work, before anything is sent. */
export function checkUploadTarget(target: UploadTarget): void {
  const urls = collectorsOf(target).urls;
  if (urls.length === 0) throw new XunjianError('USAGE', `--collector expects a URL such as https://collector:8443, got "${target.collector}"`);
  for (const text of urls) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new XunjianError('USAGE', `--collector expects a URL such as https://collector:8443 (or several, comma-separated), got "${text}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new XunjianError('USAGE', `--collector must be http:// or https://, got "${text}"`);
  }
  if (!target.token) throw new XunjianError('USAGE', 'a token is needed to upload: --token or XUNJIAN_TOKEN');
}

/** Uploads a site's forms: the reports (central evaluation, tickets), then the monthly record. */
export async function uploadInspection(target: UploadTarget, { site, forms }: FormsToUpload): Promise<UploadOutcome> {
  checkUploadTarget(target);
  const collectors = collectorsOf(target);
  const outcome: UploadOutcome = { site, reports: { stored: 0, duplicates: 0 }, months: [] };
  for (const form of forms) {
    const { status } = await post(target, collectors, 'api/v1/reports', { ...form.report, site });
    if (status === 201) outcome.reports.stored++;
    else outcome.reports.duplicates++;
  }
  const zone = await siteZone(target, collectors, site);
  const byMonth = new Map<string, InspectionForm[]>();
  for (const form of forms) {
    const month = monthOf(form.report, zone);
    byMonth.set(month, [...(byMonth.get(month) ?? []), { ...form, report: { ...form.report, site } }]);
  }
  for (const [month, monthForms] of [...byMonth].sort(([a], [b]) => a.localeCompare(b))) {
    const done = { month, accepted: 0, duplicates: 0 };
    for (let i = 0; i < monthForms.length; i += FORMS_PER_CALL) {
      const { json } = await post(target, collectors, `api/v1/sites/${encodeURIComponent(site)}/inspections/${month}`, monthForms.slice(i, i + FORMS_PER_CALL));
      const result = validate(InspectionUploadResult, json, 'the collector’s answer');
      done.accepted += result.accepted.length;
      done.duplicates += result.duplicates.length;
    }
    outcome.months.push(done);
  }
  return outcome;
}
