import type { Migration } from './types.js';

/*
 * The core aggregates: sites, devices (the equipment record), tokens, reports with their raw
 * measurements, and the six check results of every report. Times in hot tables are epoch
 * milliseconds (INTEGER); the API turns them into ISO strings.
 */
export const migration001: Migration = {
  version: 1,
  name: 'core: sites, devices, tokens, reports, measurements, results',
  sql: `
CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  title TEXT,
  notes TEXT,
  -- ThresholdOverrides JSON (site, kinds, roles levels); the device level lives on devices.
  thresholds TEXT,
  -- Default expected report interval of the site's devices, seconds.
  expected_interval_s INTEGER,
  created_at INTEGER NOT NULL,
  last_seen INTEGER
);

CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  hostname TEXT NOT NULL,
  kind TEXT NOT NULL,
  -- role as reported by the source, and as set by a person (the latter wins).
  reported_role TEXT,
  role TEXT,
  vendor TEXT,
  model TEXT,
  serial TEXT,
  os TEXT,
  version TEXT,
  addresses TEXT NOT NULL DEFAULT '[]',
  notes TEXT,
  expected_interval_s INTEGER,
  -- ThresholdSet JSON: the device level of the overrides.
  thresholds TEXT,
  last_source TEXT,
  agent_id TEXT,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER,
  last_report_at INTEGER,
  last_heartbeat_at INTEGER,
  UNIQUE (site_id, hostname)
);

CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('agent', 'engineer', 'customer', 'admin')),
  -- Site name (a token may be made before the site's first report); NULL = global, admin only.
  site TEXT CHECK (site IS NOT NULL OR role = 'admin'),
  -- sha-256 of the token; the token itself is shown once and never stored.
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);

CREATE TABLE reports (
  id INTEGER PRIMARY KEY,
  report_id TEXT NOT NULL UNIQUE,
  device_id INTEGER NOT NULL REFERENCES devices(id),
  source TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  token_id INTEGER REFERENCES tokens(id),
  producer TEXT,
  measurement_count INTEGER NOT NULL,
  -- Measurement rows are dropped after the retention period; the report row stays.
  measurements_pruned INTEGER NOT NULL DEFAULT 0,
  identity TEXT NOT NULL,
  gaps TEXT NOT NULL
);
CREATE INDEX reports_device_window ON reports (device_id, window_end);
CREATE INDEX reports_received ON reports (received_at);

-- One row per measurement, clustered by report: one b-tree, appended in order.
CREATE TABLE measurements (
  report_id INTEGER NOT NULL REFERENCES reports(id),
  seq INTEGER NOT NULL,
  check_id TEXT NOT NULL,
  component TEXT NOT NULL,
  metric TEXT NOT NULL,
  value,
  unit TEXT,
  status TEXT,
  command TEXT NOT NULL,
  at INTEGER NOT NULL,
  -- Rare fields (kind, severity, limits, detail, boolean value) as JSON.
  extra TEXT,
  PRIMARY KEY (report_id, seq)
) WITHOUT ROWID;

-- What stays of numeric measurements after the retention period: hourly min/avg/max.
CREATE TABLE measurements_hourly (
  device_id INTEGER NOT NULL REFERENCES devices(id),
  check_id TEXT NOT NULL,
  component TEXT NOT NULL,
  metric TEXT NOT NULL,
  hour INTEGER NOT NULL,
  min REAL NOT NULL,
  avg REAL NOT NULL,
  max REAL NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (device_id, check_id, component, metric, hour)
) WITHOUT ROWID;

CREATE TABLE results (
  id INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports(id),
  device_id INTEGER NOT NULL REFERENCES devices(id),
  check_id TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('normal', 'abnormal', 'unknown')),
  -- The report window's end: what "latest" and history are ordered by (late spool flushes sort right).
  at INTEGER NOT NULL,
  result TEXT NOT NULL
);
CREATE INDEX results_device_check_at ON results (device_id, check_id, at, id);
`,
};
