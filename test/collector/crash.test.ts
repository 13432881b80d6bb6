import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { integrityCheck, openDatabase } from '../../collector/index.js';
import { createToken, realisticReport, spawnCollector, tempDir, type CollectorProcess } from '../helpers/collector.js';

/**
 * kill -9 the collector (a real child process) while clients are sending: after a restart on
 * the same file every report that was acknowledged with a 2xx is there, whole, and the
 * database passes PRAGMA integrity_check.
 */
describe('crash safety', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'xunjian.db');
  const children: CollectorProcess[] = [];
  afterAll(async () => {
    for (const c of children) await c.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged report across SIGKILL during ingest', async () => {
    // Many hosts through one token: the field CLI's engineer token (an agent token is bound to one device).
    const token = createToken(dbPath, 'engineer', 'acme');
    const first = await spawnCollector(dbPath);
    children.push(first);

    const acked = new Set<string>();
    const attempted: string[] = [];
    let killed = false;
    const KILL_AFTER = 150;
    let resolveKill!: () => void;
    const readyToKill = new Promise<void>((res) => (resolveKill = res));

    const client = async (n: number) => {
      for (let i = 0; !killed; i++) {
        const report = realisticReport({ id: `crash-${n}-${i}`, hostname: `host${n}` });
        attempted.push(report.id);
        try {
          const res = await first.request('POST', '/api/v1/reports', { token, body: report });
          if (res.status === 201 || res.status === 200) acked.add(report.id);
          else throw new Error(`unexpected ${res.status}: ${await res.text()}`);
          if (acked.size >= KILL_AFTER) resolveKill();
        } catch (err) {
          if (!killed) throw err;
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, n) => client(n));
    await readyToKill;
    // Clients are still sending: the kill lands among in-flight requests.
    first.child.kill('SIGKILL');
    killed = true;
    await first.exited;
    await Promise.all(clients);
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);

    const second = await spawnCollector(dbPath);
    children.push(second);
    const db = openDatabase(dbPath, { migrate: false });
    try {
      expect(integrityCheck(db)).toBe('ok');
      const stored = new Map(
        (db.prepare(`SELECT r.report_id, r.measurement_count, (SELECT count(*) FROM measurements m WHERE m.report_id = r.id) AS m,
                       (SELECT count(*) FROM results x WHERE x.report_id = r.id) AS x FROM reports r`).all() as
          { report_id: string; measurement_count: number; m: number; x: number }[]).map((r) => [r.report_id, r]),
      );
      const missing = [...acked].filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      // Nothing half-stored: every report present has all its measurements and six results.
      for (const row of stored.values()) {
        expect(row.m).toBe(row.measurement_count);
        expect(row.x).toBe(6);
      }
    } finally {
      db.close();
    }

    // Agents resend what was not acknowledged; stored ones come back as duplicates.
    const engineer = createToken(dbPath, 'engineer', 'acme');
    for (const id of attempted.slice(-10)) {
      const n = /^crash-(\d+)-/.exec(id)![1];
      const res = await second.request('POST', '/api/v1/reports', { token, body: realisticReport({ id, hostname: `host${n}` }) });
      // Acknowledged → duplicate. Not acknowledged → stored now, or committed just before the kill.
      if (acked.has(id)) expect(res.status).toBe(200);
      else expect([200, 201]).toContain(res.status);
    }
    const res = await second.request('GET', `/api/v1/reports/${[...acked][0]}`, { token: engineer });
    expect(res.status).toBe(200);
    expect((await res.json()).results).toHaveLength(6);
  });
});
