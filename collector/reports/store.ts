import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/db.js';
import { SIX_CHECKS } from '../repositories/results.js';
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
 * reports), rather than one query per device.
 */
export class ReportQueries {
  private readonly raw: Statement<[{ start: number; end: number; site: string }]>;
  private readonly hourly: Statement<[{ start: number; end: number; site: string }]>;
  private readonly seriesStmt: Statement<[{ device: number; start: number; end: number }]>;
  private readonly thresholdsStmt: Statement<[{ report: string }], { check: string; threshold: string | null }>;

  constructor(db: Db) {
    // SQLite returns the bare column m.at from the row holding max(m.value): the peak's time.
    this.raw = db.prepare(
      `SELECT r.device_id AS deviceId, m.component, m.metric, sum(m.value) AS sum, count(*) AS count, max(m.value) AS max, m.at AS maxAt
       FROM devices d JOIN sites s ON s.id = d.site_id
       JOIN reports r ON r.device_id = d.id AND r.window_end >= @start AND r.window_end < @end
       JOIN measurements m ON m.report_id = r.id
       WHERE s.name = @site AND m.metric IN ('cpu.avg', 'cpu.max', 'memory.used') AND typeof(m.value) IN ('integer', 'real')
       GROUP BY r.device_id, m.component, m.metric`,
    );
    this.hourly = db.prepare(
      `SELECT h.device_id AS deviceId, h.component, h.metric, sum(h.avg * h.count) AS sum, sum(h.count) AS count, max(h.max) AS max, h.hour AS maxAt
       FROM devices d JOIN sites s ON s.id = d.site_id
       JOIN measurements_hourly h ON h.device_id = d.id AND h.hour >= @start AND h.hour < @end
       WHERE s.name = @site AND h.metric IN ('cpu.avg', 'cpu.max', 'memory.used')
       GROUP BY h.device_id, h.component, h.metric`,
    );
    this.seriesStmt = db.prepare(
      `SELECT r.window_end AS at, m.component, m.metric, m.value
       FROM reports r JOIN measurements m ON m.report_id = r.id
       WHERE r.device_id = @device AND r.window_end >= @start AND r.window_end < @end
         AND m.metric IN ('cpu.avg', 'memory.used', 'temperature') AND typeof(m.value) IN ('integer', 'real')
       ORDER BY r.window_end`,
    );
    // json_extract reads only the threshold out of each stored result, not the whole JSON; the device,
    // each check and the window end lead to the rows through results_device_check_at.
    this.thresholdsStmt = db.prepare(
      `SELECT x.check_id AS "check", json_extract(x.result, '$.threshold') AS threshold
       FROM reports r JOIN results x
         ON x.device_id = r.device_id AND x.check_id IN ${SIX_CHECKS} AND x.at = r.window_end AND x.report_id = r.id
       WHERE r.report_id = @report
       UNION ALL
       SELECT json_extract(j.value, '$.check'), json_extract(j.value, '$.threshold')
       FROM inspection_uploads u, json_each(u.form, '$.results') j WHERE u.report_id = @report`,
    );
  }

  /** The thresholds each check of a report was judged against: of a received report, else of a field upload. */
  thresholdsOfReport(reportId: string): Map<string, AppliedThresholds> {
    const out = new Map<string, AppliedThresholds>();
    for (const r of this.thresholdsStmt.all({ report: reportId })) {
      if (r.threshold && !out.has(r.check)) out.set(r.check, JSON.parse(r.threshold) as AppliedThresholds);
    }
    return out;
  }

  /** Raw CPU, memory and temperature readings of one device over [start, end), by report window. */
  series(deviceId: number, start: number, end: number): SeriesReading[] {
    return this.seriesStmt.all({ device: deviceId, start, end }) as SeriesReading[];
  }

  /** CPU and memory aggregates of every device of the site over [start, end). */
  performance(site: string, start: number, end: number): MetricAggregate[] {
    const rows = [...(this.raw.all({ start, end, site }) as MetricAggregate[]), ...(this.hourly.all({ start, end, site }) as MetricAggregate[])];
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
