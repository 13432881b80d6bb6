import type { Migration } from '../storage/migrations/index.js';

/*
 * Confidentiality (3.4.5): the alias a customer is shown for a report id that may carry an
 * address (users/report-aliases.ts). Made when first shown; no foreign key, since a field
 * upload's form may name a report the collector never received.
 */
export const migration050: Migration = {
  version: 50,
  name: 'confidentiality: report id aliases shown to customers',
  sql: `
CREATE TABLE report_aliases (
  report_id TEXT PRIMARY KEY,
  alias TEXT NOT NULL UNIQUE
) WITHOUT ROWID;
`,
};
