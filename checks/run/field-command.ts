/**
 * The engineer's site run, start to finish: inventory → concurrent inspection with live progress →
 * forms and site summary → report files → upload. Kept here, not in bin/, so the command stays a
 * thin parser and this order can be read (and tested) in one place.
 *
 * Nothing is lost on the way: when the upload fails the files are written even under `--no-save`,
 * and the message says how to send them later. Nothing stays that need not: the saved inspection
 * (the customer's addresses and configuration) is sealed under the field key when one is given,
 * and removed once uploaded unless `--keep`; the printable reports carry no address.
 */
import { rmSync } from 'node:fs';
import { DEFAULT_TIME_ZONE, exitCodeFor, renderForm } from '../index.js';
import { XunjianError, type Lang, type SiteInspection } from '../../schemas/index.js';
import { inspectSite } from './inspect-site.js';
import { writeInspectionFiles, type InspectionFiles } from './report-files.js';
import { loadSiteFile, resolveSiteFile } from './site-file.js';
import { createProgressDisplay, renderSiteSummary } from './terminal.js';
import { terminalPasswordPrompt } from './prompt.js';
import { checkUploadTarget, readInspectionFile, uploadInspection, type UploadOutcome, type UploadTarget } from './upload.js';

/** What the field command tells the engineer on the terminal. */
const CLI_WORDS = {
  saved: { zh: '已保存', en: 'saved' },
  uploaded: { zh: '已上传，已删除', en: 'uploaded, removed' },
} as const satisfies Record<string, Record<Lang, string>>;

export interface FieldIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** A terminal to prompt for passwords on; absent when stdin is not one. */
  prompt?: typeof terminalPasswordPrompt;
}

export interface SiteRunOptions {
  site: string;
  windowMs: number;
  concurrency: number;
  acceptNew: boolean;
  groups: string[];
  lang: Lang;
  json: boolean;
  /** Folder for the report files; undefined = do not save (unless an upload fails). */
  out: string | undefined;
  /** Upload to this collector when set. */
  upload: UploadTarget | undefined;
  /** Seal the saved inspection under this key (XUNJIAN_FIELD_KEY); undefined: saved in clear. */
  fieldKey?: string;
  /** Keep the saved inspection after a successful upload. */
  keep?: boolean;
}

/** Exit code when the inspection ran but could not be uploaded (README, "Exit codes"). */
export const UPLOAD_FAILED = 5;

function describeUpload(o: UploadOutcome, lang: Lang): string {
  const zh = lang === 'zh';
  const months = o.months
    .map((m) => (zh ? `${m.month} 巡检记录：新增 ${m.accepted}，已存在 ${m.duplicates}` : `inspection ${m.month}: ${m.accepted} new, ${m.duplicates} already stored`))
    .join('; ');
  return zh
    ? `已上传站点 ${o.site}：报告新增 ${o.reports.stored}，已存在 ${o.reports.duplicates}；${months}`
    : `uploaded site ${o.site}: ${o.reports.stored} reports stored, ${o.reports.duplicates} already there; ${months}`;
}

/** `inspect --site`: returns the exit code (verdicts, or UPLOAD_FAILED). */
export async function runSiteInspection(o: SiteRunOptions, io: FieldIo): Promise<number> {
  const loaded = loadSiteFile(resolveSiteFile(o.site));
  // Before a run of a minute or more, not after it.
  if (o.upload) checkUploadTarget(o.upload);
  const display = createProgressDisplay(io.stderr, { tty: io.stderr.isTTY === true, lang: o.lang });
  let inspection: SiteInspection;
  try {
    inspection = await inspectSite(loaded, {
      concurrency: o.concurrency,
      windowMs: o.windowMs,
      acceptNew: o.acceptNew,
      groups: o.groups,
      lang: o.lang,
      onProgress: display.onProgress,
      ...(io.prompt ? { promptPassword: io.prompt() } : {}),
    });
  } finally {
    display.finish();
  }

  if (o.json) io.stdout.write(`${JSON.stringify(inspection, null, 2)}\n`);
  else {
    for (const d of inspection.devices) io.stdout.write(`${renderForm(d.report, d.results, o.lang, inspection.timeZone ?? DEFAULT_TIME_ZONE)}\n\n`);
    io.stdout.write(`${renderSiteSummary(inspection, o.lang)}\n`);
  }

  let files: InspectionFiles | undefined;
  const save = (dir: string) => {
    files = writeInspectionFiles(inspection, dir, o.fieldKey);
    io.stderr.write(`${CLI_WORDS.saved[o.lang]}: ${files.json}\n  ${files.html.zh}\n  ${files.html.en}\n`);
    if (!files.sealed) io.stderr.write(`${files.json} ${CLEAR_WARNING[o.lang]}\n`);
  };
  if (o.out !== undefined) save(o.out);

  const verdicts = inspection.devices.flatMap((d) => d.results.map((r) => r.verdict));
  if (!o.upload) return exitCodeFor(verdicts);
  try {
    const outcome = await uploadInspection(o.upload, { site: inspection.site, forms: inspection.devices.map((d) => ({ report: d.report, results: d.results })) });
    io.stderr.write(`${describeUpload(outcome, o.lang)}\n`);
    if (files && !o.keep) removeUploaded(files.json, o.lang, io);
    return exitCodeFor(verdicts);
  } catch (e) {
    if (!(e instanceof XunjianError) || e.code !== 'UPLOAD') throw e;
    if (!files) save('inspections');
    io.stderr.write(
      `upload failed: ${e.message}\nThe inspection is saved; send it when the collector can be reached:\n  inspect upload ${files!.json} --collector ${o.upload.collector}\n`,
    );
    return UPLOAD_FAILED;
  }
}

const CLEAR_WARNING: Record<Lang, string> = {
  zh: '含客户地址和配置（明文）：设置 XUNJIAN_FIELD_KEY 可加密保存；上传后删除（README“现场数据”）',
  en: 'holds the customer’s addresses and configuration in clear: set XUNJIAN_FIELD_KEY to save it encrypted; it is removed once uploaded (README, "What stays on the laptop")',
};

/** The saved inspection is on the collector now: the laptop keeps no copy of the customer's data. */
function removeUploaded(file: string, lang: Lang, io: FieldIo): void {
  rmSync(file, { force: true });
  io.stderr.write(`${CLI_WORDS.uploaded[lang]}: ${file}\n`);
}

/**
 * `inspect upload FILE…`: each file in turn; the first failure stops (the rest are untouched). A
 * saved inspection (inspection.json[.enc]) is removed once uploaded unless `keep`.
 */
export async function runUpload(files: string[], o: { site?: string; lang: Lang; upload: UploadTarget; fieldKey?: string; keep?: boolean }, io: FieldIo): Promise<number> {
  for (const file of files) {
    const forms = readInspectionFile(file, o.site, o.fieldKey);
    try {
      io.stderr.write(`${file}: ${describeUpload(await uploadInspection(o.upload, forms), o.lang)}\n`);
      if (forms.savedByInspect && !o.keep) removeUploaded(forms.file, o.lang, io);
    } catch (e) {
      if (!(e instanceof XunjianError) || e.code !== 'UPLOAD') throw e;
      io.stderr.write(`${file}: upload failed: ${e.message}\n`);
      return UPLOAD_FAILED;
    }
  }
  return 0;
}
