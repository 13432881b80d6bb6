import { CHECK_IDS, type Lang, type Ticket } from '../../../schemas/index.js';
import type { BarChartSpec, LineChartSpec, PieChartSpec, TimePoint } from '../../charts/index.js';
import { checkName, word } from '../labels.js';
import { monthPeriod, monthsOf, type Period } from '../period.js';
import { availability, downtimeOf } from './health.js';

/** The charts the reports draw (collector/charts renders them), built from the builders' own inputs. */

/** A site's CPU or memory by local day: the mean of every reading and the day's peak. */
export interface DailyFigure {
  /** The local day's midnight (an instant). */
  at: number;
  mean: number;
  peak: number;
}

/** Daily mean and peak with the limit the peaks are judged against, over the whole period. */
export function dailyTrendChart(lang: Lang, title: string, days: DailyFigure[], limit: number, period: Period): LineChartSpec {
  const series = (name: string, pick: (d: DailyFigure) => number) => ({ name, points: days.map((d): TimePoint => ({ at: d.at, value: pick(d) })) });
  return {
    type: 'line',
    title,
    unit: '%',
    series: [series(word(lang, 'dailyMean'), (d) => d.mean), series(word(lang, 'dailyPeak'), (d) => d.peak)],
    limit: { label: `${word(lang, 'limit')} ${limit}%`, value: limit },
    min: 0,
    max: 100,
    from: period.start,
    to: period.end - 1,
  };
}

/** Tickets of the period by what failed (each SXKR check, device down, reported by hand). */
export function faultsBySubjectChart(lang: Lang, tickets: Ticket[]): PieChartSpec {
  return {
    type: 'pie',
    title: word(lang, 'faultsBySubject'),
    unit: '',
    donut: true,
    slices: [...CHECK_IDS, 'down', 'manual'].map((s) => ({ name: checkName(lang, s), value: tickets.filter((t) => t.subject === s).length })),
  };
}

/**
 * Hardware availability of each month of the period that has begun (a month yet to come is no bar,
 * not 100 %). The axis starts near the lowest month: availability lives just under 100 %.
 */
export function availabilityByMonthChart(lang: Lang, deviceCount: number, tickets: Ticket[], period: Period, zone: string, now: number): BarChartSpec {
  const months = monthsOf(period, zone);
  const values = months.map((m) => {
    const p = monthPeriod(m, zone);
    if (p.start > now) return null;
    const down = tickets.reduce((s, t) => s + downtimeOf(t, p, now), 0);
    const a = availability(deviceCount, down, p, now);
    return a === null ? null : Math.round(a * 100) / 100;
  });
  const known = values.filter((v): v is number => v !== null);
  return {
    type: 'bar',
    title: word(lang, 'availabilityByMonth'),
    unit: '%',
    categories: months,
    series: [{ name: word(lang, 'availability'), values }],
    min: known.length ? Math.min(99, Math.floor(Math.min(...known))) : 0,
    max: 100,
  };
}
