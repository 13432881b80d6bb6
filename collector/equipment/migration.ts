import type { Migration } from '../storage/migrations/index.js';

/*
 * The equipment record a person keeps (设备档案, service plan 4.1) beside what devices report.
 * A person's entry has its own columns (entered_*): a report refreshes the measured columns
 * (vendor, model, serial, os, version) and never touches them, so both are kept and can be shown
 * side by side when they differ. `manual`: the device was put on record by a person, not by a
 * report (it may never report: a tape library, an air conditioner, a UPS without SNMP).
 *
 * Firmware/version history: the two triggers write a row whenever a report changes the measured
 * os/version (and for the first report), inside the ingest statement itself — no extra query in
 * the hot path. Rows by hand carry who wrote them.
 */
export const migration070: Migration = {
  version: 70,
  name: 'equipment: entered identity, location, warranty and contract, firmware history, baselines, upgrade verdicts',
  sql: `
ALTER TABLE devices ADD COLUMN manual INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN entered_vendor TEXT;
ALTER TABLE devices ADD COLUMN entered_model TEXT;
ALTER TABLE devices ADD COLUMN entered_serial TEXT;
ALTER TABLE devices ADD COLUMN entered_firmware TEXT;
ALTER TABLE devices ADD COLUMN location TEXT;
-- Calendar dates (YYYY-MM-DD) as the contract states them.
ALTER TABLE devices ADD COLUMN warranty_until TEXT;
ALTER TABLE devices ADD COLUMN contract_until TEXT;
-- Who last edited the record by hand, and when (epoch ms).
ALTER TABLE devices ADD COLUMN record_by TEXT;
ALTER TABLE devices ADD COLUMN record_at INTEGER;
-- A person's upgrade verdict: NULL none, 1 upgrade needed, 0 not needed.
ALTER TABLE devices ADD COLUMN upgrade_needed INTEGER;
ALTER TABLE devices ADD COLUMN upgrade_reason TEXT;
ALTER TABLE devices ADD COLUMN upgrade_by TEXT;
ALTER TABLE devices ADD COLUMN upgrade_at INTEGER;

CREATE TABLE device_firmware (
  id INTEGER PRIMARY KEY,
  device_id INTEGER NOT NULL REFERENCES devices(id),
  at INTEGER NOT NULL,
  os TEXT,
  version TEXT,
  -- report: the measured value changed; person: written by hand (by, note).
  origin TEXT NOT NULL CHECK (origin IN ('report', 'person')),
  source TEXT,
  by TEXT,
  note TEXT
);
CREATE INDEX device_firmware_device ON device_firmware (device_id, at);

CREATE TRIGGER device_firmware_first_report AFTER INSERT ON devices
WHEN new.os IS NOT NULL OR new.version IS NOT NULL
BEGIN
  INSERT INTO device_firmware (device_id, at, os, version, origin, source)
  VALUES (new.id, coalesce(new.last_report_at, new.first_seen), new.os, new.version, 'report', new.last_source);
END;

CREATE TRIGGER device_firmware_reported_change AFTER UPDATE OF os, version ON devices
WHEN new.os IS NOT old.os OR new.version IS NOT old.version
BEGIN
  INSERT INTO device_firmware (device_id, at, os, version, origin, source)
  VALUES (new.id, coalesce(new.last_report_at, new.last_seen, new.first_seen), new.os, new.version, 'report', new.last_source);
END;

-- The firmware an engineer recommends for a model at a site (the upgrade baseline).
CREATE TABLE firmware_baselines (
  site_id INTEGER NOT NULL REFERENCES sites(id),
  model TEXT NOT NULL,
  firmware TEXT NOT NULL,
  note TEXT,
  set_by TEXT NOT NULL,
  set_at INTEGER NOT NULL,
  PRIMARY KEY (site_id, model)
);
`,
};
