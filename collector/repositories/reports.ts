import type { Statement } from 'better-sqlite3';
import type { Gap, Measurement, Report } from '../../schemas/index.js';
import type { Db } from '../storage/db.js';
import { iso } from './json.js';

export interface ReportRow {
  id: number;
  reportId: string;
  deviceId: number;
  source: string;
  windowStart: number;
  windowEnd: number;
  receivedAt: number;
  tokenId: number | null;
  producer: string | null;
  measurementCount: number;
  measurementsPruned: boolean;
  identity: Report['identity'];
  gaps: Gap[];
}

interface RawReport {
  id: number;
  report_id: string;
  device_id: number;
  source: string;
  window_start: number;
  window_end: number;
  received_at: number;
  token_id: number | null;
  producer: string | null;
  measurement_count: number;
  measurements_pruned: number;
  identity: string;
  gaps: string;
}

const fromRaw = (r: RawReport): ReportRow => ({
  id: r.id,
  reportId: r.report_id,
  deviceId: r.device_id,
  source: r.source,
  windowStart: r.window_start,
  windowEnd: r.window_end,
  receivedAt: r.received_at,
  tokenId: r.token_id,
  producer: r.producer,
  measurementCount: r.measurement_count,
  measurementsPruned: r.measurements_pruned === 1,
  identity: JSON.parse(r.identity) as Report['identity'],
  gaps: JSON.parse(r.gaps) as Gap[],
});

export function reportJson(r: ReportRow) {
  return {
    id: r.reportId,
    source: r.source,
    window: { start: iso(r.windowStart), end: iso(r.windowEnd) },
    receivedAt: iso(r.receivedAt),
    producer: r.producer,
    measurementCount: r.measurementCount,
    measurementsPruned: r.measurementsPruned,
    identity: r.identity,
    gaps: r.gaps,
  };
}

const MEASUREMENT_CHUNK = 16;

type MeasurementArgs = [number, number, string, string, string, number | string | null, string | null, string | null, string, number, string | null];

interface RawMeasurement {
  seq: number;
  check_id: Measurement['check'];
  component: string;
  metric: string;
  value: number | string | null;
  unit: string | null;
  status: Measurement['status'] | null;
  command: string;
  at: number;
  extra: string | null;
}

interface Extra {
  kind?: string;
  severity?: Measurement['severity'];
  limits?: Measurement['limits'];
  detail?: string;
  /** The value was a boolean, stored as 0/1. */
  bool?: true;
}

export interface HourlyPoint {
  check: string;
  component: string;
  metric: string;
  hour: string;
  min: number;
  avg: number;
  max: number;
  count: number;
}

/** Reports and their raw measurements. */
export class ReportsRepository {
  private readonly byReportId: Statement<[string], { id: number }>;
  private readonly getStmt: Statement<[string], RawReport>;
  private readonly insertStmt: Statement<unknown[], { id: number }>;
  private readonly insertMeasurement: Statement<MeasurementArgs>;
  /** Multi-row INSERT of MEASUREMENT_CHUNK rows: one native call instead of 16. */
  private readonly insertMeasurementChunk: Statement<unknown[]>;
  private readonly measurementsStmt: Statement<[number], RawMeasurement>;
  private readonly byDevice: Statement<[number, number, number], RawReport>;
  private readonly oldUnpruned: Statement<[number, number], { id: number }>;
  private readonly rollup: Statement<[number]>;
  private readonly deleteMeasurements: Statement<[number]>;
  private readonly markPruned: Statement<[number]>;
  private readonly hourlyStmt: Statement<[number, number, number], Record<string, number | string>>;

