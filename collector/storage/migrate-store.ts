/**
 * Migrations on either engine. SQLite runs every step (storage/db.ts `migrate`). PostgreSQL starts
 * at its baseline (postgres/baseline.ts) and then runs each later step's `postgres` text. On
 * PostgreSQL the whole run holds an advisory lock in one transaction, so collectors starting at
 * the same moment migrate once: the second waits, then finds nothing to do.
 */
import { XunjianError } from '../../schemas/index.js';
import { checkMigrationList, migrate } from './db.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';
import { POSTGRES_BASELINE, POSTGRES_BASELINE_VERSION } from './postgres/baseline.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** Any fixed number: the key of the advisory lock migrations hold on PostgreSQL. */
const MIGRATION_LOCK = 7_248_950_113;

/** Every step after the baseline must say how PostgreSQL takes it. */
export function checkPostgresSteps(migrations: readonly Migration[]): void {
  for (const m of migrations) {
    if (m.version > POSTGRES_BASELINE_VERSION && m.postgres === undefined) {
      throw new XunjianError('STORAGE', `migration ${m.version} ("${m.name}") has no PostgreSQL text; every step after ${POSTGRES_BASELINE_VERSION} needs one`);
    }
  }
}

/** Applies what is pending; returns the versions applied (the baseline counts as its versions). */
export async function migrateStore(store: Store, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  if (store instanceof SqliteStore) return migrate(store.db, migrations);
  checkMigrationList(migrations);
  checkPostgresSteps(migrations);
  return store.transaction(async () => {
    await store.get('SELECT pg_advisory_xact_lock(CAST(? AS BIGINT)) AS locked', [MIGRATION_LOCK]);
    await store.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((await store.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    const newest = Math.max(0, ...applied);
    const known = Math.max(0, ...migrations.map((m) => m.version));
    if (newest > known) {
      throw new XunjianError('STORAGE', `database schema version ${newest} is newer than this collector knows (${known}); upgrade xunjian`);
    }
    const done: number[] = [];
    const now = new Date().toISOString();
    const record = (m: Migration) => store.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, now]);
    if (applied.size === 0) {
      await store.exec(POSTGRES_BASELINE);
      for (const m of migrations.filter((x) => x.version <= POSTGRES_BASELINE_VERSION)) {
        await record(m);
        applied.add(m.version);
        done.push(m.version);
      }
    }
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      if (m.version <= POSTGRES_BASELINE_VERSION) {
        throw new XunjianError('STORAGE', `PostgreSQL schema lacks step ${m.version} ("${m.name}") of its baseline: the database was not made by xunjian`);
      }
      await store.exec(m.postgres!);
      await record(m);
      done.push(m.version);
    }
    return done;
  });
}
