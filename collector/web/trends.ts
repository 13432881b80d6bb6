import { localDay } from '../../checks/index.js';
import { html, type SafeHtml } from '../html/index.js';
import type { HourlyPoint } from '../repositories/index.js';
import type { SeriesReading } from '../reports/store.js';

export interface Point {
  at: number;
  value: number;
}

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

/** An inline SVG line chart (no library): the series, its min/max labels and an optional limit line. */
export function lineChart(title: string, points: Point[], o: { unit: string; min?: number; max?: number; limit?: number; id: string; zone: string }): SafeHtml {
  const W = 640;
  const H = 170;
  const L = 40;
  const B = 20;
  const T = 18;
  if (!points.length) return html`<figure class="chart" id="${o.id}"><figcaption>${title}</figcaption><p class="muted">—</p></figure>`;
  const values = points.map((p) => p.value);
  const lo = o.min ?? Math.floor(Math.min(...values) - 5);
  const hi = o.max ?? Math.ceil(Math.max(...values, o.limit ?? -Infinity) + 5);
  const t0 = points[0]!.at;
  const t1 = points[points.length - 1]!.at;
  const x = (t: number) => L + (t1 === t0 ? (W - L - 8) / 2 : ((t - t0) / (t1 - t0)) * (W - L - 8));
  const y = (v: number) => T + (1 - (v - lo) / (hi - lo || 1)) * (H - T - B);
  const path = points.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const peak = points.reduce((a, b) => (b.value > a.value ? b : a));
  // The site's calendar day: a sample at 01:00 China time belongs to that day, not UTC's previous one.
  const day = (t: number) => localDay(t, o.zone).slice(5);
  const limit = o.limit !== undefined ? html`<line x1="${L}" x2="${W - 8}" y1="${y(o.limit)}" y2="${y(o.limit)}" class="limit"/><text x="${W - 8}" y="${y(o.limit) - 3}" text-anchor="end" class="limit">${o.limit}${o.unit}</text>` : '';
  return html`<figure class="chart" id="${o.id}"><figcaption>${title}</figcaption>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${title}" data-points="${points.length}" data-peak="${peak.value.toFixed(1)}">
<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" class="axis"/><line x1="${L}" x2="${W - 8}" y1="${H - B}" y2="${H - B}" class="axis"/>
<text x="${L - 4}" y="${T + 4}" text-anchor="end">${hi}</text><text x="${L - 4}" y="${H - B}" text-anchor="end">${lo}</text>
<text x="${L}" y="${H - 4}">${day(t0)}</text><text x="${W - 8}" y="${H - 4}" text-anchor="end">${day(t1)}</text>
${limit}<polyline points="${path}" class="line"/>${points.length === 1 ? html`<circle cx="${x(t0)}" cy="${y(points[0]!.value)}" r="3" class="dot"/>` : ''}
<text x="${x(peak.at)}" y="${y(peak.value) - 4}" text-anchor="middle" class="peak">${peak.value.toFixed(1)}${o.unit}</text>
</svg></figure>`;
}
