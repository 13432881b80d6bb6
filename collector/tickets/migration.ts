import type { Migration } from '../storage/migrations/index.js';

/*
 * Fault tickets (故障单): one row per ticket, its stamped steps and system events, the on-site
 * service reports and spare-part replacements, each site's SLA profile, and per-device silence
 * state. Times are epoch milliseconds.
 */
export const migration010: Migration = {
  version: 10,
  name: 'tickets: tickets, events, service reports, parts, SLA profiles, device liveness',
  sql: `
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices(id),
  -- SXKR-00x, 'down' (silent device) or 'manual' (reported by a person).
  subject TEXT NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
  emergency INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('open', 'responded', 'on_site', 'resolved', 'confirmed', 'closed')),
  symptom TEXT NOT NULL,
  suspected_cause TEXT,
  device_model TEXT,
  opened_at INTEGER NOT NULL,
  opened_by TEXT NOT NULL,
  -- When the check turned normal again / the silent device reported; NULL again on relapse.
  recovered_at INTEGER,
  emergency_plan_at INTEGER,
  closed_at INTEGER
);
-- Never a second ticket for the same device and check while one is open (people may file several).
CREATE UNIQUE INDEX tickets_one_active ON tickets (device_id, subject) WHERE status <> 'closed' AND subject <> 'manual';
CREATE INDEX tickets_status ON tickets (status, opened_at);
CREATE INDEX tickets_device ON tickets (device_id, opened_at);

CREATE TABLE ticket_events (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  event TEXT NOT NULL,
  by_name TEXT NOT NULL,
  token_id INTEGER,
  at INTEGER NOT NULL,
  note TEXT
);
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE TABLE ticket_service_reports (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  arrived_at INTEGER NOT NULL,
  work_done TEXT NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('fixed', 'not_fixed', 'partly_fixed')),
  open_issues TEXT,
  customer_evaluation TEXT,
  by_name TEXT NOT NULL,
  token_id INTEGER,
  at INTEGER NOT NULL
);
CREATE INDEX ticket_service_reports_ticket ON ticket_service_reports (ticket_id, id);

CREATE TABLE ticket_parts (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  part TEXT NOT NULL,
  old_serial TEXT NOT NULL,
  new_serial TEXT NOT NULL,
  replaced_at INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  token_id INTEGER,
  at INTEGER NOT NULL
);
CREATE INDEX ticket_parts_ticket ON ticket_parts (ticket_id, id);

-- A site's SLA profile: only what differs from the contract defaults (SlaProfile JSON).
CREATE TABLE site_sla (
  site TEXT PRIMARY KEY,
  profile TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL
);

-- Silence state per device; missed_reports NULL = the site's profile.
CREATE TABLE device_liveness (
  device_id INTEGER PRIMARY KEY REFERENCES devices(id),
  missed_reports INTEGER,
  state TEXT NOT NULL DEFAULT 'up' CHECK (state IN ('up', 'down')),
  down_since INTEGER
);
`,
};

/*
 * A report proves the device alive only when the source reached it (at least one measurement):
 * an SNMP poll that timed out still arrives as a report, all gaps, and must not hide the silence.
 */
export const migration013: Migration = {
  version: 13,
  name: 'tickets: last time each device was reached',
  sql: `ALTER TABLE device_liveness ADD COLUMN last_alive_at INTEGER;`,
};
