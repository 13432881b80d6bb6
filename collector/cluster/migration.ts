import type { Migration } from '../storage/migrations/index.js';

/*
 * Several collectors on one database (PostgreSQL): who is alive (members heartbeat), and who holds
 * each job that must run once across them (leases with a fencing token).
 */
const tables = (int: string) => `
CREATE TABLE cluster_members (
  id TEXT PRIMARY KEY,
  host TEXT NOT NULL,
  pid ${int} NOT NULL,
  started_at ${int} NOT NULL,
  last_seen ${int} NOT NULL
);
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  until_ms ${int} NOT NULL,
  -- Incremented whenever the holder changes: work stamped with an older token is a late one.
  token ${int} NOT NULL
);
-- Which collector polled a target last (its cluster id): the share made visible.
ALTER TABLE snmp_targets ADD COLUMN polled_by TEXT;
ALTER TABLE bmc_targets ADD COLUMN polled_by TEXT;
`;

export const migration096: Migration = {
  version: 96,
  name: 'cluster: members and leases of collectors sharing one database',
  sql: tables('INTEGER'),
  postgres: tables('BIGINT'),
};
