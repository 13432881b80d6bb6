/**
 * Syslog from a device with no SNMP target (an agent host known by its reported address): the
 * batch becomes a log-only report. It must update SXKR-006 and leave the device's other five
 * checks as its agent last measured them — in the latest results and in the monthly inspection —
 * rather than turning them "unknown: not measured". Real collector, real UDP datagrams.
 */
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inspection } from '../../schemas/index.js';
import { freeSyslogPort, realisticReport, startTestCollector, until, type TestCollector } from '../helpers/collector.js';

const SENDER = '127.0.0.4';
const clock = new Date('2026-11-20T10:00:00.000Z');
let c: TestCollector;
let reader: string;
let syslogPort: number;

interface Latest { results: { check: string; verdict: string; report: string; result: { actual: string } }[] }

function sendUdp(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.bind(0, SENDER, () => s.send(text, syslogPort, '127.0.0.1', (err) => (s.close(), err ? reject(err) : resolve())));
  });
}

beforeAll(async () => {
  syslogPort = await freeSyslogPort();
  c = await startTestCollector(
    { syslog: { port: syslogPort, host: '0.0.0.0', flushSeconds: 0.1, maxQueue: 100 }, silenceScanSeconds: 0 },
    { now: () => clock },
  );
  reader = c.token('engineer', 'hq');
});
afterAll(async () => c?.stop());

const latest = async (): Promise<Latest> => (await (await c.request('GET', '/api/v1/sites/hq/devices/db02/results', { token: reader })).json()) as Latest;

describe('syslog for a device known only by address', () => {
  it('updates SXKR-006 only; the five other checks keep the agent’s results, also in the month’s inspection', async () => {
    const agentReport = realisticReport({ hostname: 'db02', site: 'hq', psuFault: true, at: new Date(clock.getTime() - 60_000) });
    agentReport.identity.addresses = [SENDER];
    const posted = await c.request('POST', '/api/v1/reports', { token: c.token('agent', 'hq'), body: agentReport });
    expect(posted.status).toBe(201);
    const before = await latest();
    expect(before.results.map((r) => r.report)).toEqual(Array(6).fill(agentReport.id));

    await sendUdp('<187>Nov 20 09:59:30 db02 kernel: EDAC MC0: 1 UE memory read error on DIMM_A1');
    const after = await until('the syslog batch stored', async () => {
      const now = await latest();
      return JSON.stringify(now).includes('EDAC MC0') ? now : undefined;
    });

    const log = after.results.find((r) => r.check === 'SXKR-006')!;
    expect(log.verdict).toBe('abnormal');
    expect(log.report).not.toBe(agentReport.id);
    const others = after.results.filter((r) => r.check !== 'SXKR-006');
    expect(others.map((r) => [r.check, r.report, r.verdict])).toEqual(
      before.results.filter((r) => r.check !== 'SXKR-006').map((r) => [r.check, agentReport.id, r.verdict]),
    );
    expect(others.find((r) => r.check === 'SXKR-004')!.verdict).toBe('abnormal'); // the failed PSU is still on record

    const month = (await (await c.request('GET', '/api/v1/sites/hq/inspections/2026-11', { token: reader })).json()) as Inspection;
    const rows = month.rows.filter((r) => r.device === 'db02');
    expect(rows.map((r) => [r.check, r.verdict])).toEqual(after.results.map((r) => [r.check, r.verdict]));
    expect(rows.filter((r) => r.verdict === 'unknown')).toEqual([]);
  });
});
