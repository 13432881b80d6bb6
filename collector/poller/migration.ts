import type { Migration } from '../storage/migrations/types.js';

/*
 * SNMP targets the collector polls (collector/poller). Secrets are AES-256-GCM sealed (crypto.ts);
 * the plain community never reaches the file. Settings that are not secret are plain columns.
 */
export const migration030: Migration = {
  version: 30,
  name: 'poller: SNMP targets with sealed credentials and their last poll',
  sql: `
CREATE TABLE snmp_targets (
  id INTEGER PRIMARY KEY,
  site TEXT NOT NULL,
  host TEXT NOT NULL,
  port INTEGER NOT NULL,
  version TEXT NOT NULL CHECK (version IN ('1', '2c', '3')),
  user_name TEXT,
  level TEXT,
  auth_protocol TEXT,
  priv_protocol TEXT,
  community_sealed TEXT,
  auth_key_sealed TEXT,
  priv_key_sealed TEXT,
  timeout_ms INTEGER NOT NULL,
  retries INTEGER NOT NULL,
  interval_s INTEGER NOT NULL,
  kind TEXT,
  role TEXT,
  name TEXT,
  hostname TEXT,
  token_id INTEGER REFERENCES tokens(id),
  created_at INTEGER NOT NULL,
  last_poll_at INTEGER,
  last_result TEXT,
  last_error TEXT,
  last_success_at INTEGER,
  last_report_id TEXT,
  UNIQUE (site, host, port)
);
CREATE INDEX snmp_targets_host ON snmp_targets (host);
`,
};
