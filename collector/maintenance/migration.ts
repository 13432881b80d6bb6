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
