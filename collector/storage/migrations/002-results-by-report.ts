import type { Migration } from './types.js';

/*
 * `GET /api/v1/reports/:id` lists the results a report produced. Without this index that query
 * read the whole results table (six rows per report, every report kept), so it slowed down month
 * by month; with it, it reads six rows.
 */
export const migration002: Migration = {
  version: 2,
  name: 'storage: results by report',
  sql: `CREATE INDEX results_report ON results (report_id);`,
};
