import type { Lang } from '../../../schemas/index.js';
import type { CellValue, ReportDocument } from '../document.js';
import { formatTime, word } from '../labels.js';
import { kindTerm } from '../../terms.js';
import { signatureBlock } from './plan-sections.js';
import type { Period } from '../period.js';
import { dailyTrendChart, type DailyFigure } from './charts.js';

/** One device's CPU and memory figures over the month (from raw measurements and hourly rollups). */
export interface PerformanceRow {
  hostname: string;
  kind: string;
  cpuAvg: number | null;
  cpuPeak: number | null;
  cpuPeakAt: number | null;
  memAvg: number | null;
  memPeak: number | null;
  memPeakAt: number | null;
  samples: number;
}

export interface PerformanceReportInput {
  site: string;
  siteTitle: string | null;
  timeZone: string;
  lang: Lang;
  now: Date;
  month: string;
  devices: PerformanceRow[];
  /** The limits the peaks are compared with (the site's SXKR-001 peakMax and SXKR-002 usedMax). */
  limits: { cpuPeak: number; memory: number };
  /** The whole site by local day, for the trend charts (absent: no charts). */
  daily?: { period: Period; cpu: DailyFigure[]; memory: DailyFigure[] };
}

const num = (v: number | null): CellValue => (v === null ? '—' : v.toFixed(1));

/** 性能分析报告: CPU and memory averages and peaks per device, the devices over their limits first. */
export function buildPerformanceReport(input: PerformanceReportInput): ReportDocument {
  const { lang, limits } = input;
  const w = (k: Parameters<typeof word>[1]) => word(lang, k);
  const measured = input.devices.filter((d) => d.samples > 0);
  const cpuOver = measured.filter((d) => d.cpuPeak !== null && d.cpuPeak > limits.cpuPeak);
  const memOver = measured.filter((d) => d.memPeak !== null && d.memPeak > limits.memory);
  const tone = (v: number | null, limit: number): CellValue => (v === null ? '—' : { text: v.toFixed(1), tone: v > limit ? 'abnormal' : 'normal' });
  const columns = [
    { label: w('device'), width: 1.6 },
    { label: w('kind'), width: 0.8 },
    { label: w('cpuAvg'), width: 0.9, align: 'right' as const },
    { label: w('cpuPeak'), width: 0.9, align: 'right' as const },
    { label: w('cpuPeakAt'), width: 1.5 },
    { label: w('memAvg'), width: 0.9, align: 'right' as const },
    { label: w('memPeak'), width: 0.9, align: 'right' as const },
    { label: w('memPeakAt'), width: 1.5 },
    { label: w('samples'), width: 0.7, align: 'right' as const },
  ];
  const row = (d: PerformanceRow): CellValue[] => [
    d.hostname,
    kindTerm(lang, d.kind),
    num(d.cpuAvg),
    tone(d.cpuPeak, limits.cpuPeak),
    formatTime(d.cpuPeakAt, input.timeZone),
    num(d.memAvg),
    tone(d.memPeak, limits.memory),
    formatTime(d.memPeakAt, input.timeZone),
    d.samples,
  ];
  const top = [...measured].filter((d) => d.cpuPeak !== null).sort((a, b) => b.cpuPeak! - a.cpuPeak!).slice(0, 10);
  const avgOf = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? v.reduce((s, x) => s + x, 0) / v.length : null;
  };
  const siteCpu = avgOf(measured.map((d) => d.cpuAvg));
  const siteMem = avgOf(measured.map((d) => d.memAvg));
  const summary =
    lang === 'zh'
      ? `本月 ${measured.length} 台设备有性能数据；平均CPU利用率 ${siteCpu === null ? '—' : siteCpu.toFixed(1)}%，平均内存利用率 ${siteMem === null ? '—' : siteMem.toFixed(1)}%。CPU峰值超过 ${limits.cpuPeak}% 的设备 ${cpuOver.length} 台，内存峰值超过 ${limits.memory}% 的设备 ${memOver.length} 台。`
      : `${measured.length} devices have performance data this month; average CPU ${siteCpu === null ? '—' : siteCpu.toFixed(1)} %, average memory ${siteMem === null ? '—' : siteMem.toFixed(1)} %. ${cpuOver.length} devices peaked above ${limits.cpuPeak} % CPU and ${memOver.length} above ${limits.memory} % memory.`;
  const advice = [...cpuOver.map((d) => d.hostname), ...memOver.map((d) => d.hostname)];
  return {
    kind: 'performance',
    lang,
    title: w('performanceTitle'),
    site: input.site,
    siteTitle: input.siteTitle,
    timeZone: input.timeZone,
    period: input.month,
    generatedAt: input.now.toISOString(),
    facts: [
      { key: 'devices', label: w('deviceCount'), value: String(input.devices.length) },
      { key: 'measured', label: w('devicesMeasured'), value: String(measured.length) },
      { key: 'cpuOver', label: w('cpuOverLimit'), value: String(cpuOver.length), tone: cpuOver.length ? 'abnormal' : 'normal' },
      { key: 'memOver', label: w('memOverLimit'), value: String(memOver.length), tone: memOver.length ? 'abnormal' : 'normal' },
    ],
    sections: [
      { heading: w('summary'), paragraphs: [summary] },
      ...(input.daily
        ? [
            { heading: w('cpuTrend'), chart: dailyTrendChart(lang, w('cpuTrend'), input.daily.cpu, limits.cpuPeak, input.daily.period) },
            { heading: w('memTrend'), chart: dailyTrendChart(lang, w('memTrend'), input.daily.memory, limits.memory, input.daily.period) },
          ]
        : []),
      { heading: w('topCpu'), table: { columns, rows: top.map(row) } },
      { heading: w('perDevice'), table: { columns, rows: input.devices.map(row) } },
      {
        heading: w('advice'),
        paragraphs: advice.length
          ? [...new Set(advice)].map((h) => (lang === 'zh' ? `${h}：负载偏高，建议分析业务高峰并考虑扩容或调优。` : `${h}: high load; review the peak workload and consider tuning or capacity.`))
          : [w('none')],
      },
    ],
    signatures: signatureBlock(lang),
    landscape: true,
  };
}
