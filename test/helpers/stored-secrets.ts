/**
 * Whether a secret is stored anywhere in clear, on either engine. SQLite: the database file and
 * its WAL, byte for byte, after a checkpoint. PostgreSQL: its files belong to its server (other
 * databases share them), so every row of the tables that could hold it is read instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { TestCollector } from './collector.js';

export async function expectNotStoredInClear(c: TestCollector, secret: string, tables: string[]): Promise<void> {
  if (c.store.engine === 'sqlite') {
    c.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of [c.dbPath, `${c.dbPath}-wal`].filter(existsSync)) expect(readFileSync(file).includes(Buffer.from(secret)), file).toBe(false);
    return;
  }
  for (const table of [...tables, 'audit_log']) expect(JSON.stringify(await c.store.all(`SELECT * FROM ${table}`)), table).not.toContain(secret);
}
