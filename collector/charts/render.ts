import { createRequire } from 'node:module';
import type * as ECharts from 'echarts';
import { formatLocalTime, localDay, offsetMinutes } from '../../checks/index.js';
import { escapeHtml } from '../html/index.js';
import type { BarChartSpec, ChartFrame, ChartSpec, LineChartSpec, PieChartSpec, StatusChartSpec, TimePoint } from './spec.js';

/**
 * Apache ECharts' server-side renderer draws each chart to an SVG string (no browser, no canvas),
 * the same markup for the page (inline), the HTML report (inline) and the PDF (svg-to-pdfkit).
 *
 * Three things are done to ECharts' SVG afterwards, each for a reason:
 * - `style="…"` attributes become presentation attributes and the `<style>` element (hover
 *   emphasis) is dropped: the dashboard's CSP (`style-src 'self'`) refuses inline styles, and the
 *   PDF converter reads attributes more reliably than CSS.
 * - Hover: ECharts' tooltip needs its script in the browser; pages allow only same-origin scripts
 *   and reports none, so each point (or, for dense lines, each column of the plot) carries a native
 *   `<title>` (local time and value) that every browser shows on hover without any script.
 * - Times: ECharts formats in the process's zone or UTC, never another; readings are shifted to
 *   the site's wall clock and drawn with `useUTC`, so ticks fall on the site's midnights and label
 *   its local hours whatever zone the server runs in.
 */

/**
 * ECharts is loaded when the first chart is drawn, and as its one-file CommonJS bundle: its ES
 * modules are hundreds of files, ~1 s of CPU to import, which every command paid at start
 * (a `collector token` or `inspect` draws no chart) and the bundle costs a quarter of. Same
 * version, same API, same SVG.
 */
let loaded: typeof ECharts | undefined;
const echarts = (): typeof ECharts => (loaded ??= createRequire(import.meta.url)('echarts') as typeof ECharts);

const PALETTE = ['#1d4ed8', '#0f766e', '#c2410c', '#7c3aed', '#be185d', '#4d7c0f'];
const LIMIT_COLOUR = '#b91c1c';
const GRID = { left: 56, right: 24, top: 40, bottom: 64 };
/** Dense lines get one hover column per this many pixels, not one per reading. */
const COLUMN_PX = 4;

type Option = Record<string, unknown>;
const MAX = { zh: '最高', en: 'max' };
const AVG = { zh: '平均', en: 'avg' };
type TitleOf = (series: number, index: number) => string | undefined;

const base = (title: string, empty: boolean): Option => ({
  animation: false,
  aria: { enabled: false },
  color: PALETTE,
  textStyle: { fontFamily: 'sans-serif' },
  title: { text: title, left: 'center', top: 6, textStyle: { fontSize: 13 }, ...(empty ? { subtext: '—', subtextStyle: { fontSize: 14 } } : {}) },
  legend: { bottom: 4, type: 'plain' },
});

/** A figure for a title: counts (no unit) whole, measures to one decimal (three digits whole). */
const round = (v: number, unit = '%') => ((unit === '' && Number.isInteger(v)) || Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1));
const dateFormats = { year: '{yyyy}', month: '{MM}-{dd}', day: '{MM}-{dd}', hour: '{HH}:{mm}', minute: '{HH}:{mm}', second: '{HH}:{mm}:{ss}', millisecond: '{HH}:{mm}:{ss}', none: '{MM}-{dd} {HH}:{mm}' };

/** The site's wall-clock reading of an instant, as if it were UTC (what ECharts draws with useUTC). */
const wall = (ms: number, zone: string) => ms + offsetMinutes(ms, zone) * 60_000;

/**
 * A line broken where readings stop: a gap of more than three usual intervals (at least six hours,
 * at most a day and a half) gets a null between, so a device silent for days is not drawn as steady.
 */
function withGaps(points: TimePoint[], zone: string): [number, number | null][] {
  const sorted = [...points].sort((a, b) => a.at - b.at);
  const steps = sorted.slice(1).map((p, i) => p.at - sorted[i]!.at).sort((a, b) => a - b);
  const usual = steps.length ? steps[Math.floor(steps.length / 2)]! : 0;
  const gap = Math.max(6 * 3_600_000, Math.min(3 * usual, 36 * 3_600_000));
  const out: [number, number | null][] = [];
  sorted.forEach((p, i) => {
    const prev = sorted[i - 1];
    if (prev && p.at - prev.at > gap) out.push([wall((prev.at + p.at) / 2, zone), null]);
    out.push([wall(p.at, zone), p.value]);
  });
  return out;
}

