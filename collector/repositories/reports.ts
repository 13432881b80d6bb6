import type { CheckResult, Gap, Measurement, Report } from '../../schemas/index.js';
import type { Param, Store } from '../storage/store.js';
import { iso } from './json.js';
import { multiRowInsert } from './multi-row.js';
import { INSERT_RESULTS_OF_R, LATEST_OF_X, ResultsRepository, resultParams } from './results.js';

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

/** Rows per multi-row INSERT: one statement per report for the usual 60, far below either engine's parameter limit. */
const MEASUREMENT_CHUNK = 256;
const MEASUREMENT_COLUMNS = 11;

const insertMeasurements = multiRowInsert('INSERT INTO measurements', MEASUREMENT_COLUMNS);

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
  /** The value was text (PostgreSQL keeps every value in a TEXT column; SQLite keeps its type). */
  text?: true;
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

/**
 * How a query reads the numeric measurements of `measurements m`: numbers only — booleans (stored
 * 0/1, flagged in extra) and text are states, not series. SQLite keeps each value's type;
 * PostgreSQL keeps values as text, told apart by extra's flags, and casts them back.
 */
export function numericMeasurement(store: Pick<Store, 'engine' | 'dialect'>): { numeric: string; value: string } {
  if (store.engine === 'sqlite') return { numeric: `typeof(m.value) IN ('integer', 'real') AND (m.extra IS NULL OR json_extract(m.extra, '$.bool') IS NULL)`, value: 'm.value' };
  return {
    numeric: `m.value IS NOT NULL AND (m.extra IS NULL OR (${store.dialect.jsonText('m.extra', 'bool')} IS NULL AND ${store.dialect.jsonText('m.extra', 'text')} IS NULL))`,
    value: 'CAST(m.value AS DOUBLE PRECISION)',
  };
}

/** The only flag a measurement without rare fields may carry, as stored: one constant text each. */
const FLAG_ONLY = { bool: JSON.stringify({ bool: true }), text: JSON.stringify({ text: true }) } as const;

/**
 * A measurement's value and its rare fields as stored: booleans as 0/1 and text flagged in `extra`
 * (JSON). Only the fields present are set: `{ ...extra, kind: m.kind, … }` with undefined values
 * made JSON.stringify take its slow path — 100 µs of a 60-measurement report's ingest, now 20.
 */
function storedForm(m: Measurement): { value: number | string | null; extra: string | null } {
  const bool = typeof m.value === 'boolean';
  const value = bool ? (m.value ? 1 : 0) : (m.value as number | string | null);
  const flag = bool ? 'bool' : typeof value === 'string' ? 'text' : undefined;
  if (m.kind === undefined && m.severity === undefined && m.limits === undefined && m.detail === undefined) {
    return { value, extra: flag === undefined ? null : FLAG_ONLY[flag] };
  }
  const extra: Extra = {};
  if (flag !== undefined) extra[flag] = true;
  if (m.kind !== undefined) extra.kind = m.kind;
  if (m.severity !== undefined) extra.severity = m.severity;
  if (m.limits !== undefined) extra.limits = m.limits;
  if (m.detail !== undefined) extra.detail = m.detail;
  return { value, extra: JSON.stringify(extra) };
}

/**
 * Date.parse for a report's measurement times, which are nearly always one and the same string:
 * ~250 ns a call, sixty calls a report, where comparing with the last string costs nothing.
 */
function instants(): (at: string) => number {
  let last: string | undefined;
  let ms = 0;
  return (at) => (at === last ? ms : (ms = Date.parse((last = at))));
}

/** The values of INSERT_REPORT. */
function reportRow(report: Report, deviceId: number, tokenId: number | null, now: number): Param[] {
  return [
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
  ];
}

const INSERT_REPORT = `INSERT INTO reports (report_id, device_id, source, window_start, window_end, received_at, token_id, producer,
                        measurement_count, identity, gaps)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`;

/** INSERT_REPORT that inserts nothing, and returns no row, for a report id stored already. */
const INSERT_NEW_REPORT = INSERT_REPORT.replace(' RETURNING id', ' ON CONFLICT (report_id) DO NOTHING RETURNING id');

/**
 * PostgreSQL: a report's measurements as ten column arrays (seq … extra) for one unnest — eleven
 * parameters with the report's id, not 660, which PostgreSQL parses, binds and plans far more
 * cheaply. Values in text, as PostgreSQL keeps them.
 */
