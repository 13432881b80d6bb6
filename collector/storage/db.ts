import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { XunjianError } from '../../schemas/index.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { PRIVATE_DIR_MODE, privateDatabaseFiles } from './private-files.js';

export type Db = Database.Database;

/**
 * `full`: every commit is fsynced before it returns, so an acknowledged (2xx) report survives a
 * power cut as well as a crash — agents delete their spool on a 2xx, so this is the default.
 * `normal`: WAL commits survive a process crash (kill -9) but the last ones may be lost on a
 * power cut or kernel panic; faster where the storage's fsync is slow.
 */
export type Durability = 'full' | 'normal';

export interface OpenOptions {
  durability?: Durability;
  readonly?: boolean;
  /** Run pending migrations (default true). */
  migrate?: boolean;
}

/** Opens (creating if needed) the collector's database file with its pragmas and migrations. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  // A directory made here is private; an existing one may be shared (/tmp), so only the data
  // directory itself is tightened (startCollector), and the database files always are.
  if (!options.readonly && path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
    privateDatabaseFiles(path);
  }
  let db: Db;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (cause) {
    throw new XunjianError('STORAGE', `cannot open database ${path}: ${(cause as Error).message}`, { cause });
  }
  // Writers wait for each other (backup, CLI token commands) instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.durability === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('cache_size = -32000');
    db.pragma('temp_store = MEMORY');
    if (options.migrate !== false) migrate(db);
  }
  return db;
}

/** Applies the migrations not yet applied, each in its own transaction. Returns the versions applied. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkMigrationList(migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new XunjianError('STORAGE', `database schema version ${newest} is newer than this collector knows (${known}); upgrade xunjian`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    done.push(m.version);
  }
  return done;
}

/** Versions must be positive integers, unique and ascending. */
export function checkMigrationList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new XunjianError('STORAGE', `migration list out of order at version ${m.version} ("${m.name}")`);
    }
    previous = m.version;
  }
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}

export function integrityCheck(db: Db): string {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}

/**
 * A consistent online copy of the database (SQLite's backup API): safe while the collector
 * runs and writes. The copy is a self-contained file (no -wal needed).
 */
export async function backupDatabase(db: Db, file: string): Promise<{ totalPages: number }> {
  mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  // Made 0600 before SQLite writes a page into it: a backup is the whole database.
  privateDatabaseFiles(file);
  const result = await db.backup(file);
  privateDatabaseFiles(file);
  return { totalPages: result.totalPages };
}
