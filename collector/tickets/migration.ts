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

/*
 * Two ticket paths, SLA snapshots, people and service requests (issue 11).
 * - `tickets` is rebuilt (SQLite cannot drop a NOT NULL): `device_id` may be NULL — a service
 *   request without a device — so the ticket names its site itself (`site_id`).
 * - `sla_profile`: the limits the ticket was opened with. Existing tickets get the profile they
 *   resolve to today (their site's stored overrides; the reader fills the defaults).
 * - `visit_from`: when the on-site clock started (NULL: no visit needed yet). Existing tickets
 *   were all timed as needing a visit from opening, except P4 (never an on-site clock).
 * - assignee / backup, the emergency plan's owner and deadline, the part-needed stamp.
 * - `ticket_parts`: the old part's disposition, who received it and when.
 * Migrations run inside a transaction, where foreign keys cannot be switched off, and renaming a
 * parent rewrites its children's REFERENCES: so the old table is renamed aside, the new one
 * filled, the three child tables rebuilt onto it (same rows, same ids), and the old one dropped.
 */
export const migration014: Migration = {
  version: 14,
  name: 'tickets: two paths, SLA snapshot, assignee and backup, service requests, part disposition',
  sql: `
ALTER TABLE tickets RENAME TO tickets_v13;
DROP INDEX tickets_one_active;
DROP INDEX tickets_status;
DROP INDEX tickets_device;
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES sites(id),
  -- NULL: a service request without a device.
  device_id INTEGER REFERENCES devices(id),
  subject TEXT NOT NULL,
  priority TEXT NOT NULL CHECK (priority IN ('P1', 'P2', 'P3', 'P4')),
  emergency INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('open', 'responded', 'dispatched', 'on_site', 'resolved', 'confirmed', 'closed')),
  symptom TEXT NOT NULL,
  suspected_cause TEXT,
  device_model TEXT,
  opened_at INTEGER NOT NULL,
  opened_by TEXT NOT NULL,
  recovered_at INTEGER,
  emergency_plan_at INTEGER,
  closed_at INTEGER,
  -- The SLA limits the ticket was opened with (SlaProfile JSON; the reader fills the defaults).
  sla_profile TEXT NOT NULL DEFAULT '{}',
  -- When the on-site clock started; NULL: no visit needed (yet).
  visit_from INTEGER,
  assignee TEXT,
  backup TEXT,
  emergency_plan_owner TEXT,
  emergency_plan_due INTEGER,
  part_needed_at INTEGER
);
INSERT INTO tickets (id, site_id, device_id, subject, priority, emergency, status, symptom, suspected_cause, device_model,
                     opened_at, opened_by, recovered_at, emergency_plan_at, closed_at, sla_profile, visit_from)
SELECT t.id, d.site_id, t.device_id, t.subject, t.priority, t.emergency, t.status, t.symptom, t.suspected_cause, t.device_model,
       t.opened_at, t.opened_by, t.recovered_at, t.emergency_plan_at, t.closed_at,
       coalesce((SELECT p.profile FROM site_sla p JOIN sites s ON s.name = p.site WHERE s.id = d.site_id), '{}'),
       CASE WHEN t.priority = 'P4' THEN NULL ELSE t.opened_at END
  FROM tickets_v13 t JOIN devices d ON d.id = t.device_id;
CREATE UNIQUE INDEX tickets_one_active ON tickets (device_id, subject) WHERE status <> 'closed' AND subject <> 'manual';
CREATE INDEX tickets_status ON tickets (status, opened_at);
CREATE INDEX tickets_device ON tickets (device_id, opened_at);
CREATE INDEX tickets_site ON tickets (site_id, opened_at);

CREATE TABLE ticket_events_v14 (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  event TEXT NOT NULL,
  by_name TEXT NOT NULL,
  token_id INTEGER,
  at INTEGER NOT NULL,
  note TEXT
);
INSERT INTO ticket_events_v14 SELECT id, ticket_id, event, by_name, token_id, at, note FROM ticket_events;
DROP TABLE ticket_events;
ALTER TABLE ticket_events_v14 RENAME TO ticket_events;
CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);

CREATE TABLE ticket_service_reports_v14 (
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
INSERT INTO ticket_service_reports_v14
  SELECT id, ticket_id, arrived_at, work_done, result, open_issues, customer_evaluation, by_name, token_id, at FROM ticket_service_reports;
DROP TABLE ticket_service_reports;
ALTER TABLE ticket_service_reports_v14 RENAME TO ticket_service_reports;
CREATE INDEX ticket_service_reports_ticket ON ticket_service_reports (ticket_id, id);

-- The old part's disposition (更换硬盘交回: returned to the customer), who received it and when.
CREATE TABLE ticket_parts_v14 (
  id INTEGER PRIMARY KEY,
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  part TEXT NOT NULL,
  old_serial TEXT NOT NULL,
  new_serial TEXT NOT NULL,
  replaced_at INTEGER NOT NULL,
  by_name TEXT NOT NULL,
  token_id INTEGER,
  at INTEGER NOT NULL,
  disposition TEXT CHECK (disposition IN ('returned_to_customer', 'kept_by_service_company', 'destroyed', 'other')),
  received_by TEXT,
  received_at INTEGER,
  disposition_note TEXT
);
INSERT INTO ticket_parts_v14 (id, ticket_id, part, old_serial, new_serial, replaced_at, by_name, token_id, at)
  SELECT id, ticket_id, part, old_serial, new_serial, replaced_at, by_name, token_id, at FROM ticket_parts;
DROP TABLE ticket_parts;
ALTER TABLE ticket_parts_v14 RENAME TO ticket_parts;
CREATE INDEX ticket_parts_ticket ON ticket_parts (ticket_id, id);

DROP TABLE tickets_v13;
`,
};
