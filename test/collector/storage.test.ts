import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkMigrationList,
  createRepositories,
  integrityCheck,
  migrate,
  MIGRATIONS,
  openDatabase,
  RESULTS_OF_REPORT,
  schemaVersion,
} from '../../collector/index.js';
import { evaluateReport } from '../../checks/index.js';
import { CHECK_IDS } from '../../schemas/index.js';
import { realisticReport, tempDir } from '../helpers/collector.js';
import { sqliteStore } from '../../collector/storage/sqlite-store.js';

/** The database file: pragmas, versioned migrations, repositories and retention, on a real file. */
describe('storage', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens with WAL, foreign keys, a busy timeout and the chosen durability', () => {
    const full = openDatabase(join(dir, 'full.db'));
    expect(full.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(full.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(full.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(full.pragma('synchronous', { simple: true })).toBe(2); // FULL
    full.close();
    const normal = openDatabase(join(dir, 'normal.db'), { durability: 'normal' });
    expect(normal.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    normal.close();
  });

  it('keeps the migration list ascending and unique, and applies each once', () => {
    expect(() => checkMigrationList(MIGRATIONS)).not.toThrow();
    expect(() => checkMigrationList([{ version: 2, name: 'b', sql: '' }, { version: 1, name: 'a', sql: '' }])).toThrow(/out of order/);
    expect(() => checkMigrationList([{ version: 1, name: 'a', sql: '' }, { version: 1, name: 'a again', sql: '' }])).toThrow(/out of order/);
    const db = openDatabase(join(dir, 'migrate.db'));
    expect(schemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it("finds a report's results through the device's index, among reports of the same window", async () => {
    const db = openDatabase(join(dir, 'of-report.db'));
    const repos = createRepositories(sqliteStore(db));
    const site = await repos.sites.seenAt('acme', 0);
    const at = new Date(Date.UTC(2026, 10, 1, 10));
    const reports = ['rpt-agent-1', 'rpt-ssh-1'].map((id) => realisticReport({ id, at }));
    const rows = reports.map(async (r, i) => {
      const device = await repos.devices.seenInReport(site, r.identity, r.source, 0);
      const rowId = await repos.reports.insert(r, device.id, null, at.getTime());
      const results = evaluateReport(r).map((x) => (i === 0 ? x : { ...x, reason: 'from the second report' }));
      await repos.results.insertAll(rowId, device.id, Date.parse(r.window.end), results);
      return (await repos.reports.get(r.id))!;
    });
    const first = await repos.results.forReport((await rows[0]!));
    expect(first.map((r) => r.check)).toEqual([...CHECK_IDS]);
    expect(first.every((r) => r.reportId === 'rpt-agent-1' && r.result.reason !== 'from the second report')).toBe(true);
    expect((await repos.results.forReport((await rows[1]!))).every((r) => r.result.reason === 'from the second report')).toBe(true);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${RESULTS_OF_REPORT}`).all(1, 2, 3) as { detail: string }[];
    const onResults = plan.map((p) => p.detail).filter((d) => /\bx\b/.test(d));
    expect(onResults).toEqual([expect.stringMatching(/^SEARCH x USING INDEX results_device_at \(device_id=\? AND at=\?\)/)]);
    db.close();
  });

  it('migration 100 fills results_latest with the newest result of each device and check (window end, then id)', async () => {
    const db = openDatabase(join(dir, 'latest-backfill.db'), { migrate: false });
    migrate(db, MIGRATIONS.filter((m) => m.version < 100));
    const repos = createRepositories(sqliteStore(db));
    const site = await repos.sites.seenAt('acme', 0);
    // Two devices; reports stored out of window order (a late spool flush), and two reports of one window.
    const windows = [3, 1, 2, 3, 0].map((h) => new Date(Date.UTC(2026, 10, 1, h)));
    for (const host of ['db01', 'db02']) {
      for (const [i, at] of windows.entries()) {
        const r = realisticReport({ id: `${host}-${i}`, hostname: host, at, psuFault: i === 3 });
        const device = await repos.devices.seenInReport(site, r.identity, r.source, 0);
        const rowId = await repos.reports.insert(r, device.id, null, 0);
        // The old schema: results inserted as before migration 100 (no results_latest yet).
        for (const x of evaluateReport(r)) {
          db.prepare('INSERT INTO results (report_id, device_id, check_id, verdict, at, result) VALUES (?, ?, ?, ?, ?, ?)').run(rowId, device.id, x.check, x.verdict, at.getTime(), JSON.stringify(x));
        }
      }
    }
    expect(migrate(db)).toEqual(MIGRATIONS.filter((m) => m.version >= 100).map((m) => m.version));
    const newest = db.prepare(`SELECT device_id, check_id, at, id AS result_id FROM results x
      WHERE NOT EXISTS (SELECT 1 FROM results y WHERE y.device_id = x.device_id AND y.check_id = x.check_id AND (y.at > x.at OR (y.at = x.at AND y.id > x.id)))
      ORDER BY device_id, check_id`).all();
    expect(newest).toHaveLength(12);
    expect(db.prepare('SELECT device_id, check_id, at, result_id FROM results_latest ORDER BY device_id, check_id').all()).toEqual(newest);
    // Of the two reports of 03:00, the one stored last (the PSU fault) is the newest.
    expect((await repos.results.latest(1)).find((r) => r.check === 'SXKR-004')).toMatchObject({ reportId: 'db01-3', verdict: 'abnormal' });
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'results'").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(['results_device_at']);
    db.close();
  });

  it('refuses a database written by a newer collector', () => {
    const db = openDatabase(join(dir, 'newer.db'));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(999, 'future', new Date().toISOString());
    db.close();
    expect(() => openDatabase(join(dir, 'newer.db'))).toThrow(/schema version 999 is newer/);
  });

  it('rolls a failing migration back whole', () => {
    const db = openDatabase(join(dir, 'broken.db'), { migrate: false });
    const next = MIGRATIONS[MIGRATIONS.length - 1]!.version + 1;
    const broken = [...MIGRATIONS, { version: next, name: 'broken', sql: 'CREATE TABLE half (x); SELECT * FROM no_such_table;' }];
    expect(() => migrate(db, broken)).toThrow(/no_such_table/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(schemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    db.close();
  });

  it('folds raw measurements older than the retention into hourly min/avg/max and keeps results', async () => {
    const db = openDatabase(join(dir, 'retention.db'));
    const repos = createRepositories(sqliteStore(db));
    const site = await repos.sites.seenAt('acme', 0);
    const old = Date.UTC(2026, 0, 1, 10);
    const reports = [10, 30, 50].map((cpu, i) => realisticReport({ id: `rpt-old-${i}`, at: new Date(old + i * 600_000), cpuAvg: cpu }));
    const fresh = realisticReport({ id: 'rpt-fresh-1', at: new Date(old + 86_400_000 * 100) });
    for (const [i, r] of [...reports, fresh].entries()) {
      const device = await repos.devices.seenInReport(site, r.identity, r.source, 0);
      const received = i < 3 ? old + i * 600_000 : old + 86_400_000 * 100;
      const rowId = await repos.reports.insert(r, device.id, null, received);
      await repos.results.insertAll(rowId, device.id, Date.parse(r.window.end), []);
    }
    const device = (await repos.devices.get('acme', 'db01'))!;
    expect((await repos.reports.pruneBefore(old + 86_400_000, 2))).toEqual({ reports: 3 });
    const oldRow = (await repos.reports.get('rpt-old-1'))!;
    expect(oldRow.measurementsPruned).toBe(true);
    expect((await repos.reports.measurements(oldRow.id))).toEqual([]);
    expect(await repos.reports.measurements((await repos.reports.get('rpt-fresh-1'))!.id)).toHaveLength(60);
    const hourly = await repos.reports.hourly(device.id, old - 3_600_000, old + 3_600_000);
    const cpu = hourly.find((p) => p.component === 'CPU' && p.metric === 'cpu.avg')!;
    expect(cpu).toEqual({ check: 'SXKR-001', component: 'CPU', metric: 'cpu.avg', hour: new Date(old).toISOString(), min: 10, avg: 30, max: 50, count: 3 });
    // States are not series: no rollup of module.state text values.
    expect(hourly.some((p) => p.metric === 'module.state')).toBe(false);
    // Idempotent: a second run finds nothing more to do.
    expect((await repos.reports.pruneBefore(old + 86_400_000))).toEqual({ reports: 0 });
    expect(integrityCheck(db)).toBe('ok');
    db.close();
  });

  it('stores tokens only as hashes', async () => {
    const db = openDatabase(join(dir, 'tokens.db'));
    const repos = createRepositories(sqliteStore(db));
    const { token, row } = await repos.tokens.create({ name: 'agent-db01', role: 'agent', site: 'acme' });
    expect(token).toMatch(/^xj_[A-Za-z0-9_-]{43}$/);
    const stored = db.prepare('SELECT * FROM tokens WHERE id = ?').get(row.id) as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain(token);
    expect((await repos.tokens.verify(token))?.id).toBe(row.id);
    expect((await repos.tokens.verify(`${token}x`))).toBeUndefined();
    await expect(async () => (await repos.tokens.create({ name: 'x', role: 'engineer', site: null }))).rejects.toThrow(/CHECK constraint/);
    db.close();
  });
});
