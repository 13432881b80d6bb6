/**
 * The collector's SNMP poller and syslog receiver against real processes: snmpsimd serving the
 * SNMP fixtures, a real collector on a SQLite file (on PostgreSQL with XUNJIAN_TEST_ENGINE=postgres),
 * real UDP/TCP syslog senders on loopback addresses (127.0.0.1 is the SNMP target, 127.0.0.3 a
 * device known from an agent report, 127.0.0.9 nobody).
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, readdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSilence } from '../../collector/tickets/index.js';
import { addRecording, makeDataDir, startSnmpsim, type Snmpsim } from '../helpers/snmpsim.js';
import { SYSLOG_OFF, freeSyslogPort, startTestCollector, until, type TestCollector } from '../helpers/collector.js';
import { expectNotStoredInClear } from '../helpers/stored-secrets.js';

const FIXTURES = new URL('../snmp/fixtures/', import.meta.url).pathname;
const SHARED_2960X = new URL('../../../shared/testdata/snmp/recordings/ios_2960x.snmprec', import.meta.url).pathname;
const PORTS = Array.from({ length: 20 }, (_, i) => 11180 + i);
const COMMUNITY = 'cisco_log'; // the fixture's file name is its community
const KEY = randomBytes(32).toString('hex');

function sendUdp(text: string, from: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.bind(0, from, () => s.send(text, port, '127.0.0.1', (err) => (s.close(), err ? reject(err) : resolve())));
  });
}

function sendTcp(payload: string, from: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress: from }, () => s.end(payload));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

let sim: Snmpsim;
let c: TestCollector;
let engineer: string;
let syslogPort: number;

beforeAll(async () => {
  const dataDir = makeDataDir();
  for (const f of readdirSync(FIXTURES).filter((f) => f.endsWith('.snmprec'))) addRecording(dataDir, join(FIXTURES, f));
  if (existsSync(SHARED_2960X)) addRecording(dataDir, SHARED_2960X);
  sim = await startSnmpsim({ dataDir, probeCommunity: COMMUNITY, ports: PORTS });
  syslogPort = await freeSyslogPort();
  c = await startTestCollector({
    snmp: { credentialKey: KEY, pollerEnabled: true, concurrency: 4 },
    syslog: { port: syslogPort, host: '0.0.0.0', flushSeconds: 0.2, maxQueue: 1000 },
    silenceScanSeconds: 0,
  });
  engineer = c.token('admin', null); // global tokens are admin-only; an hq engineer is tried below
}, 180_000);

afterAll(async () => {
  await c?.stop();
  await sim?.stop();
});

const latest = async (site: string, hostname: string) => {
  const res = await c.request('GET', `/api/v1/sites/${site}/devices/${encodeURIComponent(hostname)}/results`, { token: engineer });
  return res.status === 200 ? ((await res.json()) as { results: { check: string; verdict: string; report: string; result: { reason?: string } }[] }) : undefined;
};

describe('SNMP targets and the poller', () => {
  it('refuses a target with a clear 400 when no credential key is configured', async () => {
    const saved = process.env.XUNJIAN_SNMP_KEY;
    delete process.env.XUNJIAN_SNMP_KEY;
    const bare = await startTestCollector({ snmp: { pollerEnabled: false, concurrency: 1 }, syslog: SYSLOG_OFF });
    try {
      const res = await bare.request('POST', '/api/v1/sites/hq/snmp-targets', { token: bare.token('admin', null), body: { host: '127.0.0.1', community: 'public' } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe('snmp_key_missing');
      expect(body.message).toMatch(/XUNJIAN_SNMP_KEY/);
      expect(body.message).toMatch(/snmp\.credentialKey/);
    } finally {
      await bare.stop();
      if (saved !== undefined) process.env.XUNJIAN_SNMP_KEY = saved;
    }
  });

  it('validates the target: v2c without a community is a 400, a customer token a 403', async () => {
    const missing = await c.request('POST', '/api/v1/sites/hq/snmp-targets', { token: engineer, body: { host: '127.0.0.1', port: sim.port } });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toMatch(/community/);
    const customer = await c.request('POST', '/api/v1/sites/hq/snmp-targets', { token: c.token('customer', 'hq'), body: { host: '127.0.0.1', community: 'x' } });
    expect(customer.status).toBe(403);
    const hqEngineer = c.token('engineer', 'hq');
    expect((await c.request('GET', '/api/v1/sites/hq/snmp-targets', { token: hqEngineer })).status).toBe(200);
    expect((await c.request('GET', '/api/v1/sites/branch/snmp-targets', { token: hqEngineer })).status).toBe(403);
  });

  it('polls a registered target and ingests its report like a posted one (source snmp)', async () => {
    const res = await c.request('POST', '/api/v1/sites/hq/snmp-targets', {
      token: engineer,
      body: { host: '127.0.0.1', port: sim.port, version: '2c', community: COMMUNITY, intervalS: 300, timeoutMs: 1000, retries: 1 },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, unknown>;
    expect(created).toMatchObject({ hasCommunity: true, hasAuthKey: false, host: '127.0.0.1' });
    expect(JSON.stringify(created)).not.toContain(COMMUNITY);

    // The poller's own event, not a wall-clock poll of the API.
    await c.app.poller!.whenPolled(created.id as number);
    const list = (await (await c.request('GET', '/api/v1/sites/hq/snmp-targets', { token: engineer })).json()) as Record<string, unknown>[];
    const target = list.find((t) => t.id === created.id)!;
    expect(target, sim.log()).toMatchObject({ lastResult: 'ok', hostname: 'acc-sw-07' });
    expect(JSON.stringify(target)).not.toContain(COMMUNITY);

    const device = (await (await c.request('GET', '/api/v1/sites/hq/devices/acc-sw-07', { token: engineer })).json()) as Record<string, unknown>;
    expect(device).toMatchObject({ lastSource: 'snmp', expectedIntervalS: 300 });
    const results = await latest('hq', 'acc-sw-07');
    expect(results?.results).toHaveLength(6);
    expect(results!.results.every((r) => r.report === target.lastReportId)).toBe(true);
    expect(results!.results.some((r) => r.verdict !== 'unknown')).toBe(true);
    const report = (await (await c.request('GET', `/api/v1/reports/${String(target.lastReportId)}`, { token: engineer })).json()) as Record<string, unknown>;
    expect(JSON.stringify(report)).toMatch(/"source":"snmp"/);
  });

  it('a polled fault opens a ticket and lands in the month’s inspection, like an agent’s', async () => {
    const res = await c.request('POST', '/api/v1/sites/power/snmp-targets', {
      token: engineer,
      body: { host: '127.0.0.1', port: sim.port, community: 'ups_onbattery', intervalS: 3600, timeoutMs: 1000, retries: 1 },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    await c.app.poller!.whenPolled(id);
    const polled = (await (await c.request('GET', `/api/v1/sites/power/snmp-targets/${id}`, { token: engineer })).json()) as Record<string, string>;
    expect(polled).toMatchObject({ lastResult: 'ok', hostname: 'ups-room-1' });
    const tickets = (await (await c.request('GET', '/api/v1/tickets?site=power&status=active', { token: engineer })).json()) as { device: string; subject: string; symptom: string }[];
    expect(tickets).toContainEqual(expect.objectContaining({ device: 'ups-room-1', subject: 'SXKR-004', symptom: expect.stringMatching(/battery\(5\)/) }));
    const month = polled.lastPollAt!.slice(0, 7);
    const record = (await (await c.request('GET', `/api/v1/sites/power/inspections/${month}`, { token: engineer })).json()) as { rows: { device: string; check: string; verdict: string }[] };
    expect(record.rows.find((r) => r.device === 'ups-room-1' && r.check === 'SXKR-004')).toMatchObject({ verdict: 'abnormal' });
    await c.request('DELETE', `/api/v1/sites/power/snmp-targets/${id}`, { token: engineer });
  });

  it('keeps credentials out of the database file in clear', async () => {
    await expectNotStoredInClear(c, COMMUNITY, ['snmp_targets']);
    const sealed = (await c.store.get<{ community_sealed: string }>('SELECT community_sealed FROM snmp_targets'))!;
    expect(sealed.community_sealed).toMatch(/^v1:/);
  });

  it('a wrong community: every check unknown with the reason, and the device down after the misses', async () => {
    const res = await c.request('POST', '/api/v1/sites/branch/snmp-targets', {
      token: engineer,
      body: { host: 'localhost', port: sim.port, community: 'wrong-community', name: 'edge-sw', intervalS: 60, timeoutMs: 200, retries: 0 },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    await c.app.poller!.whenPolled(id);
    const target = (await (await c.request('GET', `/api/v1/sites/branch/snmp-targets/${id}`, { token: engineer })).json()) as Record<string, unknown>;
    expect(target).toMatchObject({ lastResult: 'unreachable', lastError: expect.stringMatching(/community|timed out|timeout/i) });
    const results = await latest('branch', 'edge-sw');
    expect(results?.results).toHaveLength(6);
    for (const r of results!.results) expect(r).toMatchObject({ verdict: 'unknown', result: { reason: expect.stringMatching(/community|timed out|timeout/i) } });

    // Silence: misses × the target's interval later, without a reachable poll, the device is down.
    const changes = (await detectSilence(c.store, new Date(Date.now() + 60_000 * 3 + 5_000)));
    expect(changes).toContainEqual(expect.objectContaining({ site: 'branch', hostname: 'edge-sw', state: 'down' }));
    expect(changes.find((x) => x.hostname === 'acc-sw-07')).toBeUndefined(); // polled every 300 s, not yet late
  });

  it('a device that never answers holds one slot and does not delay another device', async () => {
    const silent = createSocket('udp4'); // swallows every request: the poll can only time out
    const silentPort = await new Promise<number>((resolve) => silent.bind(0, '127.0.0.1', () => resolve(silent.address().port)));
    try {
      const body = (extra: Record<string, unknown>) => ({ host: '127.0.0.1', community: COMMUNITY, intervalS: 3600, ...extra });
      const dead = await c.request('POST', '/api/v1/sites/far/snmp-targets', { token: engineer, body: body({ port: silentPort, name: 'dead-ups', timeoutMs: 4000, retries: 1 }) });
      const live = await c.request('POST', '/api/v1/sites/far/snmp-targets', { token: engineer, body: body({ port: sim.port, name: 'far-sw' }) });
      expect([dead.status, live.status]).toEqual([201, 201]);
      const [deadId, liveId] = [((await dead.json()) as { id: number }).id, ((await live.json()) as { id: number }).id];
      const get = async (id: number) => (await (await c.request('GET', `/api/v1/sites/far/snmp-targets/${id}`, { token: engineer })).json()) as Record<string, unknown>;
      await c.app.poller!.whenPolled(liveId);
      // The dead device's poll (registered first) cannot end before 4 s × 2 attempts: it is still running.
      expect(await get(liveId)).toMatchObject({ lastResult: 'ok' });
      expect((await get(deadId)).lastPollAt).toBeUndefined();
      await c.request('DELETE', `/api/v1/sites/far/snmp-targets/${deadId}`, { token: engineer });
    } finally {
      silent.close();
    }
  });

  it('PATCH changes settings and DELETE removes the target; secrets stay write-only', async () => {
    const list = (await (await c.request('GET', '/api/v1/sites/branch/snmp-targets', { token: engineer })).json()) as { id: number }[];
    const id = list[0]!.id;
    const patched = await c.request('PATCH', `/api/v1/sites/branch/snmp-targets/${id}`, { token: engineer, body: { community: 'another-secret', retries: 2 } });
    expect(patched.status).toBe(200);
    const body = await patched.text();
    expect(body).not.toContain('another-secret');
    expect(JSON.parse(body)).toMatchObject({ retries: 2, hasCommunity: true });
    expect((await c.request('GET', `/api/v1/sites/hq/snmp-targets/${id}`, { token: engineer })).status).toBe(404);
    expect((await c.request('DELETE', `/api/v1/sites/branch/snmp-targets/${id}`, { token: engineer })).status).toBe(204);
    expect((await c.request('GET', `/api/v1/sites/branch/snmp-targets/${id}`, { token: engineer })).status).toBe(404);
  });
});

describe('syslog receiver', () => {
  it('UDP RFC 3164 from the SNMP target → an SXKR-006 abnormal result listing the entry', async () => {
    // 127.0.0.1 is also the address of the other sites' targets above (one simulator): a sender
    // claimed by two sites is ambiguous and attaches to neither (issue 10), so they go first.
    for (const site of ['branch', 'power', 'far']) {
      const targets = (await (await c.request('GET', `/api/v1/sites/${site}/snmp-targets`, { token: engineer })).json()) as { id: number }[];
      for (const t of targets) expect((await c.request('DELETE', `/api/v1/sites/${site}/snmp-targets/${t.id}`, { token: engineer })).status).toBe(204);
    }
    await sendUdp('<187>Nov 28 10:15:02 acc-sw-07 %PLATFORM-3-ELEMENT_CRITICAL: power supply 2 failed', '127.0.0.1', syslogPort);
    await sendUdp('<190>Nov 28 10:15:03 acc-sw-07 %SYS-6-LOGGINGHOST: informational, not stored', '127.0.0.1', syslogPort);
    c.app.syslog!.invalidate();
    const log = await until('the syslog batch', async () => {
      const r = (await latest('hq', 'acc-sw-07'))?.results.find((x) => x.check === 'SXKR-006');
      return r && JSON.stringify(r).includes('power supply 2 failed') ? r : undefined;
    });
    expect(log.verdict).toBe('abnormal');
    expect(JSON.stringify(log)).not.toContain('informational, not stored');
    // The entries rode on an immediate poll: the other checks of that report were measured too.
    const all = (await latest('hq', 'acc-sw-07'))!.results;
    expect(all.every((r) => r.report === log.report)).toBe(true);
    expect(all.find((r) => r.check === 'SXKR-001')!.verdict).not.toBe('unknown');
  });

  it('TCP RFC 5424 (octet counting and newline framing) from a device known by address', async () => {
    const post = await c.request('POST', '/api/v1/reports', {
      token: c.token('agent', 'hq'),
      body: {
        id: `agent-db01-${Date.now()}`,
        source: 'agent',
        site: 'hq',
        window: { start: new Date(Date.now() - 60_000).toISOString(), end: new Date().toISOString() },
        identity: { hostname: 'db01', kind: 'server', addresses: ['127.0.0.3'] },
        measurements: [{ check: 'SXKR-001', component: 'CPU', metric: 'cpu.avg', value: 12, unit: '%', command: 'top', at: new Date().toISOString() }],
        gaps: [],
      },
    });
    expect(post.status, await post.clone().text()).toBeLessThan(300);
    const m1 = '<11>1 2026-11-28T10:20:00.000Z db01 kernel - - - EXT4-fs error (device sda1): bad block bitmap';
    const m2 = '<10>1 2026-11-28T10:20:01.000Z db01 mdadm 812 ID47 [origin ip="127.0.0.3"] md0 degraded';
    await sendTcp(`${Buffer.byteLength(m1)} ${m1}${Buffer.byteLength(m2)} ${m2}`, '127.0.0.3', syslogPort);
    await sendTcp('<12>1 2026-11-28T10:20:02.000Z db01 app - - - only a warning\n<9>1 - db01 smartd - - - sdb: failing\n', '127.0.0.3', syslogPort);
    const log = await until('the TCP batch', async () => {
      const r = (await latest('hq', 'db01'))?.results.find((x) => x.check === 'SXKR-006');
      const text = JSON.stringify(r ?? {});
      return text.includes('bad block bitmap') && text.includes('md0 degraded') && text.includes('sdb: failing') ? r : undefined;
    });
    expect(log.verdict).toBe('abnormal');
    expect(JSON.stringify(log)).not.toContain('only a warning');
  });

  it('an unknown sender is counted in /metrics, logged once, not stored', async () => {
    const metric = async () => {
      const text = await (await c.request('GET', '/metrics')).text();
      return Number(/^xunjian_syslog_unknown_sender_total (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const before = await metric();
    const devicesBefore = (await c.store.get<{ n: number }>('SELECT count(*) AS n FROM devices'))!;
    await sendUdp('<11>Nov 28 10:30:00 stranger kernel: disk failure', '127.0.0.9', syslogPort);
    await sendTcp('<11>Nov 28 10:30:01 stranger kernel: disk failure again\n', '127.0.0.9', syslogPort);
    await until('the unknown sender count', async () => ((await metric()) >= before + 2 ? true : undefined));
    await c.app.syslog!.flush();
    const devicesAfter = (await c.store.get<{ n: number }>('SELECT count(*) AS n FROM devices'))!;
    expect(devicesAfter.n).toBe(devicesBefore.n);
    const stored = (await c.store.get<{ n: number }>("SELECT count(*) AS n FROM measurements WHERE value LIKE '%disk failure%'"))!;
    expect(stored.n).toBe(0);
  });

  it('a syslog port that cannot be bound is reported, and the collector still serves', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    const other = await startTestCollector({ snmp: { pollerEnabled: false, concurrency: 1 }, syslog: { port, host: '127.0.0.1', flushSeconds: 5, maxQueue: 10 } });
    try {
      const text = await (await other.request('GET', '/metrics')).text();
      expect(text).toMatch(/^xunjian_syslog_listening 0$/m);
      expect((await other.request('GET', '/metrics')).status).toBe(200);
      expect(await (await c.request('GET', '/metrics')).text()).toMatch(/^xunjian_syslog_listening 1$/m);
    } finally {
      await other.stop();
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});
