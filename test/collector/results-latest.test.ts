import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/*
 * The newest result of each check (results_latest, migration 100), through a real collector on
 * either engine: kept by the statement that stores results, newest by window end, then by id.
 */
let c: TestCollector;

beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => c?.stop());

async function send(hostname: string, at: string, extra: Parameters<typeof realisticReport>[0] = {}): Promise<void> {
  const body = realisticReport({ hostname, at: new Date(at), site: 'acme', ...extra });
  expect((await c.request('POST', '/api/v1/reports', { token: c.agentFor('acme', hostname), body })).status).toBe(201);
}

async function latestOf(hostname: string) {
  const device = (await c.app.repos.devices.get('acme', hostname))!;
  return new Map((await c.app.repos.results.latest(device.id)).map((r) => [r.check, r]));
}

describe('the newest result of each check', () => {
  it('is the newest window, whatever order the reports arrive in', async () => {
    await send('db01', '2026-11-02T10:00:00.000Z', { psuFault: true });
    // A spool flushed late: an older window stored after the newer one does not displace it.
    await send('db01', '2026-11-01T10:00:00.000Z');
    let latest = await latestOf('db01');
    expect([...latest.keys()]).toEqual(['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']);
    expect(latest.get('SXKR-004')).toMatchObject({ verdict: 'abnormal', at: Date.parse('2026-11-02T10:00:00.000Z') });
    await send('db01', '2026-11-03T10:00:00.000Z');
    latest = await latestOf('db01');
    expect(latest.get('SXKR-004')).toMatchObject({ verdict: 'normal', at: Date.parse('2026-11-03T10:00:00.000Z') });
    // Another device's reports are its own.
    await send('db02', '2026-11-04T10:00:00.000Z', { psuFault: true });
    expect((await latestOf('db01')).get('SXKR-004')?.verdict).toBe('normal');
    expect((await latestOf('db02')).get('SXKR-004')?.verdict).toBe('abnormal');
  });

  it('of two reports of one window, is the one stored last', async () => {
    await send('db03', '2026-11-05T10:00:00.000Z');
    await send('db03', '2026-11-05T10:00:00.000Z', { psuFault: true });
    expect((await latestOf('db03')).get('SXKR-004')?.verdict).toBe('abnormal');
  });

  it("a check's history is newest first, and empty for a device with no results", async () => {
    const device = (await c.app.repos.devices.get('acme', 'db01'))!;
    const history = await c.app.repos.results.history(device.id, 'SXKR-004', 10);
    expect(history.map((r) => [r.verdict, new Date(r.at).toISOString()])).toEqual([
      ['normal', '2026-11-03T10:00:00.000Z'],
      ['abnormal', '2026-11-02T10:00:00.000Z'],
      ['normal', '2026-11-01T10:00:00.000Z'],
    ]);
    // A device on record with no results (a heartbeat only).
    expect((await c.request('POST', '/api/v1/heartbeat', { token: c.agentFor('acme', 'quiet01'), body: { site: 'acme', hostname: 'quiet01', agentId: 'a1' } })).status).toBeLessThan(300);
    const quiet = (await c.app.repos.devices.get('acme', 'quiet01'))!;
    expect(await c.app.repos.results.history(quiet.id, 'SXKR-004', 10)).toEqual([]);
    expect(await c.app.repos.results.latest(quiet.id)).toEqual([]);
  });
});
