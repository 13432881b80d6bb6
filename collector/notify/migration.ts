import type { Migration } from '../storage/migrations/index.js';

/*
 * Notifications (collector/notify): the event journal, the outbox of deliveries, and each site's
 * routing rules, on-duty rota, escalation chain and settings. Times are epoch milliseconds.
 *
 * The journal is filled by TRIGGERS on the tables the other parts already write (ticket events,
 * maintenance requests, inspections): the notification event is therefore committed in the same
 * SQLite transaction as the change it reports, whichever code path made the change (ingest, the
 * silence scan, the API, the dashboard), and no action layer needs to remember to call us.
 */
export const migration080: Migration = {
  version: 80,
  name: 'notify: event journal, outbox, rules, rota, escalation, settings',
  sql: `
CREATE TABLE notify_events (
  id INTEGER PRIMARY KEY,
  -- ticket.opened, device.down, device.up, emergency.started, deadline.near, deadline.overdue,
  -- ticket.escalated, maintenance.requested, maintenance.decided, inspection.awaiting_confirmation,
  -- inspection.unsigned, contract.year_ending
  kind TEXT NOT NULL,
  site TEXT NOT NULL,
  ticket_id INTEGER,
  request_id INTEGER,
  inspection_id INTEGER,
  -- JSON: what a scan-raised event needs (deadline and fraction, escalation step, month, year end).
  detail TEXT,
  at INTEGER NOT NULL,
  -- NULL until the planner turned it into outbox rows (in one transaction with those rows).
  planned_at INTEGER
);
CREATE INDEX notify_events_unplanned ON notify_events (id) WHERE planned_at IS NULL;

-- Once-only keys of scan-raised events ("deadline:12:response:0.5"): a scan never raises one twice.
CREATE TABLE notify_marks (key TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;

CREATE TABLE notify_outbox (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES notify_events(id),
  site TEXT NOT NULL,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  -- A person's name from the rota, or '*' for the channel's own group.
  recipient TEXT NOT NULL,
  address TEXT,
  lang TEXT NOT NULL CHECK (lang IN ('zh', 'en')),
  priority TEXT,
  group_key TEXT NOT NULL,
  -- JSON { title, lines, link }: rendered when planned, in the recipient's language.
  message TEXT NOT NULL,
  -- How many events this one message reports (grouping folds a storm into one row).
  events INTEGER NOT NULL DEFAULT 1,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  -- When it was first due (after quiet hours and grouping): delivery latency is counted from here.
  due_at INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  lease_until INTEGER,
  sent_at INTEGER,
  last_error TEXT
);
CREATE INDEX notify_outbox_due ON notify_outbox (next_at) WHERE state IN ('pending', 'sending');
CREATE INDEX notify_outbox_group ON notify_outbox (group_key, channel, recipient, created_at);
CREATE INDEX notify_outbox_site ON notify_outbox (site, state, id);

CREATE TABLE notify_rules (
  id INTEGER PRIMARY KEY,
  site TEXT NOT NULL,
  -- an event kind, or '*'
  event TEXT NOT NULL,
  -- comma-separated P1..P4, or '*'
  priorities TEXT NOT NULL,
  channel TEXT NOT NULL,
  -- 'on_duty' | 'backup' | 'manager': the rota's people in that role; 'group': the channel itself
  audience TEXT NOT NULL CHECK (audience IN ('on_duty', 'backup', 'manager', 'group')),
  -- the language of a 'group' message (people carry their own)
  lang TEXT NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en')),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX notify_rules_site ON notify_rules (site);

CREATE TABLE notify_rota (
  id INTEGER PRIMARY KEY,
  site TEXT NOT NULL,
  person TEXT NOT NULL,
  email TEXT,
  lang TEXT NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en')),
  role TEXT NOT NULL CHECK (role IN ('on_duty', 'backup', 'manager')),
  -- NULL..NULL: the standing assignment; a period overrides it; a special period (节假日值守) overrides both.
  starts_at INTEGER,
  ends_at INTEGER,
  special TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);
CREATE INDEX notify_rota_site ON notify_rota (site, role);

CREATE TABLE notify_escalation (
  site TEXT NOT NULL,
  step INTEGER NOT NULL,
  after_minutes INTEGER NOT NULL,
  audience TEXT NOT NULL CHECK (audience IN ('on_duty', 'backup', 'manager')),
  channel TEXT NOT NULL,
  PRIMARY KEY (site, step)
) WITHOUT ROWID;

-- NotifySettings JSON per site (quiet hours, deadline fractions, grouping window, contract year).
CREATE TABLE notify_settings (site TEXT PRIMARY KEY, settings TEXT NOT NULL, updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL);

CREATE TRIGGER notify_ticket_events AFTER INSERT ON ticket_events
WHEN NEW.event IN ('open', 'recovered', 'emergency_plan')
BEGIN
  INSERT INTO notify_events (kind, site, ticket_id, at)
  SELECT CASE
      WHEN NEW.event = 'open' AND t.subject = 'down' THEN 'device.down'
      WHEN NEW.event = 'open' THEN 'ticket.opened'
      WHEN NEW.event = 'recovered' THEN 'device.up'
      ELSE 'emergency.started' END,
    s.name, NEW.ticket_id, NEW.at
  FROM tickets t JOIN devices d ON d.id = t.device_id JOIN sites s ON s.id = d.site_id
  WHERE t.id = NEW.ticket_id AND (NEW.event <> 'recovered' OR t.subject = 'down');
END;

CREATE TRIGGER notify_maintenance_requested AFTER INSERT ON maintenance_requests
WHEN NEW.status = 'requested'
BEGIN
  INSERT INTO notify_events (kind, site, request_id, at) VALUES ('maintenance.requested', NEW.site, NEW.id, NEW.requested_at);
END;

CREATE TRIGGER notify_maintenance_decided AFTER UPDATE OF status ON maintenance_requests
WHEN NEW.status IN ('approved', 'rejected') AND OLD.status <> NEW.status
BEGIN
  INSERT INTO notify_events (kind, site, request_id, at) VALUES ('maintenance.decided', NEW.site, NEW.id, coalesce(NEW.decided_at, NEW.requested_at));
END;

CREATE TRIGGER notify_inspection_signed AFTER UPDATE OF status ON inspections
WHEN NEW.status = 'signed' AND OLD.status <> 'signed'
BEGIN
  INSERT INTO notify_events (kind, site, inspection_id, at) VALUES ('inspection.awaiting_confirmation', NEW.site, NEW.id, coalesce(NEW.signed_at, NEW.created_at));
END;
`,
};
