import type { Migration } from '../storage/migrations/index.js';

/*
 * Monthly inspection records (巡检记录): one row per revision. A draft's rows are assembled live
 * from the month's results; the engineer's sign-off freezes them; the customer's confirmation
 * locks the revision, and an amendment starts revision n+1. Field inspections uploaded by the
 * CLI are kept whole, once per report id.
 */
export const migration012: Migration = {
  version: 12,
  name: 'inspections: monthly records with revisions, uploaded field inspections',
  sql: `
CREATE TABLE inspections (
  id INTEGER PRIMARY KEY,
  site TEXT NOT NULL,
  month TEXT NOT NULL,
  revision INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'confirmed')),
  notes TEXT NOT NULL DEFAULT '',
  amendment_reason TEXT,
  -- InspectionRow[] JSON, frozen at sign-off; NULL while a draft.
  rows TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  signed_by TEXT,
  signed_at INTEGER,
  confirmed_by TEXT,
  confirmed_at INTEGER,
  UNIQUE (site, month, revision)
);

CREATE TABLE inspection_uploads (
  report_id TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  month TEXT NOT NULL,
  hostname TEXT NOT NULL,
  kind TEXT,
  window_end INTEGER NOT NULL,
  -- The InspectionForm as uploaded (report and its results).
  form TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL
);
CREATE INDEX inspection_uploads_month ON inspection_uploads (site, month);
`,
};