  constructor(private readonly db: Db) {
    this.byReportId = db.prepare('SELECT id FROM reports WHERE report_id = ?');
    this.getStmt = db.prepare('SELECT * FROM reports WHERE report_id = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO reports (report_id, device_id, source, window_start, window_end, received_at, token_id, producer,
                            measurement_count, identity, gaps)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.insertMeasurement = db.prepare('INSERT INTO measurements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertMeasurementChunk = db.prepare(
      `INSERT INTO measurements VALUES ${Array.from({ length: MEASUREMENT_CHUNK }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    );
    this.measurementsStmt = db.prepare(
      'SELECT seq, check_id, component, metric, value, unit, status, command, at, extra FROM measurements WHERE report_id = ? ORDER BY seq',
    );
    this.byDevice = db.prepare(
      'SELECT * FROM reports WHERE device_id = ? AND window_end < ? ORDER BY window_end DESC, id DESC LIMIT ?',
    );
    this.oldUnpruned = db.prepare(
      'SELECT id FROM reports WHERE received_at < ? AND measurements_pruned = 0 ORDER BY received_at LIMIT ?',
    );
    // Numbers only; booleans (stored 0/1, flagged in extra) are states, not series.
    this.rollup = db.prepare(
      `INSERT INTO measurements_hourly (device_id, check_id, component, metric, hour, min, avg, max, count)
       SELECT r.device_id, m.check_id, m.component, m.metric, (m.at / 3600000) * 3600000,
              min(m.value), avg(m.value), max(m.value), count(*)
       FROM measurements m JOIN reports r ON r.id = m.report_id
       WHERE m.report_id = ? AND typeof(m.value) IN ('integer', 'real')
         AND (m.extra IS NULL OR json_extract(m.extra, '$.bool') IS NULL)
       GROUP BY 1, 2, 3, 4, 5
       ON CONFLICT (device_id, check_id, component, metric, hour) DO UPDATE SET
         min = min(min, excluded.min),
         max = max(max, excluded.max),
         avg = (avg * count + excluded.avg * excluded.count) / (count + excluded.count),
         count = count + excluded.count`,
    );
    this.deleteMeasurements = db.prepare('DELETE FROM measurements WHERE report_id = ?');
    this.markPruned = db.prepare('UPDATE reports SET measurements_pruned = 1 WHERE id = ?');
    this.hourlyStmt = db.prepare(
      `SELECT check_id, component, metric, hour, min, avg, max, count FROM measurements_hourly
       WHERE device_id = ? AND hour >= ? AND hour < ? ORDER BY check_id, component, metric, hour`,
    );
  }

  /** The row id of a report already stored under this id, if any. */
  findId(reportId: string): number | undefined {
    return this.byReportId.get(reportId)?.id;
  }

  get(reportId: string): ReportRow | undefined {
    const r = this.getStmt.get(reportId);
    return r && fromRaw(r);
  }

  /** Stores the report and its measurements; call inside the ingest transaction. */
  insert(report: Report, deviceId: number, tokenId: number | null, now: number): number {
    const { id } = this.insertStmt.get(
      report.id,
      deviceId,
      report.source,
      Date.parse(report.window.start),
      Date.parse(report.window.end),
      now,
      tokenId,
      report.producer ?? null,
      report.measurements.length,
      JSON.stringify(report.identity),
      JSON.stringify(report.gaps ?? []),
    )!;
    const ms = report.measurements;
    const full = ms.length - (ms.length % MEASUREMENT_CHUNK);
    const chunk: unknown[] = [];
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i]!;
      let value: number | string | null;
      let extra: Extra | undefined;
      if (typeof m.value === 'boolean') {
        value = m.value ? 1 : 0;
        extra = { bool: true };
      } else {
        value = m.value;
      }
      if (m.kind !== undefined || m.severity !== undefined || m.limits !== undefined || m.detail !== undefined) {
        extra = { ...extra, kind: m.kind, severity: m.severity, limits: m.limits, detail: m.detail };
      }
      const row: MeasurementArgs = [
        id, i, m.check, m.component, m.metric, value, m.unit ?? null, m.status ?? null, m.command, Date.parse(m.at),
        extra ? JSON.stringify(extra) : null,
      ];
      if (i < full) {
        chunk.push(...row);
        if (chunk.length === MEASUREMENT_CHUNK * row.length) {
          this.insertMeasurementChunk.run(...chunk);
          chunk.length = 0;
        }
      } else {
        this.insertMeasurement.run(...row);
      }
    }
    return id;
  }

  /** The measurements of a report as they were received (empty once pruned by retention). */
  measurements(reportRowId: number): Measurement[] {
    return this.measurementsStmt.all(reportRowId).map((r) => {
      const extra = r.extra ? (JSON.parse(r.extra) as Extra) : undefined;
      const m: Measurement = {
        check: r.check_id,
        component: r.component,
        metric: r.metric,
        value: extra?.bool ? r.value === 1 : r.value,
        command: r.command,
        at: new Date(r.at).toISOString(),
      };
      if (r.unit !== null) m.unit = r.unit;
      if (r.status !== null) m.status = r.status;
      if (extra?.kind !== undefined) m.kind = extra.kind;
      if (extra?.severity !== undefined) m.severity = extra.severity;
      if (extra?.limits !== undefined) m.limits = extra.limits;
      if (extra?.detail !== undefined) m.detail = extra.detail;
      return m;
    });
  }

  /** A device's reports, newest window first, before `beforeWindowEnd` (paging). */
  listByDevice(deviceId: number, limit: number, beforeWindowEnd = Number.MAX_SAFE_INTEGER): ReportRow[] {
    return this.byDevice.all(deviceId, beforeWindowEnd, limit).map(fromRaw);
  }

  /**
   * Retention: raw measurements of reports received before `cutoff` are folded into hourly
   * min/avg/max and deleted; the report rows, their results and the rollups stay. Works in
   * batches so the ingest path never waits long for the write lock.
   */
  pruneBefore(cutoff: number, batch = 200): { reports: number } {
    let total = 0;
    for (;;) {
      const done = this.pruneBatch(cutoff, batch);
      total += done;
      if (done < batch) return { reports: total };
    }
  }

  /** One batch of `pruneBefore` in its own transaction: how many reports it folded (< batch: none left). */
  pruneBatch(cutoff: number, batch = 200): number {
    return this.db.transaction(() => {
      const ids = this.oldUnpruned.all(cutoff, batch);
      for (const { id } of ids) {
        this.rollup.run(id);
        this.deleteMeasurements.run(id);
        this.markPruned.run(id);
      }
      return ids.length;
    })();
  }

  hourly(deviceId: number, from: number, to: number): HourlyPoint[] {
    return this.hourlyStmt.all(deviceId, from, to).map((r) => ({
      check: String(r.check_id),
      component: String(r.component),
      metric: String(r.metric),
      hour: new Date(Number(r.hour)).toISOString(),
      min: Number(r.min),
      avg: Number(r.avg),
      max: Number(r.max),
      count: Number(r.count),
    }));
  }
}
