import { localMonth } from '../../checks/index.js';
import type { Lang } from '../../schemas/index.js';
import { contractYearOf, contractYearPeriod } from './period.js';

/*
 * The periods the dashboard's reports page offers for each kind, newest first, so a past period is
 * a choice rather than a typed URL: every month, quarter, half year and contract year from the
 * site's first record (at least two years back) to the current one, in the site's time zone.
 */

/** One choice: the query value the report route takes and its words. */
export interface PeriodChoice {
  value: string;
  label: string;
}

export interface PeriodChoices {
  months: PeriodChoice[];
  quarters: PeriodChoice[];
  halves: PeriodChoice[];
  years: PeriodChoice[];
  /** The current period of each kind (the default selection). */
  current: { month: string; quarter: string; half: string; year: string };
}

const MIN_MONTHS = 24;
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function periodChoices(lang: Lang, nowMs: number, firstMs: number, zone: string, contractStart: string | undefined): PeriodChoices {
  const zh = lang === 'zh';
  const [ny, nm] = localMonth(nowMs, zone).split('-').map(Number) as [number, number];
  const [fy, fm] = localMonth(Math.min(firstMs, nowMs), zone).split('-').map(Number) as [number, number];
  const count = Math.max(MIN_MONTHS, (ny - fy) * 12 + (nm - fm) + 1);
  const months: PeriodChoice[] = [];
  const quarters: PeriodChoice[] = [];
  const halves: PeriodChoice[] = [];
  for (let i = 0; i < count; i++) {
    const index = ny * 12 + (nm - 1) - i;
    const y = Math.floor(index / 12);
    const m = (index % 12) + 1;
    const value = `${y}-${String(m).padStart(2, '0')}`;
    months.push({ value, label: zh ? `${y}年${m}月` : `${MONTHS_EN[m - 1]} ${y}` });
    const q = Math.ceil(m / 3);
    if (i === 0 || m % 3 === 0) quarters.push({ value: `${y}-Q${q}`, label: zh ? `${y}年第${q}季度` : `${y} Q${q}` });
    const h = m <= 6 ? 1 : 2;
    if (i === 0 || m % 6 === 0) halves.push({ value: `${y}-H${h}`, label: zh ? `${y}年${h === 1 ? '上' : '下'}半年` : `${y} ${h === 1 ? 'first' : 'second'} half` });
  }
  const lastYear = Number(contractYearOf(nowMs, contractStart, zone));
  const firstYear = Math.min(lastYear - 1, Number(contractYearOf(Math.min(firstMs, nowMs), contractStart, zone)));
  const years: PeriodChoice[] = [];
  for (let y = lastYear; y >= firstYear; y--) {
    const p = contractYearPeriod(String(y), contractStart, zone);
    const span = `${p.firstDay} ~ ${p.lastDay}`;
    years.push({ value: String(y), label: p.label === String(y) ? (zh ? `${y}年度` : String(y)) : zh ? `${y}合同年度 (${span})` : `${y} contract year (${span})` });
  }
  return {
    months,
    quarters,
    halves,
    years,
    current: { month: months[0]!.value, quarter: quarters[0]!.value, half: halves[0]!.value, year: years[0]!.value },
  };
}
