import type { Migration } from '../storage/migrations/index.js';

/*
 * Maintenance requests (维护申请, service plan 5.3) and the devices each covers. Every record is
 * kept: a request is cancelled or rejected, never deleted.
 */
export const migration011: Migration = {
  version: 11,
  name: 'maintenance: requests and the devices their windows cover',
  sql: `
CREATE TABLE maintenance_requests (
  id INTEGER PRIMARY KEY,
  site TEXT NOT NULL,
  purpose TEXT NOT NULL,
  engineer TEXT NOT NULL,
  recorder TEXT,
  steps TEXT NOT NULL,
  hardware_changes TEXT NOT NULL,
  software_changes TEXT NOT NULL,
  expected_duration_min INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  emergency INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'cancelled')),
  requested_by TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  decided_by TEXT,
  decided_at INTEGER,
  decision_note TEXT
);
CREATE INDEX maintenance_requests_site ON maintenance_requests (site, window_start);

CREATE TABLE maintenance_devices (
  request_id INTEGER NOT NULL REFERENCES maintenance_requests(id),
  site TEXT NOT NULL,
  hostname TEXT NOT NULL,
  PRIMARY KEY (request_id, hostname)
) WITHOUT ROWID;
CREATE INDEX maintenance_devices_device ON maintenance_devices (site, hostname);
`,
};

/*
 * The plan's safeguards and the execution record (issue 11): rollback plan (应急方案), the
 * customer's representative, the removable-media attestation, and the statuses through execution
 * with actual start, end, work done and outcome. SQLite cannot widen a CHECK in place, so both
 * tables are rebuilt (the devices table too: it references the requests table by name, and
 * dropping a referenced table with foreign keys on fails). Rows filed before keep NULL in the new
 * columns: the page shows them as not recorded.
 */
export const migration065: Migration = {
  version: 65,
  name: 'maintenance: rollback plan, customer representative, media check, execution record',
  sql: `
CREATE TABLE maintenance_requests_v65 (
  id INTEGER PRIMARY KEY,
  site TEXT NOT NULL,
  purpose TEXT NOT NULL,
  engineer TEXT NOT NULL,
  recorder TEXT,
  steps TEXT NOT NULL,
  hardware_changes TEXT NOT NULL,
  software_changes TEXT NOT NULL,
  expected_duration_min INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  emergency INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'rejected', 'cancelled', 'in_progress', 'completed', 'rolled_back')),
  requested_by TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  decided_by TEXT,
  decided_at INTEGER,
  decision_note TEXT,
  rollback_plan TEXT,
  customer_representative TEXT,
  removable_media TEXT CHECK (removable_media IN ('none', 'virus-checked')),
  started_by TEXT,
  actual_start INTEGER,
  finished_by TEXT,
  actual_end INTEGER,
  work_done TEXT,
  outcome TEXT
);
INSERT INTO maintenance_requests_v65 (id, site, purpose, engineer, recorder, steps, hardware_changes, software_changes,
  expected_duration_min, window_start, window_end, emergency, status, requested_by, requested_at, decided_by, decided_at, decision_note)
SELECT id, site, purpose, engineer, recorder, steps, hardware_changes, software_changes,
  expected_duration_min, window_start, window_end, emergency, status, requested_by, requested_at, decided_by, decided_at, decision_note
FROM maintenance_requests;

CREATE TABLE maintenance_devices_v65 (
  request_id INTEGER NOT NULL REFERENCES maintenance_requests_v65(id),
  site TEXT NOT NULL,
  hostname TEXT NOT NULL,
  PRIMARY KEY (request_id, hostname)
) WITHOUT ROWID;
INSERT INTO maintenance_devices_v65 SELECT request_id, site, hostname FROM maintenance_devices;

DROP TABLE maintenance_devices;
DROP TABLE maintenance_requests;
ALTER TABLE maintenance_requests_v65 RENAME TO maintenance_requests;
ALTER TABLE maintenance_devices_v65 RENAME TO maintenance_devices;
CREATE INDEX maintenance_requests_site ON maintenance_requests (site, window_start);
CREATE INDEX maintenance_devices_device ON maintenance_devices (site, hostname);
`,
};