function measurementColumns(ms: readonly Measurement[]): (string | number | null)[][] {
  const columns: (string | number | null)[][] = Array.from({ length: MEASUREMENT_COLUMNS - 1 }, () => []);
  const instant = instants();
  for (let i = 0; i < ms.length; i++) {
    const m = ms[i]!;
    const { value, extra } = storedForm(m);
    const row = [i, m.check, m.component, m.metric, value === null ? null : String(value), m.unit ?? null, m.status ?? null, m.command, instant(m.at), extra];
    for (let c = 0; c < row.length; c++) columns[c]!.push(row[c]!);
  }
  return columns;
}

/** Reports and their raw measurements. */
export class ReportsRepository {
  private readonly rollupSql: string;

  private readonly results: ResultsRepository;

  constructor(private readonly store: Store) {
    this.results = new ResultsRepository(store);
    const { numeric, value } = numericMeasurement(store);
    const { least, greatest } = store.dialect;
    this.rollupSql = `INSERT INTO measurements_hourly (device_id, check_id, component, metric, hour, min, avg, max, count)
       SELECT r.device_id, m.check_id, m.component, m.metric, (m.at / 3600000) * 3600000,
              min(${value}), avg(${value}), max(${value}), count(*)
       FROM measurements m JOIN reports r ON r.id = m.report_id
       WHERE m.report_id = ? AND ${numeric}
       GROUP BY r.device_id, m.check_id, m.component, m.metric, (m.at / 3600000) * 3600000
       ON CONFLICT (device_id, check_id, component, metric, hour) DO UPDATE SET
         min = ${least('measurements_hourly.min', 'excluded.min')},
         max = ${greatest('measurements_hourly.max', 'excluded.max')},
         avg = (measurements_hourly.avg * measurements_hourly.count + excluded.avg * excluded.count) / (measurements_hourly.count + excluded.count),
         count = measurements_hourly.count + excluded.count`;
  }

  async get(reportId: string): Promise<ReportRow | undefined> {
    const r = await this.store.get<RawReport>('SELECT * FROM reports WHERE report_id = ?', [reportId]);
    return r && fromRaw(r);
  }

  /**
   * Stores the report, its measurements and its results (the checks it was judged on, at its
   * window's end); call inside the ingest transaction. On PostgreSQL one statement, one round trip:
   * the report's row, its measurements (ten arrays unnested beside the new row's id, values in
   * text as PostgreSQL keeps them — see storedValue) and its results. On either engine a report id
   * already stored inserts nothing and answers undefined: the duplicate check is the report row's
   * insert itself, and the caller rolls its transaction back.
   */
  async insertJudged(report: Report, deviceId: number, tokenId: number | null, now: number, results: readonly CheckResult[]): Promise<number | undefined> {
    const at = Date.parse(report.window.end);
    if (this.store.engine !== 'postgres') {
      const id = await this.insertSqlite(report, deviceId, tokenId, now, INSERT_NEW_REPORT);
      if (id === undefined) return undefined;
      await this.results.insertAll(id, deviceId, at, results);
      return id;
    }
    const row = await this.store.get<{ id: number }>(
      `WITH r AS (${INSERT_NEW_REPORT}),
            m AS (INSERT INTO measurements (report_id, seq, check_id, component, metric, value, unit, status, command, at, extra)
                  SELECT r.id, u.* FROM r, unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[]) AS u),
            x AS (${INSERT_RESULTS_OF_R}),
            l AS (${LATEST_OF_X})
       SELECT id FROM r`,
      [...reportRow(report, deviceId, tokenId, now), ...measurementColumns(report.measurements), ...resultParams(deviceId, at, results)],
    );
    return row?.id;
  }

  /** Stores the report and its measurements (no results); call inside a transaction. */
  async insert(report: Report, deviceId: number, tokenId: number | null, now: number): Promise<number> {
    if (this.store.engine === 'postgres') {
      const id = await this.insertJudged(report, deviceId, tokenId, now, []);
      if (id === undefined) throw new Error(`report ${report.id} is stored already`);
      return id;
    }
    return (await this.insertSqlite(report, deviceId, tokenId, now, INSERT_REPORT))!;
  }

