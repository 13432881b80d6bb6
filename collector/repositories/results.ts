import { CHECK_IDS, type CheckId, type CheckResult, type Verdict } from '../../schemas/index.js';
import type { Param, Store } from '../storage/store.js';
import { iso } from './json.js';
import { multiRowInsert } from './multi-row.js';

export interface StoredResult {
  id: number;
  reportId: string;
  deviceId: number;
  check: CheckId;
  verdict: Verdict;
  /** The report window's end. */
  at: number;
  result: CheckResult;
}

interface RawResult {
  id: number;
  report_id: string;
  device_id: number;
  check_id: CheckId;
  verdict: Verdict;
  at: number;
  result: string;
}

const fromRaw = (r: RawResult): StoredResult => ({
  id: r.id,
  reportId: r.report_id,
  deviceId: r.device_id,
  check: r.check_id,
  verdict: r.verdict,
  at: r.at,
  result: JSON.parse(r.result) as CheckResult,
});

export function resultJson(r: StoredResult) {
  return { id: r.id, report: r.reportId, check: r.check, verdict: r.verdict, at: iso(r.at), result: r.result };
}

const SELECT = 'SELECT x.id, p.report_id, x.device_id, x.check_id, x.verdict, x.at, x.result FROM results x JOIN reports p ON p.id = x.report_id';

/** The six check ids as an SQL list (constants), so a query on results can seek the device's index per check. */
export const SIX_CHECKS = `(${CHECK_IDS.map((c) => `'${c}'`).join(', ')})`;

/**
 * A report's results, found through results_device_at (the device, the report's window end) rather
 * than an index of their own on report_id, which every ingest would pay for; `x.report_id = ?`
 * singles out the report among others of the same window.
 */
export const RESULTS_OF_REPORT = `${SELECT} WHERE x.device_id = ? AND x.check_id IN ${SIX_CHECKS} AND x.at = ? AND x.report_id = ? ORDER BY x.check_id`;

/** The results of a report, one statement (one round trip on PostgreSQL), their ids and checks back for results_latest. */
const insertResults = multiRowInsert('INSERT INTO results (report_id, device_id, check_id, verdict, at, result)', 6, 'RETURNING id, check_id');

/**
 * PostgreSQL: a report's results inserted beside its new row `r` in ingest's one statement
 * (ReportsRepository.insertJudged) — the device and window end once, then the checks, verdicts and
 * results (JSON) as three arrays unnested. The statement goes on with LATEST_OF_X.
 */
export const INSERT_RESULTS_OF_R = `INSERT INTO results (report_id, device_id, check_id, verdict, at, result)
   SELECT r.id, CAST(? AS BIGINT), u.check_id, u.verdict, CAST(? AS BIGINT), u.result
   FROM r, unnest(?::text[], ?::text[], ?::text[]) AS u(check_id, verdict, result)
   RETURNING id, device_id, check_id, at`;

/**
 * results_latest (migration 100) keeps, per device and check, the newest result by window end, then
 * id: a late spool flush (an older window, stored later) does not displace a newer result.
 */
const KEEP_NEWEST = `ON CONFLICT (device_id, check_id) DO UPDATE SET at = excluded.at, result_id = excluded.result_id
   WHERE excluded.at > results_latest.at OR (excluded.at = results_latest.at AND excluded.result_id > results_latest.result_id)`;

/** PostgreSQL: results_latest kept from the rows `x` that INSERT_RESULTS_OF_R returned, in the same statement. */
export const LATEST_OF_X = `INSERT INTO results_latest (device_id, check_id, at, result_id) SELECT device_id, check_id, at, id FROM x ${KEEP_NEWEST}`;

const keepLatest = multiRowInsert('INSERT INTO results_latest (device_id, check_id, at, result_id)', 4, KEEP_NEWEST);

/** The parameters of INSERT_RESULTS_OF_R. */
export function resultParams(deviceId: number, at: number, results: readonly CheckResult[]): Param[] {
  return [deviceId, at, results.map((r) => r.check), results.map((r) => r.verdict), results.map((r) => JSON.stringify(r))];
}

/** The six check results of every report. */
export class ResultsRepository {
  constructor(private readonly store: Store) {}

  async insertAll(reportRowId: number, deviceId: number, at: number, results: readonly CheckResult[]): Promise<void> {
    if (results.length === 0) return;
    const values: Param[] = [];
    for (const r of results) values.push(reportRowId, deviceId, r.check, r.verdict, at, JSON.stringify(r));
    const stored = await this.store.all<{ id: number; check_id: string }>(insertResults(results.length), values);
    const latest: Param[] = [];
    for (const r of stored) latest.push(deviceId, r.check_id, at, Number(r.id));
    await this.store.run(keepLatest(stored.length), latest);
  }

  /** The latest result of each of the six checks (by report window), absent checks omitted. */
  async latest(deviceId: number): Promise<StoredResult[]> {
    const rows = await this.store.all<RawResult>(
      `${SELECT} JOIN results_latest l ON l.result_id = x.id WHERE l.device_id = ? AND l.check_id IN ${SIX_CHECKS} ORDER BY l.check_id`,
      [deviceId],
    );
    return rows.map(fromRaw);
  }

  /** One check's results, newest first; pass the last row's cursor to get the next page. */
  async history(deviceId: number, check: CheckId, limit: number, cursor?: HistoryCursor): Promise<StoredResult[]> {
    // The device's results are read newest first and filtered by check: a check it never had would read them all.
    if (!(await this.store.get('SELECT 1 AS one FROM results_latest WHERE device_id = ? AND check_id = ?', [deviceId, check]))) return [];
    const at = cursor?.at ?? Number.MAX_SAFE_INTEGER;
    const id = cursor?.id ?? Number.MAX_SAFE_INTEGER;
    const rows = await this.store.all<RawResult>(
      `${SELECT} WHERE x.device_id = ? AND x.check_id = ? AND (x.at < ? OR (x.at = ? AND x.id < ?))
       ORDER BY x.at DESC, x.id DESC LIMIT ?`,
      [deviceId, check, at, at, id, limit],
    );
    return rows.map(fromRaw);
  }

  /** Every verdict of the device's six checks with its window end in [from, to), oldest first (no result JSON read). */
  async verdictsBetween(deviceId: number, from: number, to: number): Promise<{ check: CheckId; verdict: Verdict; at: number }[]> {
    return this.store.all<{ check: CheckId; verdict: Verdict; at: number }>(
      `SELECT x.check_id AS "check", x.verdict, x.at FROM results x
       WHERE x.device_id = ? AND x.check_id IN ${SIX_CHECKS} AND x.at >= ? AND x.at < ? ORDER BY x.at`,
      [deviceId, from, to],
    ).then((rows) => rows.map((r) => ({ check: r.check, verdict: r.verdict, at: Number(r.at) })));
  }

  /** The results of one stored report (its row id, device and window end, as in StoredReport). */
  async forReport(report: { id: number; deviceId: number; windowEnd: number }): Promise<StoredResult[]> {
    return (await this.store.all<RawResult>(RESULTS_OF_REPORT, [report.deviceId, report.windowEnd, report.id])).map(fromRaw);
  }
}

export interface HistoryCursor {
  at: number;
  id: number;
}

export const encodeCursor = (r: { at: number; id: number }): string => `${r.at}.${r.id}`;
export function decodeCursor(text: string): HistoryCursor | undefined {
  const m = /^(\d{1,16})\.(\d{1,16})$/.exec(text);
  return m ? { at: Number(m[1]), id: Number(m[2]) } : undefined;
}
