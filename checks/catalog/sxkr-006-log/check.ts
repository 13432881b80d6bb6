import { LogThresholds, type ComponentResult, type Severity } from '../../../schemas/index.js';
import { defineCheck } from '../../define.js';
import { formatLocalTime } from '../../calendar.js';
import { phrase } from '../../words/phrases.js';
import { SEVERITY_ZH, becauseWith, said } from '../../words/reasons.js';

/** An entry's time as a person there reads it, in one token (ISO 8601 with the offset: 2026-12-05T07:32+08:00). */
function localAt(at: string, zone: string | undefined): string {
  const ms = Date.parse(at);
  if (!zone || Number.isNaN(ms)) return at;
  const [day, time, offset] = formatLocalTime(ms, zone).split(' ');
  return `${day}T${time}${offset}`;
}

/** syslog order: a lower rank is more severe. */
const RANK: Record<Severity, number> = { emergency: 0, alert: 1, critical: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 };

export const logCheck = defineCheck({
  id: 'SXKR-006',
  name: { zh: '设备系统LOG日志检查', en: 'System error log' },
  expected: {
    zh: (t) => `自上次巡检以来无新的${SEVERITY_ZH[t.minSeverity as Severity] ?? t.minSeverity}级及以上日志`,
    en: (t) => `no new entries of severity ${t.minSeverity} or worse since the last inspection`,
  },
  thresholds: LogThresholds,
  evaluate(measurements, t, { lang, timeZone }) {
    const scanned = measurements.filter((m) => m.metric === 'log.scanned');
    const entries = measurements.filter((m) => m.metric === 'log.entry');
    const ignore = t.ignore.map((s) => s.toLowerCase());
    const limit = RANK[t.minSeverity as Severity];
    const components: ComponentResult[] = [];
    let counted = 0;
    for (const e of entries) {
      const severity = e.severity ?? 'error'; // an entry a source calls an error without a level is an error
      if (RANK[severity] > limit) continue;
      const text = String(e.value ?? '');
      const at = localAt(e.at, timeZone);
      const actual = `${at} ${severity}: ${text}`;
      if (ignore.some((s) => text.toLowerCase().includes(s))) {
        components.push({ component: e.component, verdict: 'normal', actual: `${actual} (${phrase(lang, 'ignored')})`, command: e.command });
        continue;
      }
      counted++;
      components.push({ component: e.component, verdict: 'abnormal', actual, ...becauseWith(lang, said('of', e.component, said('logEntry', severity, at)), e.command) });
    }
    if (scanned.length === 0 && entries.length === 0) return { components };
    const total = scanned.reduce((n, m) => n + (typeof m.value === 'number' ? m.value : 0), 0);
    if (components.length === 0) {
      // The log was read and held nothing at the threshold: one normal row per log source.
      const sources = scanned.length ? scanned : entries.slice(0, 1);
      for (const m of sources) components.push({ component: m.component, verdict: 'normal', actual: phrase(lang, 'noNewErrors'), command: m.command });
    }
    const actual =
      lang === 'zh'
        ? `${counted} 条新错误日志${scanned.length ? `（已读 ${total} 条）` : ''}`
        : `${counted} new error entr${counted === 1 ? 'y' : 'ies'}${scanned.length ? ` (${total} read)` : ''}`;
    return { components, actual };
  },
});
