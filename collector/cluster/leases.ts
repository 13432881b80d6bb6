import type { Store } from '../storage/store.js';

export interface Lease {
  holder: string;
  token: number;
}

/**
 * Takes or renews the lease `name` for `holder` until `now + ttlMs`, in ONE statement: the upsert
 * changes the row only when the lease has run out or is already the holder's, so of collectors
 * racing for it (on PostgreSQL, each on its own connection) exactly one holds it. The token goes up
 * whenever the holder changes. Undefined: someone else holds it.
 */
export async function tryAcquire(store: Store, name: string, holder: string, ttlMs: number, now: number): Promise<Lease | undefined> {
  return store.get<Lease>(
    `INSERT INTO leases (name, holder, until_ms, token) VALUES (?, ?, ?, 1)
     ON CONFLICT (name) DO UPDATE SET
       token = CASE WHEN leases.holder = excluded.holder THEN leases.token ELSE leases.token + 1 END,
       holder = excluded.holder,
       until_ms = excluded.until_ms
     WHERE leases.until_ms < ? OR leases.holder = excluded.holder
     RETURNING holder, token`,
    [name, holder, now + ttlMs, now],
  );
}

/** Lets a lease go at once (a collector stopping cleanly): another takes it on its next try. */
export async function release(store: Store, name: string, holder: string): Promise<void> {
  await store.run('DELETE FROM leases WHERE name = ? AND holder = ?', [name, holder]);
}
