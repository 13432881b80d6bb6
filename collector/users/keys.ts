import { randomBytes } from 'node:crypto';
import type { Migration } from '../storage/migrations/index.js';
import type { Store } from '../storage/store.js';

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

/**
 * The key called `name`, made (32 random bytes) the first time it is asked for. Insert-if-absent,
 * then read: collectors starting together on one database all end up with the first one written.
 */
export async function collectorKey(store: Store, name: string): Promise<Buffer> {
  await store.run('INSERT INTO collector_keys (name, key, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32), Date.now()]);
  return Buffer.from((await store.get<{ key: Uint8Array }>('SELECT key FROM collector_keys WHERE name = ?', [name]))!.key);
}
