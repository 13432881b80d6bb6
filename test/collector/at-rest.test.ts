import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../collector/index.js';
import { realisticReport, runCollectorCli, spawnCollector, tempDir, type CollectorProcess } from '../helpers/collector.js';

/**
 * At rest (service plan 3.4.5): the data directory is 0700 and the database, its WAL and SHM and
 * every backup are 0600 — when the collector makes them, and when it starts on files an older
 * version left world-readable (0644 under the usual umask), through the real CLI.
 */
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('the collector keeps its files private', () => {
  const root = tempDir('xunjian-at-rest-');
  const running: CollectorProcess[] = [];
  afterAll(async () => {
    for (const c of running) await c.stop('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('makes a new data directory 0700 and the database, WAL and SHM 0600 whatever the umask', async () => {
    const dataDir = join(root, 'fresh', 'data');
    const db = join(dataDir, 'xunjian.db');
    const previous = process.umask(0o022);
    try {
      const server = await spawnCollector(db, ['--data-dir', dataDir]);
      running.push(server);
      const token = (await runCollectorCli(['token', 'create', '--db', db, '--site', 'acme', '--name', 'a', '--role', 'agent'])).stdout.trim();
      expect((await server.request('POST', '/api/v1/reports', { token, body: realisticReport() })).status).toBe(201);
      expect(modeOf(dataDir)).toBe('700');
      for (const f of [db, `${db}-wal`, `${db}-shm`]) expect(`${f}: ${modeOf(f)}`).toBe(`${f}: 600`);
      const backup = join(root, 'fresh', 'backups', 'b.db');
      const out = await runCollectorCli(['backup', backup, '--db', db]);
      expect(out.code, out.stderr).toBe(0);
      expect(modeOf(backup)).toBe('600');
      expect(modeOf(join(root, 'fresh', 'backups'))).toBe('700');
      await server.stop();
    } finally {
      process.umask(previous);
    }
  }, 60_000);

  it('tightens a data directory and database files left 0755/0644 by an older version at start', async () => {
    const dataDir = join(root, 'old');
    mkdirSync(dataDir, { recursive: true });
    const db = join(dataDir, 'xunjian.db');
    const old = openDatabase(db);
    old.prepare('SELECT 1').get();
    // Keep the WAL and SHM as a crash would leave them: close would delete them.
    writeFileSync(`${db}-wal`, '');
    old.close();
    writeFileSync(`${db}-wal`, '');
    writeFileSync(`${db}-shm`, '');
    for (const f of [db, `${db}-wal`, `${db}-shm`]) chmodSync(f, 0o644);
    chmodSync(dataDir, 0o755);
    const server = await spawnCollector(db, ['--data-dir', dataDir]);
    running.push(server);
    expect(modeOf(dataDir)).toBe('700');
    for (const f of [db, `${db}-wal`, `${db}-shm`]) expect(`${f}: ${modeOf(f)}`).toBe(`${f}: 600`);
    await server.stop();
  }, 60_000);
});
