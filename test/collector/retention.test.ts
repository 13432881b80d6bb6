import type { CollectorConfig, Report } from '../../schemas/index.js';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StartOptions } from '../../collector/server.js';
import { realisticReport, startTestCollector, tempDir, type TestCollector } from '../helpers/collector.js';

/**
 * Retention through a real collector on a real file, on the collector's own schedule: raw
 * measurements older than `retention.rawDays` (by the collector's clock) are folded into hourly
 * rollups and deleted — at start and on every interval — while reports, results, tickets and
 * inspections are kept. The test moves the collector's clock and waits on the schedule's own
 * events (`nextRun`, `atStart`), never on a guessed time.
 */
const DAY = 86_400_000;
const T0 = new Date('2026-11-03T10:00:00.000Z');

describe('retention on a schedule', () => {
  const dir = tempDir();
  let clock = T0;
  let c: TestCollector;
  /** Reports go in with the agent token of their own device (an agent token speaks for one device). */
  const asAgent = (body: Report) => ({ token: c.agentFor(body.site ?? 'acme', body.identity.hostname), body });
  let agent: string;
  let engineer: string;
  /** The first start's data (its file, or its PostgreSQL database): a restart finds it again. */
  let same: Partial<CollectorConfig> = {};
  const start = async (rawDays: number, options: StartOptions = {}) => {
    const started = await startTestCollector({ retention: { rawDays }, ...same }, { now: () => clock, ...options }, dir);
    same = started.sameStorage;
    return started;
  };

  const json = async (path: string) => (await c.request('GET', path, { token: engineer })).json();
  const pruned = async (id: string): Promise<boolean> => (await json(`/api/v1/reports/${id}/measurements`)).pruned;

  beforeAll(async () => {
    // A short interval so the test sees several scheduled runs; the schedule is the server's own.
    c = await start(7, { retentionEveryMs: 50 });
    agent = c.token('agent', 'acme');
    engineer = c.token('engineer', 'acme');
    for (const [i, cpuAvg] of [10, 30, 50].entries()) {
      clock = new Date(T0.getTime() + i * 600_000);
      const res = await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ id: `rpt-old-${i}`, at: clock, cpuAvg, psuFault: true })));
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await c?.stop({ keep: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps raw measurements younger than rawDays through many scheduled runs', async () => {
    clock = new Date(T0.getTime() + 6 * DAY);
    // Several scheduled runs, each begun after the clock moved, fold nothing younger than 7 days.
    for (let i = 0; i < 3; i++) expect(await c.retention.nextRun()).toBe(0);
    expect(await lastRun()).toBe(clock.getTime() / 1000);
    expect(await pruned('rpt-old-0')).toBe(false);
    expect((await json('/api/v1/reports/rpt-old-0/measurements')).measurements).toHaveLength(60);
  });

  it('folds them into hourly min/avg/max once they are older, on its own', async () => {
    clock = new Date(T0.getTime() + 8 * DAY);
    expect(await c.retention.nextRun()).toBe(3);
    for (const id of ['rpt-old-0', 'rpt-old-1', 'rpt-old-2']) expect(await pruned(id)).toBe(true);
    expect((await json('/api/v1/reports/rpt-old-0/measurements')).measurements).toEqual([]);
    const device = (await c.app.repos.devices.get('acme', 'db01'))!;
    const cpu = (await c.app.repos.reports.hourly(device.id, T0.getTime() - 3_600_000, T0.getTime() + 3_600_000)).find((p) => p.component === 'CPU' && p.metric === 'cpu.avg');
    expect(cpu).toMatchObject({ min: 10, avg: 30, max: 50, count: 3 });
    const metrics = await (await c.request('GET', '/metrics')).text();
    expect(metrics).toMatch(/^xunjian_retention_reports_pruned_total 3$/m);
    expect(metrics).toMatch(/^xunjian_retention_failures_total 0$/m);
  });

  it('keeps the reports, their results, the ticket and the inspection record', async () => {
    const report = await json('/api/v1/reports/rpt-old-1');
    expect(report.measurementCount).toBe(60);
    expect(report.results).toHaveLength(6);
    const history = await json('/api/v1/sites/acme/devices/db01/results/SXKR-004');
    expect(history.results.map((r: { report: string }) => r.report)).toEqual(['rpt-old-2', 'rpt-old-1', 'rpt-old-0']);
    const tickets = await json('/api/v1/tickets?site=acme');
    expect(tickets.map((t: { subject: string }) => t.subject).sort()).toEqual(['SXKR-001', 'SXKR-004']); // CPU at 50 % avg is high too
    const record = await json('/api/v1/sites/acme/inspections/2026-11');
    expect(record.rows.find((r: { check: string }) => r.check === 'SXKR-004')).toMatchObject({ device: 'db01', verdict: 'abnormal' });
  });

  it('leaves a report received since alone', async () => {
    const res = await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ id: 'rpt-fresh', at: clock })));
    expect(res.status).toBe(201);
    expect(await c.retention.runNow()).toBe(0);
    expect((await json('/api/v1/reports/rpt-fresh/measurements')).measurements).toHaveLength(60);
  });

  it('runs at start: a collector started long after finds the backlog and folds it without waiting an interval', async () => {
    await c.stop({ keep: true });
    clock = new Date(T0.getTime() + 30 * DAY);
    c = await start(7); // the default hourly interval: only the run at start can do it
    expect(await c.retention.atStart).toBe(1);
    expect(await pruned('rpt-fresh')).toBe(true);
  });

  it('keeps everything with rawDays 0', async () => {
    await c.stop({ keep: true });
    c = await start(0, { retentionEveryMs: 50 });
    const res = await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ id: 'rpt-kept', at: new Date(clock.getTime() - 400 * DAY) })));
    expect(res.status).toBe(201);
    clock = new Date(clock.getTime() + 1000 * DAY);
    expect(await c.retention.runNow()).toBe(0);
    expect((await json('/api/v1/reports/rpt-kept/measurements')).measurements).toHaveLength(60);
    expect(await (await c.request('GET', '/metrics')).text()).toMatch(/^xunjian_retention_last_run_timestamp_seconds 0$/m);
  });

  /** Seconds of the collector clock at the last finished run, from /metrics. */
  async function lastRun(): Promise<number> {
    const text = await (await c.request('GET', '/metrics')).text();
    return Number(/^xunjian_retention_last_run_timestamp_seconds (\S+)$/m.exec(text)?.[1] ?? NaN);
  }
});
