import type { Migration } from '../storage/migrations/types.js';

/*
 * Out-of-band targets (Redfish, IPMI over LAN, HMC) the collector polls (collector/poller). The
 * password and private key are sealed like SNMP secrets (crypto.ts). `pinned` is the Redfish
 * certificate fingerprint or the HMC host key, trusted on first use; `presented` a different
 * certificate seen since, kept for the admin who accepts it.
 */
export const migration060: Migration = {
  version: 60,
  name: 'poller: out-of-band targets (BMC, HMC) with sealed credentials and pinned certificates',
  sql: `
CREATE TABLE bmc_targets (
  id INTEGER PRIMARY KEY,
  site TEXT NOT NULL,
  protocol TEXT NOT NULL CHECK (protocol IN ('redfish', 'ipmi', 'hmc')),
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  password_sealed TEXT,
  private_key_sealed TEXT,
  auth TEXT,
  managed_system TEXT,
  cipher_suite INTEGER,
  timeout_ms INTEGER NOT NULL,
  interval_s INTEGER NOT NULL,
  hostname TEXT NOT NULL,
  role TEXT,
  pinned TEXT,
  presented TEXT,
  token_id INTEGER REFERENCES tokens(id),
  created_at INTEGER NOT NULL,
  last_poll_at INTEGER,
  last_result TEXT,
  last_error TEXT,
  last_success_at INTEGER,
  last_report_id TEXT
);
-- One HMC serves many managed systems; a BMC one server.
CREATE UNIQUE INDEX bmc_targets_address ON bmc_targets (site, protocol, host, port, coalesce(managed_system, ''));
-- The silence scan asks whether a device has a polled BMC/HMC (collector/tickets/silence.ts).
CREATE INDEX bmc_targets_device ON bmc_targets (site, hostname);
`,
};

/* The latest BMC report of a device, looked up at each of its agent's reports (collector/ingest/companion.ts): only BMC rows are indexed. */
export const migration061: Migration = {
  version: 61,
  name: 'ingest: a partial index of out-of-band (bmc) reports by device',
  sql: `CREATE INDEX reports_bmc_device ON reports (device_id, window_end) WHERE source = 'bmc';`,
};
