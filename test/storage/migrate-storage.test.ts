/**
 * `xunjian collector migrate-storage --to postgres://…` (the real CLI) moves a SQLite collector's
 * database into a real PostgreSQL: every table's count matches; a second run copies nothing; a
 * run after rows went missing puts back just those; a collector started on PostgreSQL then serves
 * the same reports, measurements and tickets, and stores new reports after the copied ids; no
 * notification was raised by the copy.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../collector/storage/open-store.js';
import type { Store } from '../../collector/storage/store.js';
import { realisticReport, runCollectorCli, startTestCollector, tempDir, type TestCollector } from '../helpers/collector.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../helpers/postgres.js';

const missing = postgresMissing();
if (missing) console.warn(`migrate-storage tests skipped: ${missing}`);

describe.skipIf(missing !== null)('migrate-storage from SQLite into PostgreSQL', () => {
  const dir = tempDir('xunjian-move-');
  const dbPath = join(dir, 'xunjian.db');
  let pg: TestPostgres;
  let target: Store;
  let before: { measurements: unknown; tickets: unknown; reportId: string };

  beforeAll(async () => {
    const c = await startTestCollector({ dbPath, silenceScanSeconds: 0 }, {}, dir);
    const admin = c.token('admin', null, 'move-admin');
    const post = async (path: string, body: unknown, method = 'POST') => {
      const res = await c.request(method, path, { token: admin, body });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return res;
    };
    for (const h of ['db01', 'db02']) await post('/api/v1/reports', realisticReport({ site: 'bank', hostname: h, id: `first-${h}-0001` }));
    await post('/api/v1/sites/bank/devices/db02', { role: 'core' }, 'PATCH');
    await post('/api/v1/reports', realisticReport({ site: 'bank', hostname: 'db02', psuFault: true, id: 'fault-db02-0001' }));
    await post('/api/v1/sites/bank/notify/rota', { person: '张工', email: 'zhang@example.test', role: 'on_duty' });
    const measurements = await (await c.request('GET', '/api/v1/reports/fault-db02-0001/measurements', { token: admin })).json();
    const tickets = await (await c.request('GET', '/api/v1/tickets?site=bank', { token: admin })).json();
    before = { measurements, tickets, reportId: 'fault-db02-0001' };
    await c.stop({ keep: true });
    pg = await startPostgres();
    target = await openStore(pg.url);
  }, 120_000);
  afterAll(async () => {
    await target?.close();
    pg?.stop();
  });

  it('copies every table with matching counts, idempotently and resumably, and the collector serves it from PostgreSQL', async () => {
    const first = await runCollectorCli(['migrate-storage', '--db', dbPath, '--to', pg.url]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/every count matches/);
    expect(first.stdout).toMatch(/^measurements\t180 rows\t180 copied\t180 in PostgreSQL$/m);

    const again = await runCollectorCli(['migrate-storage', '--db', dbPath, '--to', pg.url]);
    expect(again.code, again.stderr).toBe(0);
    expect([...again.stdout.matchAll(/\t(\d+) copied\t/g)].every((m) => m[1] === '0')).toBe(true);

    // Rows lost from the target (an interrupted copy) are put back, and only they.
    await target.run('DELETE FROM measurements WHERE report_id = (SELECT id FROM reports WHERE report_id = ?)', ['first-db01-0001']);
    const resumed = await runCollectorCli(['migrate-storage', '--db', dbPath, '--to', pg.url]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^measurements\t180 rows\t60 copied\t180 in PostgreSQL$/m);
    // The copy raised nothing: its triggers were off (the ticket's own notification was planned on SQLite already).
    const events = await target.get<{ n: number }>('SELECT count(*) AS n FROM notify_events');
    const source = await openStore(dbPath);
    const sourceEvents = await source.get<{ n: number }>('SELECT count(*) AS n FROM notify_events');
    await source.close();
    expect(events!.n).toBe(sourceEvents!.n);

    const c: TestCollector = await startTestCollector({ storage: { url: pg.url }, silenceScanSeconds: 0 });
    try {
      const admin = c.token('admin', null, 'pg-admin');
      expect(await (await c.request('GET', `/api/v1/reports/${before.reportId}/measurements`, { token: admin })).json()).toEqual(before.measurements);
      expect(await (await c.request('GET', '/api/v1/tickets?site=bank', { token: admin })).json()).toEqual(before.tickets);
      // New rows take ids after the copied ones.
      const res = await c.request('POST', '/api/v1/reports', { token: admin, body: realisticReport({ site: 'bank', hostname: 'db03', id: 'after-move-0001' }) });
      expect(res.status, await res.clone().text()).toBe(201);
    } finally {
      await c.stop();
    }
  }, 180_000);
});
