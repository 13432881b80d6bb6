/**
 * What a chart shows, as data: builders and pages say this, `renderChart` draws it. A spec holds no
 * markup and no library option, so a report document stays plain data (CSV and XLSX ignore charts).
 */

/** One reading at an instant (ms since the epoch). */
export interface TimePoint {
  at: number;
  value: number;
}

export interface LineSeries {
  name: string;
  points: TimePoint[];
}

/** Lines over time, with an optional dashed limit (a threshold) and fixed value bounds. */
export interface LineChartSpec {
  type: 'line';
  title: string;
  /** Printed after values on the axis and in hover titles: `%`, `°C`. */
  unit: string;
  series: LineSeries[];
  limit?: { label: string; value: number };
  min?: number;
  max?: number;
  /** The span the time axis covers even when readings start later or stop earlier (ms). */
  from?: number;
  to?: number;
}

/** Bars per category (one series per colour). A `null` value is drawn as no bar, never as 0. */
export interface BarChartSpec {
  type: 'bar';
  title: string;
  unit: string;
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  min?: number;
  max?: number;
}

/** Shares of a whole; `donut` leaves a hole in the middle. */
export interface PieChartSpec {
  type: 'pie';
  title: string;
  unit: string;
  slices: { name: string; value: number }[];
  donut?: boolean;
}

/**
 * States over time: one row per item (a check), one mark per local day in the state of that day.
 * A day without a mark had no result — missing data is never drawn as normal.
 */
export interface StatusChartSpec {
  type: 'status';
  title: string;
  rows: string[];
  /** Drawn in this order; the colour is the state's in every chart. */
  states: { key: string; label: string; colour: string }[];
  marks: { row: number; day: string; state: string; note?: string }[];
  /** Local days `YYYY-MM-DD`, first and last, the axis covers. */
  fromDay: string;
  toDay: string;
}

export type ChartSpec = LineChartSpec | BarChartSpec | PieChartSpec | StatusChartSpec;

export interface ChartFrame {
  /** The site's IANA zone: axis labels and hover titles are its wall-clock time. */
  zone: string;
  /** The words the chart adds itself (a hover column's "max"/"avg"); default Chinese. */
  lang?: 'zh' | 'en';
  width?: number;
  height?: number;
}
