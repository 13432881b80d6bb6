import type { Migration } from './types.js';

/*
 * Issue 16 (ingest): the results index had six insertion points per device, one per check
 * (device_id, check_id, at, id). A report dirtied six leaves of it, and with 16 devices reporting
 * the index was the largest part of what a group commit wrote to the log: 51.7 of 111 pages per
 * batch of 8 reports. Keyed on (device_id, at, id), a report's six results are neighbours: one
 * place per device (75 pages per batch, COMMIT ~150 -> ~90 µs per report).
 *
 * What the old key served — each check's newest result without reading the others — moves to
 * results_latest: per device and check, the newest result by window end (then id), kept by the
 * same statement that stores results (ResultsRepository). It is derived from results and nothing
 * else writes it; results themselves are never updated or deleted.
 */
const backfill = `
INSERT INTO results_latest (device_id, check_id, at, result_id)
  SELECT p.device_id, p.check_id, y.at, y.id
  FROM (SELECT DISTINCT device_id, check_id FROM results) p
  JOIN results y ON y.id = (SELECT z.id FROM results z WHERE z.device_id = p.device_id AND z.check_id = p.check_id
                            ORDER BY z.at DESC, z.id DESC LIMIT 1);
CREATE INDEX results_device_at ON results (device_id, at, id);
DROP INDEX results_device_check_at;
`;

export const migration100: Migration = {
  version: 100,
  name: 'results: one index place per device, the newest result per check beside',
  sql: `
CREATE TABLE results_latest (
  device_id INTEGER NOT NULL,
  check_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  result_id INTEGER NOT NULL,
  PRIMARY KEY (device_id, check_id)
) WITHOUT ROWID;
${backfill}`,
  postgres: `
CREATE TABLE results_latest (
  device_id BIGINT NOT NULL,
  check_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  result_id BIGINT NOT NULL,
  PRIMARY KEY (device_id, check_id)
);
${backfill}`,
};
