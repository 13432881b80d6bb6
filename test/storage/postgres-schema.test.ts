/**
 * PostgreSQL's schema is SQLite's: the same tables, columns (and which may be NULL) and indexes,
 * triggers with the same effect, migrations that run once however many collectors start together.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../collector/storage/db.js';
import { checkPostgresSteps, migrateStore } from '../../collector/storage/migrate-store.js';
import { MIGRATIONS } from '../../collector/storage/migrations/index.js';
import { openStore } from '../../collector/storage/open-store.js';
import { POSTGRES_BASELINE_VERSION } from '../../collector/storage/postgres/baseline.js';
import { PostgresStore } from '../../collector/storage/postgres-store.js';
import type { Store } from '../../collector/storage/store.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../helpers/postgres.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping the PostgreSQL schema tests: ${missing}`);

describe('a step after the PostgreSQL baseline', () => {
  it('is refused without its PostgreSQL text', () => {
    const next = { version: Math.max(...MIGRATIONS.map((m) => m.version)) + 1, name: 'later', sql: 'SELECT 1' };
    expect(() => checkPostgresSteps([...MIGRATIONS, next])).toThrow(/no PostgreSQL text/);
    expect(() => checkPostgresSteps([...MIGRATIONS, { ...next, postgres: 'SELECT 1' }])).not.toThrow();
    // Every step after the baseline carries its PostgreSQL text (collector/cluster's 96 and the append-only keys' 97 do).
    for (const m of MIGRATIONS.filter((m) => m.version > POSTGRES_BASELINE_VERSION)) expect(m.postgres, `migration ${m.version}`).toBeTruthy();
  });
});

describe.skipIf(missing !== null)('the PostgreSQL schema', () => {
  let server: TestPostgres;
  let store: Store;
  let n = 0;
  /** A fresh database on the test cluster. */
  const freshDatabase = async (): Promise<string> => {
    const name = `schema_${++n}`;
    await store.exec(`CREATE DATABASE ${name}`);
    return server.url.replace(/\/xunjian$/, `/${name}`);
  };

  beforeAll(async () => {
    server = await startPostgres();
    store = await openStore(server.url);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    server?.stop();
  });

  it("has SQLite's tables, columns, nullability and indexes", async () => {
    const sqlite = openDatabase(':memory:');
    const lite = new Map<string, string[]>();
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    for (const t of tables) {
      const cols = sqlite.prepare(`PRAGMA table_info(${t})`).all() as { name: string; notnull: number; pk: number }[];
      lite.set(t, cols.map((c) => `${c.name}${c.notnull || (c.pk && cols.filter((x) => x.pk).length === 1) ? ' not null' : ''}`).sort());
    }
    const liteIndexes = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string }[]).map((r) => r.name).sort();
    sqlite.close();

    const pgCols = await store.all<{ table_name: string; column_name: string; is_nullable: string }>(
      "SELECT table_name, column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'",
    );
    const pg = new Map<string, string[]>();
    for (const c of pgCols) pg.set(c.table_name, [...(pg.get(c.table_name) ?? []), `${c.column_name}${c.is_nullable === 'NO' ? ' not null' : ''}`]);
    for (const [t, cols] of pg) pg.set(t, cols.sort());
    expect([...pg.keys()].sort()).toEqual([...lite.keys()].sort());
    for (const [t, cols] of lite) expect(pg.get(t), t).toEqual(cols);
    const pgIndexes = (await store.all<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'")).map((r) => r.indexname).sort();
    expect(pgIndexes).toEqual(liteIndexes);
  });

  it('has no per-row key check from the append-only measurements and results to reports (migration 97), and keeps the others', async () => {
    const keys = await store.all<{ child: string; parent: string }>(
      `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent FROM pg_constraint c
       WHERE c.contype = 'f' AND c.conrelid::regclass::text IN ('measurements', 'results') ORDER BY 1, 2`,
    );
    expect(keys).toEqual([{ child: 'results', parent: 'devices' }]);
  });

  it('records the versions the baseline stands for, and migrating again does nothing', async () => {
    const versions = (await store.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrateStore(store)).toEqual([]);
  });

  it('migrates once when three collectors start together', async () => {
    const url = await freshDatabase();
    const stores = [0, 1, 2].map(() => new PostgresStore(url));
    try {
      const applied = await Promise.all(stores.map((s) => migrateStore(s)));
      expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
      expect(applied.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it('refuses a database newer than this collector', async () => {
    const url = await freshDatabase();
    const s = await openStore(url);
    try {
      await s.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from the future', '2027-01-01')");
      await expect(migrateStore(s)).rejects.toThrow(/newer than this collector/);
    } finally {
      await s.close();
    }
  });

  it("fires the triggers as SQLite does: a firmware change (not an unrelated edit), a ticket's opening (not a later step)", async () => {
    const url = await freshDatabase();
    const s = await openStore(url);
    try {
      await s.run("INSERT INTO sites (id, name, created_at) VALUES (1, 'acme', 0)");
      await s.run("INSERT INTO devices (id, site_id, hostname, kind, version, addresses, first_seen) VALUES (1, 1, 'db01', 'server', 'v1', '[]', 0)");
      await s.run("UPDATE devices SET version = 'v2', last_seen = 5 WHERE id = 1");
      await s.run("UPDATE devices SET notes = 'unrelated' WHERE id = 1");
      const firmware = await s.all<{ version: string; at: number }>('SELECT version, at FROM device_firmware WHERE device_id = 1 ORDER BY id');
      expect(firmware).toEqual([{ version: 'v1', at: 0 }, { version: 'v2', at: 5 }]);

      const ticket = (await s.get<{ id: number }>(
        "INSERT INTO tickets (site_id, device_id, subject, priority, status, symptom, opened_at, opened_by) VALUES (1, 1, 'SXKR-004', 'P2', 'open', 'PSU', 10, 'collector') RETURNING id",
      ))!;
      await s.run("INSERT INTO ticket_events (ticket_id, event, by_name, at) VALUES (?, 'open', 'collector', 10)", [ticket.id]);
      await s.run("INSERT INTO ticket_events (ticket_id, event, by_name, at) VALUES (?, 'responded', 'wang', 11)", [ticket.id]);
      expect(await s.all('SELECT kind, site, ticket_id FROM notify_events')).toEqual([{ kind: 'ticket.opened', site: 'acme', ticket_id: ticket.id }]);
    } finally {
      await s.close();
    }
  });
});
