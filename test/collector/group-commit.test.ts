import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestHooks } from '../../collector/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/**
 * Group commit: concurrent reports share one transaction, each in its own savepoint. A report
 * whose ingest fails (here: a hook throws) is rolled back alone and its client told so; the
 * others of the batch are stored, and hooks see each report once, inside the transaction.
 */
describe('group commit', () => {
  let c: TestCollector;
  const seen: string[] = [];
  const hook: IngestHooks = {
    afterResults(device, results, report) {
      expect(c.app.store.inTransaction()).toBe(true);
      expect(results).toHaveLength(6);
      seen.push(`${device.hostname}:${report.id}`);
      if (report.id.endsWith('-poison')) throw new Error('hook refused this report');
    },
  };
  beforeAll(async () => {
    c = await startTestCollector({}, { hooks: [hook] });
  });
  afterAll(async () => c?.stop());

  it('rolls back only the failing report of a concurrent batch', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => (i === 5 ? 'rpt-batch-poison' : `rpt-batch-${i}`));
    const answers = await Promise.all(
      ids.map(async (id, i) => {
        const res = await c.request('POST', '/api/v1/reports', { token: c.agentFor('acme', `h${i}`), body: realisticReport({ id, hostname: `h${i}` }) });
        return [id, res.status, await res.json()] as const;
      }),
    );
    for (const [id, status, body] of answers) {
      if (id === 'rpt-batch-poison') {
        expect(status).toBe(500);
        expect(body).toEqual({ error: 'internal', message: 'internal error; the request was not applied' });
      } else {
        expect(status).toBe(201);
      }
    }
    const stored = (c.db.prepare('SELECT report_id FROM reports ORDER BY report_id').all() as { report_id: string }[]).map((r) => r.report_id);
    expect(stored).toEqual(ids.filter((id) => id !== 'rpt-batch-poison').sort());
    // The failed report left nothing behind: no measurements, no results, no device row.
    expect(c.db.prepare("SELECT count(*) AS n FROM devices WHERE hostname = 'h5'").get()).toEqual({ n: 0 });
    expect(c.db.prepare('SELECT count(*) AS n FROM measurements').get()).toEqual({ n: 11 * 60 });
    expect(c.db.prepare('SELECT count(*) AS n FROM results').get()).toEqual({ n: 11 * 6 });
    expect(seen).toHaveLength(12);
    // Resent after the problem is gone, it is stored (not a duplicate).
    const again = await c.request('POST', '/api/v1/reports', { token: c.agentFor('acme', 'h5'), body: realisticReport({ id: 'rpt-batch-poison-fixed', hostname: 'h5' }) });
    expect(again.status).toBe(201);
  });
});