  /** SQLite: the report's row by `insertRow` (undefined when it inserted none), then its measurements. */
  private async insertSqlite(report: Report, deviceId: number, tokenId: number | null, now: number, insertRow: string): Promise<number | undefined> {
    const row = reportRow(report, deviceId, tokenId, now);
    const ms = report.measurements;
    const inserted = await this.store.get<{ id: number }>(insertRow, row);
    if (!inserted) return undefined;
    const { id } = inserted;
    let rows: Param[] = [];
    const instant = instants();
    for (let i = 0; i < ms.length; i++) {
      const m = ms[i]!;
      const { value, extra } = storedForm(m);
      rows.push(id, i, m.check, m.component, m.metric, value, m.unit ?? null, m.status ?? null, m.command, instant(m.at), extra);
      if (rows.length === MEASUREMENT_CHUNK * MEASUREMENT_COLUMNS) {
        await this.store.run(insertMeasurements(MEASUREMENT_CHUNK), rows);
        rows = [];
      }
    }
    if (rows.length > 0) await this.store.run(insertMeasurements(rows.length / MEASUREMENT_COLUMNS), rows);
    return id;
  }

  /** The measurements of a report as they were received (empty once pruned by retention). */
  async measurements(reportRowId: number): Promise<Measurement[]> {
    const rows = await this.store.all<RawMeasurement>(
      'SELECT seq, check_id, component, metric, value, unit, status, command, at, extra FROM measurements WHERE report_id = ? ORDER BY seq',
      [reportRowId],
    );
    return rows.map((r) => {
      const extra = r.extra ? (JSON.parse(r.extra) as Extra) : undefined;
      const m: Measurement = {
        check: r.check_id,
        component: r.component,
        metric: r.metric,
        value: storedValue(r.value, extra, this.store.engine !== 'sqlite'),
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
  async listByDevice(deviceId: number, limit: number, beforeWindowEnd = Number.MAX_SAFE_INTEGER): Promise<ReportRow[]> {
    const sql = 'SELECT * FROM reports WHERE device_id = ? AND window_end < ? ORDER BY window_end DESC, id DESC LIMIT ?';
    return (await this.store.all<RawReport>(sql, [deviceId, beforeWindowEnd, limit])).map(fromRaw);
  }

  /**
   * Retention: raw measurements of reports received before `cutoff` are folded into hourly
   * min/avg/max and deleted; the report rows, their results and the rollups stay. Works in
   * batches so the ingest path never waits long for the write lock.
   */
  async pruneBefore(cutoff: number, batch = 200): Promise<{ reports: number }> {
    let total = 0;
    for (;;) {
      const done = await this.pruneBatch(cutoff, batch);
      total += done;
      if (done < batch) return { reports: total };
    }
  }

  /** One batch of `pruneBefore` in its own transaction: how many reports it folded (< batch: none left). */
  async pruneBatch(cutoff: number, batch = 200): Promise<number> {
    return this.store.transaction(async () => {
      const ids = await this.store.all<{ id: number }>(
        'SELECT id FROM reports WHERE received_at < ? AND measurements_pruned = 0 ORDER BY received_at LIMIT ?',
        [cutoff, batch],
      );
      for (const { id } of ids) {
        await this.store.run(this.rollupSql, [id]);
        await this.store.run('DELETE FROM measurements WHERE report_id = ?', [id]);
        await this.store.run('UPDATE reports SET measurements_pruned = 1 WHERE id = ?', [id]);
      }
      return ids.length;
    });
  }

  async hourly(deviceId: number, from: number, to: number): Promise<HourlyPoint[]> {
    const rows = await this.store.all<Record<string, number | string>>(
      `SELECT check_id, component, metric, hour, min, avg, max, count FROM measurements_hourly
       WHERE device_id = ? AND hour >= ? AND hour < ? ORDER BY check_id, component, metric, hour`,
      [deviceId, from, to],
    );
    return rows.map((r) => ({
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

/**
 * A stored value as it was sent: a boolean from 0/1, text as text, a number as a number — on
 * PostgreSQL every value comes back as text, so a value not flagged as text is a number.
 */
function storedValue(value: number | string | null, extra: Extra | undefined, valuesAsText: boolean): Measurement['value'] {
  if (value === null) return null;
  if (extra?.bool) return Number(value) === 1;
  if (extra?.text || typeof value === 'number') return value;
  // SQLite rows written before the text flag keep their type: a string there is text.
  return valuesAsText ? Number(value) : value;
}