function lineOption(spec: LineChartSpec, frame: Required<ChartFrame>): { option: Option; from: number; to: number } {
  const all = spec.series.flatMap((s) => s.points.map((p) => p.at));
  const from = spec.from ?? (all.length ? Math.min(...all) : Date.now());
  const to = spec.to ?? (all.length ? Math.max(...all) : from + 86_400_000);
  const x0 = wall(from, frame.zone);
  const x1 = Math.max(wall(to, frame.zone), x0 + 60_000);
  const series: Option[] = spec.series.map((s) => ({
    type: 'line',
    name: s.name,
    data: withGaps(s.points, frame.zone),
    // Sparse readings keep their dots: a reading alone between two gaps would otherwise not show.
    showSymbol: s.points.length <= 60,
    symbolSize: 6,
    sampling: 'lttb',
    lineStyle: { width: 1.6 },
    connectNulls: false,
  }));
  if (spec.limit) {
    series.push({
      type: 'line',
      name: spec.limit.label,
      data: [[x0, spec.limit.value], [x1, spec.limit.value]],
      symbol: 'none',
      color: LIMIT_COLOUR,
      lineStyle: { type: 'dashed', width: 1.2, color: LIMIT_COLOUR },
    });
  }
  const option: Option = {
    ...base(spec.title, all.length === 0),
    useUTC: true,
    grid: GRID,
    xAxis: { type: 'time', min: x0, max: x1, axisLabel: { formatter: dateFormats, hideOverlap: true, fontSize: 11 }, splitLine: { show: false } },
    yAxis: {
      type: 'value',
      ...(spec.min !== undefined ? { min: spec.min } : { scale: true }),
      ...(spec.max !== undefined ? { max: spec.max } : {}),
      axisLabel: { formatter: `{value}${spec.unit.replace(/[{}]/g, '')}`, fontSize: 11 },
    },
    series,
  };
  return { option, from, to };
}

/** Hover columns over a time plot: each names its local time(s) and every series' value(s) there. */
function lineHover(spec: LineChartSpec, frame: Required<ChartFrame>, from: number, to: number): string {
  const x0 = wall(from, frame.zone);
  const x1 = Math.max(wall(to, frame.zone), x0 + 60_000);
  const plot = frame.width - GRID.left - GRID.right;
  const top = GRID.top;
  const height = frame.height - GRID.top - GRID.bottom;
  const columns = Math.max(1, Math.floor(plot / COLUMN_PX));
  const buckets = new Map<number, { series: number; p: TimePoint }[]>();
  spec.series.forEach((s, si) => {
    for (const p of s.points) {
      const w = wall(p.at, frame.zone);
      if (w < x0 || w > x1) continue;
      const col = Math.min(columns - 1, Math.floor(((w - x0) / (x1 - x0)) * columns));
      const list = buckets.get(col) ?? [];
      list.push({ series: si, p });
      buckets.set(col, list);
    }
  });
  const width = plot / columns;
  const out: string[] = [];
  for (const [col, list] of [...buckets].sort((a, b) => a[0] - b[0])) {
    const times = list.map((x) => x.p.at);
    const first = Math.min(...times);
    const last = Math.max(...times);
    const when = first === last ? formatLocalTime(first, frame.zone) : `${formatLocalTime(first, frame.zone)} – ${formatLocalTime(last, frame.zone)}`;
    const lines = [when];
    spec.series.forEach((s, si) => {
      const values = list.filter((x) => x.series === si).map((x) => x.p.value);
      if (!values.length) return;
      if (values.length === 1) lines.push(`${s.name}: ${round(values[0]!)}${spec.unit}`);
      else lines.push(`${s.name}: ${MAX[frame.lang]} ${round(Math.max(...values))}${spec.unit}, ${AVG[frame.lang]} ${round(values.reduce((a, b) => a + b, 0) / values.length)}${spec.unit} (${values.length})`);
    });
    out.push(`<rect class="hover" x="${(GRID.left + col * width).toFixed(1)}" y="${top}" width="${width.toFixed(1)}" height="${height}" fill="#1d4ed8" fill-opacity="0"><title>${escapeHtml(lines.join('\n'))}</title></rect>`);
  }
  return `<g class="hovers">${out.join('')}</g>`;
}

