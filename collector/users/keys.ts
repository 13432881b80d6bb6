import { randomBytes } from 'node:crypto';
import type { Migration } from '../storage/migrations/index.js';
import type { Db } from '../storage/db.js';

/*
 * Server-side keys the collector makes for itself once and keeps across restarts (so a CSRF token
 * embedded in an open page survives a restart of the collector). Readable only by the collector
 * process: they live in its database.
 */
export const migration045: Migration = {
  version: 45,
  name: 'users: collector keys (CSRF token HMAC)',
  sql: `
CREATE TABLE collector_keys (
  name TEXT PRIMARY KEY,
  key BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
`,
};

/** The key called `name`, made (32 random bytes) the first time it is asked for. */
export function collectorKey(db: Db, name: string): Buffer {
  db.prepare('INSERT OR IGNORE INTO collector_keys (name, key, created_at) VALUES (?, ?, ?)').run(name, randomBytes(32), Date.now());
  return (db.prepare('SELECT key FROM collector_keys WHERE name = ?').get(name) as { key: Buffer }).key;
}
