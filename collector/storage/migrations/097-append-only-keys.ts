import type { Migration } from './types.js';

/*
 * PostgreSQL checks a foreign key with a trigger per inserted row: sixty measurements and six
 * results a report meant 66 extra lookups of the report's row (with row locks) in every ingest,
 * a third of the measurement insert's cost. Both tables are written only by ingest, in the
 * transaction that has just inserted the report and with the id it returned, and reports are
 * never deleted (retention prunes measurements, then keeps the report row with a count). The
 * keys guard against nothing there, so PostgreSQL drops them. SQLite keeps its (a B-tree probe
 * in the same page cache costs it next to nothing, and dropping one there rebuilds the table).
 */
export const migration097: Migration = {
  version: 97,
  name: 'measurements and results: no per-row key check against reports on PostgreSQL',
  sql: 'SELECT 1;',
  postgres: `
ALTER TABLE measurements DROP CONSTRAINT IF EXISTS measurements_report_id_fkey;
ALTER TABLE results DROP CONSTRAINT IF EXISTS results_report_id_fkey;
`,
};
