/**
 * What the engineer watches in the machine room: a line per device as it finishes, a status line
 * with what is still running (rewritten in place on a terminal, left out when the output is a file),
 * and, at the end, the site summary with the abnormal items first.
 */
import type { Lang, SiteInspection, Verdict } from '../../schemas/index.js';
import { CHECKS } from '../catalog/index.js';
import { renderTable } from '../form/table.js';
import { displayWidth, pad } from '../form/width.js';
import { VERDICT_LABELS } from '../words/labels.js';
import type { ProgressEvent } from './inspect-site.js';

const RUNNING: Record<Lang, string> = { zh: '进行中', en: 'running' };

export interface ProgressSink {
  write(text: string): unknown;
}

export interface ProgressDisplay {
  onProgress(e: ProgressEvent): void;
  /** Clears the status line; call before printing anything else. */
  finish(): void;
}

const MARK: Record<Verdict, string> = { normal: '✓', abnormal: '✗', unknown: '?' };
const RUNNING_SHOWN = 4;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * `tty`: redraw a status line under the finished devices. Without it every finished device is one
 * plain line, so a log file or CI output reads cleanly.
 */
export function createProgressDisplay(sink: ProgressSink, opts: { tty: boolean; lang: Lang }): ProgressDisplay {
  const { lang } = opts;
  const started = new Map<string, number>();
  const running = new Set<string>();
  const counts: Record<Verdict, number> = { normal: 0, abnormal: 0, unknown: 0 };
  let finished = 0;
  let total = 0;
  let nameWidth = 8;
  let status = false;
  const verdictWidth = Math.max(...Object.values(VERDICT_LABELS).map((l) => displayWidth(l[lang])));

  const clear = () => {
    if (status) sink.write('\r\x1b[2K');
    status = false;
  };
  const drawStatus = () => {
    if (!opts.tty || finished === total) return;
    const names = [...running];
    const shown = names.slice(0, RUNNING_SHOWN).join(', ') + (names.length > RUNNING_SHOWN ? ` +${names.length - RUNNING_SHOWN}` : '');
    const label = RUNNING[lang];
    sink.write(`[${finished}/${total}] ${MARK.normal}${counts.normal} ${MARK.abnormal}${counts.abnormal} ${MARK.unknown}${counts.unknown} · ${label}: ${shown || '…'}`);
    status = true;
  };

  return {
    onProgress(e) {
      total = e.total;
      if (e.state === 'queued') {
        nameWidth = Math.max(nameWidth, displayWidth(e.device));
        return;
      }
      if (e.state === 'connecting') {
        started.set(e.device, Date.parse(e.at));
        running.add(e.device);
      } else if (e.state === 'done' || e.state === 'failed') {
        running.delete(e.device);
        finished++;
        const verdict = e.verdict ?? 'unknown';
        counts[verdict]++;
        const took = Date.parse(e.at) - (started.get(e.device) ?? Date.parse(e.at));
        const position = `[${String(finished).padStart(String(total).length)}/${total}]`;
        const why = e.reason ? `  ${e.reason}` : '';
        clear();
        sink.write(`${position} ${MARK[verdict]} ${pad(e.device, nameWidth)}  ${pad(VERDICT_LABELS[verdict][lang], verdictWidth)} ${seconds(took).padStart(7)}${why}\n`);
      }
      clear();
      drawStatus();
    },
    finish() {
      clear();
    },
  };
}

/** The site summary: device and check counts by verdict, then every abnormal item, then every unknown one. */
export function renderSiteSummary(inspection: SiteInspection, lang: Lang): string {
  const zh = lang === 'zh';
  const { summary } = inspection;
  const count = (c: Record<Verdict, number>) =>
    (['normal', 'abnormal', 'unknown'] as const).map((v) => `${VERDICT_LABELS[v][lang]} ${c[v]}`).join(' · ');
  const head = [
    `${zh ? '站点' : 'Site'}: ${inspection.site}${inspection.customer ? ` (${inspection.customer})` : ''} · ${inspection.devices.length} ${zh ? '台设备' : 'devices'} · ${zh ? '用时' : 'took'} ${seconds(inspection.durationMs)}`,
    `${zh ? '设备' : 'Devices'}: ${count(summary.devices)}`,
    `${zh ? '检查项' : 'Checks'}: ${count(summary.checks)}`,
  ];
  if (summary.items.length === 0) return [...head, zh ? '全部正常。' : 'Everything is normal.'].join('\n');
  const columns = (zh ? ['设备', '编号', '检查项目', '检查结果', '实际结果 / 原因'] : ['Device', 'ID', 'Item', 'Verdict', 'Actual / reason']).map(
    (header, i) => ({ header, max: [24, 8, 16, 8, 60][i]! }),
  );
  const rows: string[][] = [];
  const folded = new Set<string>();
  for (const item of summary.items) {
    if (folded.has(item.device)) continue;
    // A device that could not be inspected at all is one row, not six with the same reason.
    const failed = inspection.devices.find((d) => d.device.name === item.device && d.failed);
    if (failed) {
      folded.add(item.device);
      rows.push([item.device, '—', zh ? '全部检查项' : 'all checks', VERDICT_LABELS.unknown[lang], item.reason ?? item.actual]);
      continue;
    }
    rows.push([
      item.device,
      item.check,
      CHECKS.find((c) => c.id === item.check)?.name[lang] ?? item.check,
      VERDICT_LABELS[item.verdict][lang],
      [item.actual, item.reason].filter(Boolean).join('\n'),
    ]);
  }
  return [...head, renderTable(columns, rows)].join('\n');
}