function barOption(spec: BarChartSpec): { option: Option; title: TitleOf } {
  const option: Option = {
    ...base(spec.title, spec.categories.length === 0),
    grid: GRID,
    xAxis: { type: 'category', data: spec.categories, axisLabel: { interval: 0, hideOverlap: true, fontSize: 11 } },
    yAxis: {
      type: 'value',
      ...(spec.min !== undefined ? { min: spec.min } : {}),
      ...(spec.max !== undefined ? { max: spec.max } : {}),
      axisLabel: { formatter: `{value}${spec.unit.replace(/[{}]/g, '')}`, fontSize: 11 },
    },
    series: spec.series.map((s) => ({ type: 'bar', name: s.name, data: s.values.map((v) => (v === null ? '-' : v)), label: { show: spec.categories.length <= 12, position: 'top', fontSize: 10 } })),
  };
  const title: TitleOf = (si, i) => {
    const s = spec.series[si];
    const v = s?.values[i];
    return s && v !== undefined ? `${spec.categories[i] ?? ''} · ${s.name}: ${v === null ? '—' : `${round(v, spec.unit)}${spec.unit}`}` : undefined;
  };
  return { option, title };
}

function pieOption(spec: PieChartSpec): { option: Option; title: TitleOf } {
  const slices = spec.slices.filter((s) => s.value > 0);
  const total = slices.reduce((a, s) => a + s.value, 0);
  const option: Option = {
    ...base(spec.title, slices.length === 0),
    series: [{ type: 'pie', radius: spec.donut ? ['38%', '62%'] : '62%', center: ['50%', '52%'], data: slices.map((s) => ({ name: s.name, value: s.value })), label: { formatter: '{b}: {c}', fontSize: 11 } }],
  };
  const title: TitleOf = (si, i) => {
    const s = si === 0 ? slices[i] : undefined;
    return s ? `${s.name}: ${round(s.value, spec.unit)}${spec.unit} (${((s.value / total) * 100).toFixed(1)}%)` : undefined;
  };
  return { option, title };
}

/** Local days from `from` to `to` inclusive (`YYYY-MM-DD`, calendar arithmetic, no zone needed). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 3660; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

function statusOption(spec: StatusChartSpec, frame: Required<ChartFrame>): { option: Option; title: TitleOf } {
  const days = daysBetween(spec.fromDay, spec.toDay);
  const index = new Map(days.map((d, i) => [d, i]));
  // Room for the longest row label (CJK characters are about twice as wide as Latin ones).
  const labelWidth = Math.max(...spec.rows.map((r) => [...r].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 11 : 6.5), 0)), 40) + 12;
  const plot = frame.width - labelWidth - GRID.right;
  const rowHeight = (frame.height - GRID.top - GRID.bottom) / Math.max(1, spec.rows.length);
  const perState = spec.states.map((s) => spec.marks.filter((m) => m.state === s.key && index.has(m.day) && m.row < spec.rows.length));
  const option: Option = {
    ...base(spec.title, false),
    grid: { ...GRID, left: labelWidth },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)), boundaryGap: true, axisLabel: { hideOverlap: true, fontSize: 11 }, splitLine: { show: false } },
    yAxis: { type: 'category', data: spec.rows, inverse: true, axisLabel: { fontSize: 11 } },
    series: spec.states.map((s, si) => ({
      type: 'scatter',
      name: s.label,
      large: false,
      symbol: 'rect',
      symbolSize: [Math.max(1, plot / Math.max(1, days.length) - 1), Math.max(4, rowHeight * 0.6)],
      color: s.colour,
      data: perState[si]!.map((m) => [index.get(m.day)!, m.row]),
    })),
  };
  const title: TitleOf = (si, i) => {
    const m = perState[si]?.[i];
    return m ? `${spec.rows[m.row] ?? ''} · ${m.day} · ${spec.states[si]!.label}${m.note ? ` · ${m.note}` : ''}` : undefined;
  };
  return { option, title };
}

/** `font: normal bold 12px sans-serif` or `font-size:12px;…` as SVG presentation attributes. */
function styleToAttributes(style: string): string {
  const attrs: string[] = [];
  for (const decl of style.split(';')) {
    const at = decl.indexOf(':');
    if (at < 0) continue;
    const name = decl.slice(0, at).trim().toLowerCase();
    const value = decl.slice(at + 1).trim();
    if (!/^[a-z-]+$/.test(name) || !value) continue;
    if (name === 'font') {
      const words = value.split(/\s+/);
      const size = words.findIndex((w) => /^\d+(\.\d+)?px$/.test(w));
      if (size < 0) continue;
      const weight = words.slice(0, size).find((w) => /^(bold|bolder|lighter|\d00)$/.test(w));
      const italic = words.slice(0, size).includes('italic');
      attrs.push(`font-size="${parseFloat(words[size]!)}"`, `font-family="${escapeHtml(words.slice(size + 1).join(' ') || 'sans-serif')}"`);
      if (weight) attrs.push(`font-weight="${weight}"`);
      if (italic) attrs.push('font-style="italic"');
    } else {
      attrs.push(`${name}="${escapeHtml(name === 'font-size' ? String(parseFloat(value)) : value)}"`);
    }
  }
  return attrs.join(' ');
}

