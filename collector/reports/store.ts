import { numericMeasurement } from '../repositories/reports.js';
import { SIX_CHECKS } from '../repositories/results.js';
import type { Store } from '../storage/store.js';
import type { AppliedThresholds } from './wording.js';

/** One device × component × metric over a period: from raw measurements or hourly rollups. */
export interface MetricAggregate {
  deviceId: number;
  component: string;
  metric: string;
  /** Sum of values (avg × count for rollups), so raw and rolled-up periods combine exactly. */
  sum: number;
  count: number;
  max: number;
  maxAt: number;
}

/** One metric of a whole site on one local day (`day`: days since the epoch, local). */
export interface DailyAggregate {
  day: number;
  metric: string;
  /** Of the aggregate component ("CPU", "system"), else of the others (cores, pools). */
  aggregate: boolean;
  sum: number;
  count: number;
  max: number;
}

export interface SeriesReading {
  at: number;
  component: string;
  metric: string;
  value: number;
}

export const PERFORMANCE_METRICS = ['cpu.avg', 'cpu.max', 'memory.used'] as const;

/**
 * The reports' read-only queries that the core repositories do not offer: monthly aggregates
 * of CPU and memory over a whole site in two statements (raw rows, then hourly rollups of pruned
 * reports), rather than one query per device. Where the engines differ (the peak's time, reading
 * JSON arrays) each engine has its own text, built once here.
 */
export class ReportQueries {
  private readonly rawSql: string;
  private readonly hourlySql: string;
  private readonly seriesSql: string;
  private readonly thresholdsSql: string;

  constructor(private readonly store: Store) {
    const { numeric, value } = numericMeasurement(store);
    const sqlite = store.engine === 'sqlite';
    // SQLite returns a bare column from the row holding max(): the peak's time. PostgreSQL has no
    // bare columns; the first time of the values ordered from the largest is the same row's.
    const peakAt = (at: string, by: string) => (sqlite ? at : `(array_agg(${at} ORDER BY ${by} DESC))[1]`);
    this.rawSql = `SELECT r.device_id AS "deviceId", m.component, m.metric, sum(${value}) AS sum, count(*) AS count, max(${value}) AS max, ${peakAt('m.at', value)} AS "maxAt"
       FROM devices d JOIN sites s ON s.id = d.site_id
       JOIN reports r ON r.device_id = d.id AND r.window_end >= @start AND r.window_end < @end
       JOIN measurements m ON m.report_id = r.id
       WHERE s.name = @site AND m.metric IN ('cpu.avg', 'cpu.max', 'memory.used') AND ${numeric}
       GROUP BY r.device_id, m.component, m.metric`;
    this.hourlySql = `SELECT h.device_id AS "deviceId", h.component, h.metric, sum(h.avg * h.count) AS sum, sum(h.count) AS count, max(h.max) AS max, ${peakAt('h.hour', 'h.max')} AS "maxAt"
       FROM devices d JOIN sites s ON s.id = d.site_id
       JOIN measurements_hourly h ON h.device_id = d.id AND h.hour >= @start AND h.hour < @end
       WHERE s.name = @site AND h.metric IN ('cpu.avg', 'cpu.max', 'memory.used')
       GROUP BY h.device_id, h.component, h.metric`;
    this.seriesSql = `SELECT r.window_end AS at, m.component, m.metric, ${value} AS value
       FROM reports r JOIN measurements m ON m.report_id = r.id
       WHERE r.device_id = @device AND r.window_end >= @start AND r.window_end < @end
         AND m.metric IN ('cpu.avg', 'memory.used', 'temperature') AND ${numeric}
       ORDER BY r.window_end`;
    // Only the threshold is read out of each stored result, not the whole JSON; the device and the
    // window end lead to the rows through results_device_at.
    const { jsonText } = store.dialect;
    const uploads = sqlite
      ? `SELECT json_extract(j.value, '$.check'), json_extract(j.value, '$.threshold')
         FROM inspection_uploads u, json_each(u.form, '$.results') j WHERE u.report_id = @report`
      : `SELECT j.value ->> 'check', j.value ->> 'threshold'
         FROM inspection_uploads u, json_array_elements(u.form::json -> 'results') j WHERE u.report_id = @report`;
    this.thresholdsSql = `SELECT x.check_id AS "check", ${jsonText('x.result', 'threshold')} AS threshold
       FROM reports r JOIN results x
         ON x.device_id = r.device_id AND x.check_id IN ${SIX_CHECKS} AND x.at = r.window_end AND x.report_id = r.id
       WHERE r.report_id = @report
       UNION ALL
       ${uploads}`;
  }

