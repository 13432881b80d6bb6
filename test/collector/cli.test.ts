import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { integrityCheck, openDatabase } from '../../collector/index.js';
import { realisticReport, runCollectorCli, spawnCollector, tempDir, type CollectorProcess } from '../helpers/collector.js';

/**
 * `xunjian collector token|backup|migrate|serve` as real processes on a real database: tokens
 * made on the command line work against a running collector, an online backup taken while
 * reports arrive restores into a working collector with its data and a clean integrity check.
 */
describe('xunjian collector (CLI)', () => {
  const dir = tempDir();
  const db = join(dir, 'xunjian.db');
  const running: CollectorProcess[] = [];
  afterAll(async () => {
    for (const c of running) await c.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  let agentToken = '';

  it('creates a token, printing the secret once on stdout', async () => {
    const out = await runCollectorCli(['token', 'create', '--db', db, '--site', 'acme', '--name', 'agent-db01', '--role', 'agent']);
    expect(out.code).toBe(0);
    agentToken = out.stdout.trim();
    expect(agentToken).toMatch(/^xj_[A-Za-z0-9_-]{43}$/);
    expect(out.stderr).toMatch(/token 1 "agent-db01" \(agent, acme, device bound at its first report\) — shown once/);
  });

  it('refuses a site-less agent token (exit code 2) and an unknown role (commander usage error)', async () => {
    const noSite = await runCollectorCli(['token', 'create', '--db', db, '--name', 'x', '--role', 'agent']);
    expect(noSite.code).toBe(2);
    expect(noSite.stderr).toMatch(/--site is required for a agent token/);
    const badRole = await runCollectorCli(['token', 'create', '--db', db, '--name', 'x', '--role', 'root', '--site', 'acme']);
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toMatch(/Allowed choices are agent, engineer, customer, admin/);
  });

  it('serves, backs up online while reports arrive, revokes, and restores', async () => {
    const eng = (await runCollectorCli(['token', 'create', '--db', db, '--site', 'acme', '--name', 'Zhang Wei', '--role', 'engineer'])).stdout.trim();
    const server = await spawnCollector(db);
    running.push(server);
    const acked: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await server.request('POST', '/api/v1/reports', { token: agentToken, body: realisticReport({ id: `rpt-cli-${i}` }) });
      expect(res.status).toBe(201);
      acked.push(`rpt-cli-${i}`);
    }
    // Backup while a client keeps sending.
    let sending = true;
    const background = (async () => {
      for (let i = 100; sending; i++) {
        const res = await server.request('POST', '/api/v1/reports', { token: agentToken, body: realisticReport({ id: `rpt-cli-${i}` }) });
        expect(res.status).toBe(201);
      }
    })();
    const backupFile = join(dir, 'backups', 'xunjian-backup.db');
    const backup = await runCollectorCli(['backup', backupFile, '--db', db]);
    sending = false;
    await background;
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/backup written to .*xunjian-backup\.db \(\d+ pages, integrity ok\)/);

    const list = await runCollectorCli(['token', 'list', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^1\tagent\tacme\tdb01\tagent-db01\tlast used 20\d\d-/m);
    expect(list.stdout).not.toContain(agentToken);
    const revoke = await runCollectorCli(['token', 'revoke', '1', '--db', db]);
    expect(revoke.code).toBe(0);
    expect((await server.request('POST', '/api/v1/reports', { token: agentToken, body: realisticReport() })).status).toBe(401);
    expect((await runCollectorCli(['token', 'revoke', '1', '--db', db])).code).toBe(2);
    await server.stop();

    // Restore (collector/README.md): stop, copy the backup over the database path, start.
    const restored = join(dir, 'restored', 'xunjian.db');
    const copyDir = join(dir, 'restored');
    rmSync(copyDir, { recursive: true, force: true });
    mkdirSync(copyDir, { recursive: true });
    copyFileSync(backupFile, restored);
    const again = await spawnCollector(restored);
    running.push(again);
    for (const id of acked) {
      const res = await again.request('GET', `/api/v1/reports/${id}`, { token: eng });
      expect(res.status).toBe(200);
      expect((await res.json()).results).toHaveLength(6);
    }
    const check = openDatabase(restored, { migrate: false });
    expect(integrityCheck(check)).toBe('ok');
    check.close();
    await again.stop();
  });

  it('migrates a fresh database once', async () => {
    const fresh = join(dir, 'fresh.db');
    const first = await runCollectorCli(['migrate', '--db', fresh]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^applied migrations 1(, \d+)*$/m);
    const second = await runCollectorCli(['migrate', '--db', fresh]);
    expect(second.stdout).toBe('database is up to date\n');
  });

  it('reports a bad setting as one line naming it, exit code 2', async () => {
    const out = await runCollectorCli(['serve', '--db', join(dir, 'x.db'), '--port', 'eighty']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^collector: invalid collector configuration: \/listen\/port: /);
    const missing = await runCollectorCli(['backup', join(dir, 'b.db'), '--db', join(dir, 'nothing-here.db')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no collector database at .*nothing-here\.db/);
  });
});