/** ECharts' SVG made fit for a strict CSP and a PDF, with a native hover title on each mark. */
function finish(svg: string, title: TitleOf | undefined, extra: string, root: string): string {
  let out = svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_m, style: string) => ` ${styleToAttributes(style.replace(/&quot;/g, '"'))}`);
  if (title) {
    const seen = new Set<string>();
    out = out.replace(/<path\b([^>]*?) ecmeta_series_index="(\d+)" ecmeta_data_index="(\d+)" ecmeta_ssr_type="chart"([^>]*)><\/path>/g, (m, before: string, s: string, d: string, after: string) => {
      const key = `${s}.${d}`;
      const text = seen.has(key) ? undefined : title(Number(s), Number(d));
      seen.add(key);
      return text === undefined ? m : `<path${before}${after}><title>${escapeHtml(text)}</title></path>`;
    });
  }
  // A label's white halo is drawn under its text with paint-order, which svg-to-pdfkit ignores (it
  // would paint the halo over the text and hide it): labels go without one.
  out = out.replace(/<text\b[^>]* paint-order="stroke"[^>]*>/g, (tag) => tag.replace(/ (stroke|stroke-width|stroke-miterlimit|paint-order)="[^"]*"/g, ''));
  out = out.replace(/ ecmeta_[a-z_]+="[^"]*"/g, '');
  return out.replace(/^<svg\b/, `<svg ${root}`).replace(/<\/svg>\s*$/, `${extra}</svg>`);
}

/**
 * The chart as standalone SVG markup, every text escaped (names may come from devices). The root
 * carries `role="img"`, the title as its label, and for time charts the local days it spans
 * (`data-from`, `data-to`).
 */
export function renderChart(spec: ChartSpec, frame: ChartFrame): string {
  const f: Required<ChartFrame> = { width: 720, height: 280, lang: 'zh', ...frame };
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width: f.width, height: f.height });
  try {
    let title: TitleOf | undefined;
    let extra = '';
    let span = '';
    if (spec.type === 'line') {
      const { option, from, to } = lineOption(spec, f);
      chart.setOption(option);
      extra = lineHover(spec, f, from, to);
      span = ` data-from="${localDay(from, f.zone)}" data-to="${localDay(to, f.zone)}"`;
    } else {
      const built = spec.type === 'bar' ? barOption(spec) : spec.type === 'pie' ? pieOption(spec) : statusOption(spec, f);
      chart.setOption(built.option);
      title = built.title;
      if (spec.type === 'status') span = ` data-from="${escapeHtml(spec.fromDay)}" data-to="${escapeHtml(spec.toDay)}"`;
    }
    const root = `class="xj-chart xj-chart-${spec.type}" role="img" aria-label="${escapeHtml(spec.title)}"${span}`;
    return finish(chart.renderToSVGString(), title, extra, root);
  } finally {
    chart.dispose();
  }
}
