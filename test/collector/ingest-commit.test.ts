import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/**
 * "Evaluation and storage commit in one transaction before the 2xx", seen from outside the
 * collector: a second, independent connection to the database file (which sees only committed
 * data) finds the report, its measurements, its six results and the ticket its fault opened the
 * moment the client has its answer. And a report id stays one report however its resends race.
 */
describe('ingest commits before it answers', () => {
  let c: TestCollector;
  let reader: Database.Database;

  beforeAll(async () => {
    c = await startTestCollector();
    reader = new Database(c.dbPath, { readonly: true, fileMustExist: true });
  });
  afterAll(async () => {
    reader?.close();
    await c?.stop();
  });

  /** What an outside reader sees of one report, at this instant. */
  function seenFromOutside(reportId: string) {
    const row = reader.prepare('SELECT id, device_id FROM reports WHERE report_id = ?').get(reportId) as { id: number; device_id: number } | undefined;
    if (!row) return { report: false, measurements: 0, results: 0, openTickets: 0 };
    const count = (sql: string, arg: number) => (reader.prepare(sql).get(arg) as { n: number }).n;
    return {
      report: true,
      measurements: count('SELECT count(*) AS n FROM measurements WHERE report_id = ?', row.id),
      results: count('SELECT count(*) AS n FROM results WHERE report_id = ?', row.id),
      openTickets: count("SELECT count(*) AS n FROM tickets WHERE device_id = ? AND status <> 'closed'", row.device_id),
    };
  }

  it('every 2xx of 24 concurrent reports is already visible, whole, to another connection', async () => {
    const seen = await Promise.all(
      Array.from({ length: 24 }, async (_, i) => {
        const report = realisticReport({ id: `rpt-commit-${i}`, hostname: `srv${i}`, psuFault: true });
        const res = await c.request('POST', '/api/v1/reports', { token: c.agentFor('acme', report.identity.hostname), body: report });
        // Read before anything else can run: what was committed when the answer arrived.
        const outside = seenFromOutside(report.id);
        return { status: res.status, outside };
      }),
    );
    for (const { status, outside } of seen) {
      expect(status).toBe(201);
      expect(outside).toEqual({ report: true, measurements: 60, results: 6, openTickets: 1 });
    }
  });

  it('the same report sent 8 times at once is stored once: one 201, seven duplicates', async () => {
    const report = realisticReport({ id: 'rpt-race-0001', hostname: 'race01' });
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const res = await c.request('POST', '/api/v1/reports', { token: c.agentFor('acme', report.identity.hostname), body: report });
        return { status: res.status, body: await res.json() };
      }),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    for (const a of answers.filter((x) => x.status === 200)) expect(a.body).toEqual({ duplicate: true, id: 'rpt-race-0001' });
    expect(seenFromOutside('rpt-race-0001')).toEqual({ report: true, measurements: 60, results: 6, openTickets: 0 });
    expect((reader.prepare("SELECT count(*) AS n FROM reports WHERE report_id = 'rpt-race-0001'").get() as { n: number }).n).toBe(1);
  });
});
