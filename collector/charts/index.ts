/** Charts for pages and reports: a typed spec in, SVG out (Apache ECharts' server-side renderer). */
export type { BarChartSpec, ChartFrame, ChartSpec, LineChartSpec, LineSeries, PieChartSpec, StatusChartSpec, TimePoint } from './spec.js';
export { daysBetween, renderChart } from './render.js';