  /** The thresholds each check of a report was judged against: of a received report, else of a field upload. */
  async thresholdsOfReport(reportId: string): Promise<Map<string, AppliedThresholds>> {
    const out = new Map<string, AppliedThresholds>();
    for (const r of await this.store.all<{ check: string; threshold: string | null }>(this.thresholdsSql, { report: reportId })) {
      if (r.threshold && !out.has(r.check)) out.set(r.check, JSON.parse(r.threshold) as AppliedThresholds);
    }
    return out;
  }

  /** Raw CPU, memory and temperature readings of one device over [start, end), by report window. */
  series(deviceId: number, start: number, end: number): Promise<SeriesReading[]> {
    return this.store.all<SeriesReading>(this.seriesSql, { device: deviceId, start, end });
  }

  /**
   * CPU and memory of the whole site by local day over [start, end), aggregate components apart from
   * the others: sum, count and maximum of every reading (raw measurements, then hourly rollups of pruned reports). Days are cut at the site's
   * midnight with its offset at `start` (a daylight-saving change moves one hour to the next day).
   */
  async daily(site: string, start: number, end: number, offsetMs: number): Promise<DailyAggregate[]> {
    if (!Number.isSafeInteger(offsetMs)) throw new Error(`offset ${offsetMs} is not an integer`);
    const { numeric, value } = numericMeasurement(this.store);
    const agg = (c: string) => `CASE WHEN lower(${c}) IN ('cpu', 'cpus', 'system', 'total', 'all', 'memory') THEN 1 ELSE 0 END`;
    const raw = `SELECT (r.window_end + ${offsetMs}) / 86400000 AS day, m.metric, ${agg('m.component')} AS aggregate, sum(${value}) AS sum, count(*) AS count, max(${value}) AS max
       FROM devices d JOIN sites s ON s.id = d.site_id
       JOIN reports r ON r.device_id = d.id AND r.window_end >= @start AND r.window_end < @end
       JOIN measurements m ON m.report_id = r.id
       WHERE s.name = @site AND m.metric IN ('cpu.avg', 'cpu.max', 'memory.used') AND ${numeric}
       GROUP BY 1, m.metric, 3`;
    const hourly = `SELECT (h.hour + ${offsetMs}) / 86400000 AS day, h.metric, ${agg('h.component')} AS aggregate, sum(h.avg * h.count) AS sum, sum(h.count) AS count, max(h.max) AS max
       FROM devices d JOIN sites s ON s.id = d.site_id
       JOIN measurements_hourly h ON h.device_id = d.id AND h.hour >= @start AND h.hour < @end
       WHERE s.name = @site AND h.metric IN ('cpu.avg', 'cpu.max', 'memory.used')
       GROUP BY 1, h.metric, 3`;
    const merged = new Map<string, DailyAggregate>();
    for (const sql of [raw, hourly]) {
      for (const r of await this.store.all<DailyAggregate>(sql, { start, end, site })) {
        const row = { day: Number(r.day), metric: r.metric, aggregate: Number(r.aggregate) === 1, sum: Number(r.sum), count: Number(r.count), max: Number(r.max) };
        const key = `${row.day} ${row.metric} ${row.aggregate}`;
        const m = merged.get(key);
        if (!m) merged.set(key, row);
        else (m.sum += row.sum), (m.count += row.count), (m.max = Math.max(m.max, row.max));
      }
    }
    return [...merged.values()].sort((a, b) => a.day - b.day);
  }

  /** CPU and memory aggregates of every device of the site over [start, end). */
  async performance(site: string, start: number, end: number): Promise<MetricAggregate[]> {
    const rows = [...(await this.store.all<MetricAggregate>(this.rawSql, { start, end, site })), ...(await this.store.all<MetricAggregate>(this.hourlySql, { start, end, site }))];
    const merged = new Map<string, MetricAggregate>();
    for (const r of rows) {
      const key = `${r.deviceId}\u0000${r.component}\u0000${r.metric}`;
      const m = merged.get(key);
      if (!m) merged.set(key, { ...r });
      else {
        m.sum += r.sum;
        m.count += r.count;
        if (r.max > m.max) (m.max = r.max), (m.maxAt = r.maxAt);
      }
    }
    return [...merged.values()];
  }
}
