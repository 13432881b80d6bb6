import { CHECK_IDS, type CheckId, type Lang, type Verdict } from '../../schemas/index.js';
import { localDay } from '../../checks/index.js';
import { renderChart, type StatusChartSpec, type TimePoint } from '../charts/index.js';
import { html, raw, type SafeHtml } from '../html/index.js';
import type { HourlyPoint } from '../repositories/index.js';
import { checkName, verdictLabel } from '../reports/index.js';
import type { SeriesReading } from '../reports/store.js';
import { t } from './i18n.js';

export type Point = TimePoint;

export interface Trends {
  cpu: Point[];
  memory: Point[];
  /** The hottest sensor at each time. */
  temperature: Point[];
}

const AGGREGATE = /^(cpu|cpus|system|total|all|memory)$/i;

/**
 * One point per report window: CPU and memory from the aggregate component ("CPU", "system")
 * when the device reports one, else the mean of its components; temperature: the hottest sensor.
 * Hourly rollups stand in for reports whose raw measurements retention has dropped.
 */
export function trendsOf(readings: SeriesReading[], hourly: HourlyPoint[]): Trends {
  const at = new Map<number, SeriesReading[]>();
  for (const r of readings) {
    const list = at.get(r.at) ?? [];
    list.push(r);
    at.set(r.at, list);
  }
  for (const h of hourly) {
    if (!['cpu.avg', 'memory.used', 'temperature'].includes(h.metric)) continue;
    const t = Date.parse(h.hour);
    const list = at.get(t) ?? [];
    list.push({ at: t, component: h.component, metric: h.metric, value: h.metric === 'temperature' ? h.max : h.avg });
    at.set(t, list);
  }
  const out: Trends = { cpu: [], memory: [], temperature: [] };
  for (const [t, list] of [...at].sort((a, b) => a[0] - b[0])) {
    for (const [metric, key] of [['cpu.avg', 'cpu'], ['memory.used', 'memory']] as const) {
      const mine = list.filter((r) => r.metric === metric);
      if (!mine.length) continue;
      const agg = mine.filter((r) => AGGREGATE.test(r.component));
      const use = agg.length ? agg : mine;
      out[key].push({ at: t, value: use.reduce((s, r) => s + r.value, 0) / use.length });
    }
    const temps = list.filter((r) => r.metric === 'temperature');
    if (temps.length) out.temperature.push({ at: t, value: Math.max(...temps.map((r) => r.value)) });
  }
  return out;
}

/** The spans the device page offers, in days (`?range=`); anything else is refused. */
export const RANGES = [7, 30, 90] as const;
export type Range = (typeof RANGES)[number];
export const DEFAULT_RANGE: Range = 30;

/** `?range=` as a span, the default when absent; undefined for anything else (the page answers 400). */
export function rangeOf(value: unknown): Range | undefined {
  if (value === undefined || value === '') return DEFAULT_RANGE;
  return RANGES.find((r) => String(r) === value);
}

const figure = (id: string, svg: string, note?: string): SafeHtml =>
  html`<figure class="chart" id="${id}">${raw(svg)}${note ? html`<figcaption class="muted">${note}</figcaption>` : ''}</figure>`;

/** CPU, memory (each with its limit) and the hottest sensor over [from, to], drawn in the site's zone. */
export function trendCharts(lang: Lang, device: string, trends: Trends, limits: { cpu: number; memory: number }, frame: { zone: string; from: number; to: number }): SafeHtml {
  const line = (id: string, title: string, unit: string, points: Point[], o: { limit?: number; min?: number; max?: number }) =>
    figure(
      id,
      renderChart(
        {
          type: 'line',
          title: `${title} · ${device}`,
          unit,
          series: [{ name: device, points }],
          ...(o.limit !== undefined ? { limit: { label: `${t(lang, 'chartLimit')} ${o.limit}${unit}`, value: o.limit } } : {}),
          ...(o.min !== undefined ? { min: o.min } : {}),
          ...(o.max !== undefined ? { max: o.max } : {}),
          from: frame.from,
          to: frame.to,
        },
        { zone: frame.zone, lang },
      ),
    );
  return html`${line('chart-cpu', t(lang, 'chartCpu'), '%', trends.cpu, { limit: limits.cpu, min: 0, max: 100 })}
${line('chart-memory', t(lang, 'chartMemory'), '%', trends.memory, { limit: limits.memory, min: 0, max: 100 })}
${line('chart-temperature', t(lang, 'chartTemperature'), '°C', trends.temperature, {})}`;
}

const WORST: Verdict[] = ['abnormal', 'unknown', 'normal'];
const STATE_COLOUR: Record<Verdict, string> = { normal: '#16a34a', abnormal: '#b91c1c', unknown: '#d97706' };

/**
 * Each check's worst verdict of each local day over [from, to]: a row per SXKR check, a mark per
 * day, its hover title the day's count of results and of bad ones. A day without results stays blank.
 */
export function checkHistoryChart(lang: Lang, verdicts: { check: CheckId; verdict: Verdict; at: number }[], frame: { zone: string; from: number; to: number }): SafeHtml {
  const days = new Map<string, { worst: Verdict; n: number; bad: number }>();
  for (const v of verdicts) {
    const key = `${v.check} ${localDay(v.at, frame.zone)}`;
    const d = days.get(key) ?? { worst: 'normal', n: 0, bad: 0 };
    d.n++;
    if (v.verdict !== 'normal') d.bad++;
    if (WORST.indexOf(v.verdict) < WORST.indexOf(d.worst)) d.worst = v.verdict;
    days.set(key, d);
  }
  const spec: StatusChartSpec = {
    type: 'status',
    title: t(lang, 'chartChecks'),
    rows: CHECK_IDS.map((c) => `${c} ${checkName(lang, c)}`),
    states: WORST.map((v) => ({ key: v, label: verdictLabel(lang, v), colour: STATE_COLOUR[v] })).reverse(),
    marks: [...days].map(([key, d]) => {
      const [check, day] = key.split(' ') as [CheckId, string];
      return { row: CHECK_IDS.indexOf(check), day, state: d.worst, note: `${d.n} ${t(lang, 'resultsCount')}${d.bad ? `, ${d.bad} ${t(lang, 'notNormal')}` : ''}` };
    }),
    fromDay: localDay(frame.from, frame.zone),
    toDay: localDay(frame.to, frame.zone),
  };
  return figure('chart-checks', renderChart(spec, { zone: frame.zone, lang, width: 1100, height: 300 }), t(lang, 'chartChecksNote'));
}
