import { spawnSync } from 'node:child_process';
import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../collector/storage/db.js';
import { SqliteStore } from '../../collector/storage/sqlite-store.js';
import { LOOP_AUTOCHECKPOINT_PAGES } from '../../collector/storage/wal-checkpointer.js';
import { startTestCollector, tempDir } from '../helpers/collector.js';
import { nodeEntry } from '../helpers/node-entry.js';

/**
 * The write-ahead log copied back into the database from a thread of its own
 * (collector/storage/wal-checkpointer.ts), on a real SQLite file at durability full.
 */
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function openStore(path: string): SqliteStore {
  const db = openDatabase(path, { durability: 'full', migrate: false });
  db.exec('CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const store = new SqliteStore(db);
  stores.push(store);
  return store;
}

/** `n` transactions of `perTx` rows of ~1 kB: some 2-3 pages of log each. */
async function write(store: SqliteStore, n: number, perTx = 8): Promise<void> {
  for (let t = 0; t < n; t++) {
    await store.transaction(async () => {
      for (let r = 0; r < perTx; r++) await store.run('INSERT INTO rows (body) VALUES (?)', [`${t}-${r}-`.padEnd(1000, 'x')]);
    });
    // A turn of the loop between commits, as between the group commit's batches: the thread's answers arrive.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const until = async (done: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(done(), what).toBe(true);
};

describe('background checkpoint', () => {
  it('copies the log from its own thread, and COMMIT keeps only a higher mark of its own', async () => {
    const path = join(tempDir('xunjian-ckpt-'), 'a.db');
    const store = openStore(path);
    const copied: number[] = [];
    store.checkpointInBackground({ everyMs: 0, onCheckpoint: (r) => copied.push(r.checkpointed) });
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(LOOP_AUTOCHECKPOINT_PAGES);
    await write(store, 40);
    await until(() => copied.some((n) => n > 0), 'the thread copied frames into the database');
    await store.close();
    // The loop's connection closed last: what was left is in the database and the log is gone.
    expect(existsSync(`${path}-wal`)).toBe(false);
    const reader = new Database(path, { readonly: true });
    expect(reader.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 320 });
    reader.close();
  });

  it('keeps the log bounded under writes that never pause: the loop rewinds it at its mark', async () => {
    const path = join(tempDir('xunjian-ckpt-'), 'b.db');
    const store = openStore(path);
    const mark = 64;
    store.checkpointInBackground({ everyMs: 0, loopMarkPages: mark });
    // ~1,500 pages of log in all, twenty times the mark.
    await write(store, 600);
    // The log's frames: a 32-byte header, then each page behind a 24-byte frame header.
    const pages = (statSync(`${path}-wal`).size - 32) / ((store.db.pragma('page_size', { simple: true }) as number) + 24);
    // The mark, plus the transaction that crossed it, plus the few written before the rewind.
    expect(pages).toBeLessThan(mark * 2);
    expect(pages).toBeGreaterThan(0);
  });

  it('hands the whole checkpoint back to COMMIT when the thread fails', async () => {
    const dir = tempDir('xunjian-ckpt-');
    const store = openStore(join(dir, 'c.db'));
    // The thread opens the database by its path: moved away, the thread cannot open it and ends.
    renameSync(join(dir, 'c.db'), join(dir, 'moved.db'));
    const errors: Error[] = [];
    store.checkpointInBackground({ onError: (e) => errors.push(e) });
    await until(() => errors.length > 0, 'the failure was reported');
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await write(store, 3);
    expect(await store.get('SELECT count(*) AS n FROM rows')).toEqual({ n: 24 });
  });

  it('is on in the collector a server starts on a SQLite file', async () => {
    const collector = await startTestCollector({ dbPath: join(tempDir('xunjian-ckpt-'), 'xunjian.db') });
    try {
      expect(collector.db.pragma('wal_autocheckpoint', { simple: true })).toBe(LOOP_AUTOCHECKPOINT_PAGES);
    } finally {
      await collector.close();
    }
  });

  // Unref'd, the thread keeps no process alive; closing waits for it (a process awaiting an unref'd
  // thread's end would exit with 13, "unsettled top-level await").
  it.each(['close', 'leave'])('lets a process exit by itself (%s the store)', (mode) => {
    const path = join(tempDir('xunjian-ckpt-'), 'e.db');
    const child = spawnSync(process.execPath, [...nodeEntry(join(import.meta.dirname, 'fixtures/checkpointer-exit.ts')), path, mode], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect({ status: child.status, signal: child.signal, stdout: child.stdout }).toEqual({ status: 0, signal: null, stdout: 'done\n' });
  });
});
