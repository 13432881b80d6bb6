/**
 * The agent against a real collector, as real processes: nothing lost, nothing stored twice,
 * a damaged spool recovered, a full spool evicting and saying so, a refused token without a
 * busy loop. Timeouts are ceilings against hangs; nothing asserts wall-clock time.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from '../../agent/spool/index.js';
import { readStatus } from '../../agent/state.js';
import { TokensRepository } from '../../collector/index.js';
import { detectSilence } from '../../collector/tickets/index.js';
import { createToken, realisticReport, spawnCollector, startTestCollector, tempDir, type TestCollector } from '../helpers/collector.js';
import {
  Relay,
  runAgentCli,
  startAgentProcess,
  startPrivateJournal,
  storedMeasurements,
  storedReports,
  waitFor,
  writeAgentConfig,
  type AgentProcess,
} from './harness.js';
import { sqliteStore } from '../../collector/storage/sqlite-store.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function track(agent: AgentProcess): AgentProcess {
  cleanups.push(() => agent.stop('SIGKILL'));
  return agent;
}

async function collectorWithToken(dir = tempDir('xj-agent-collector-')): Promise<{ collector: TestCollector; token: string }> {
  // No silence scan on the app's timer: the heartbeat test runs it at the instants it chooses.
  const collector = await startTestCollector({ silenceScanSeconds: 0 }, {}, dir);
  cleanups.push(() => collector.stop());
  return { collector, token: collector.token('agent', 'lab', 'agent-test') };
}

function spoolFiles(spoolDir: string): string[] {
  return existsSync(spoolDir) ? readdirSync(spoolDir).filter((n) => n.endsWith('.rpt')) : [];
}

function expectEachStoredOnce(dbPath: string, ids: string[]): void {
  const stored = storedReports(dbPath);
  const storedIds = stored.map((r) => r.reportId);
  expect(new Set(storedIds).size).toBe(storedIds.length);
  expect(storedIds.slice().sort()).toEqual([...new Set(ids)].sort());
  for (const r of stored) expect(r.rows).toBe(r.measurementCount);
}

// Real processes on a machine others load: each test's own waits (ceilings against hangs, up to
// 90 s each) must fit in its timeout, or vitest's 60 s default cuts them short before they can say why.
describe('agent delivery (real agent process, real collector)', { timeout: 240_000 }, () => {
  it('keeps 50 reports while the collector (a process) is down and delivers each exactly once when it is back', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'collector.db');
    const token = createToken(dbPath, 'agent', 'lab', 'agent-test');
    let collector = await spawnCollector(dbPath);
    const url = collector.url;
    await collector.stop(); // down: nothing listens on that port now

    const files = writeAgentConfig(dir, url, token);
    const agent = track(startAgentProcess(files.configPath));
    await waitFor(() => agent.spooled().length >= 50, '50 reports spooled while the collector is down', 90_000);
    expect(spoolFiles(files.spoolDir).length).toBeGreaterThanOrEqual(50);
    const status = readStatus(files.stateDir)!;
    expect(status.lastError?.kind).toBe('network');
    expect(status.delivered).toBe(0);

    // The same collector back on the same port, on the same database.
    collector = await spawnCollector(dbPath, ['--port', new URL(url).port]);
    cleanups.push(() => collector.stop());
    const produced = agent.spooled().slice(0, 50);
    await waitFor(() => {
      const stored = new Set(storedReports(dbPath).map((r) => r.reportId));
      return produced.every((id) => stored.has(id));
    }, 'the 50 queued reports to arrive', 90_000);
    expect((await agent.stop()).code).toBe(0);
    // Everything it produced, including reports made after the collector came back, is stored
    // once, except what is still queued at the stop (left for the next start, not lost).
    const left = spoolFiles(files.spoolDir).length;
    const all = agent.spooled();
    const stored = storedReports(dbPath);
    expect(stored.length + left).toBe(all.length);
    expectEachStoredOnce(dbPath, stored.map((r) => r.reportId));
    expect(all).toEqual(expect.arrayContaining(stored.map((r) => r.reportId)));
    expect(readStatus(files.stateDir)).toMatchObject({ running: false, auth: 'ok' });
  });

  it('loses nothing and stores nothing twice when killed -9 while a report is in flight', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { collector, token } = await collectorWithToken();
    const relay = await new Relay(() => collector.url).start();
    cleanups.push(() => relay.close());
    relay.mode = 'hold';
    const files = writeAgentConfig(dir, relay.url, token, { cadence: '300ms' });
    const first = track(startAgentProcess(files.configPath));
    await waitFor(() => relay.held.length >= 1, 'a report stored by the collector whose answer is held back');
    const inFlight = relay.held[0]!;
    expect((await first.kill9()).signal).toBe('SIGKILL');
    // The collector has it, the agent never heard so: it must still be in the spool.
    expect(storedReports(collector.dbPath).map((r) => r.reportId)).toContain(inFlight);
    const queued = spoolFiles(files.spoolDir).map((n) => new Spool({ dir: files.spoolDir, maxBytes: 1e9, maxAgeMs: 1e12 }).list().find((e) => e.file.endsWith(n))?.meta.id);
    expect(queued).toContain(inFlight);

    relay.mode = 'forward';
    const second = track(startAgentProcess(files.configPath));
    await waitFor(() => second.spooled().length >= 3, 'the restarted agent to produce reports');
    const producedBeforeStop = [...first.spooled(), ...second.spooled()];
    await waitFor(() => {
      const stored = new Set(storedReports(collector.dbPath).map((r) => r.reportId));
      return producedBeforeStop.every((id) => stored.has(id));
    }, 'every report of both runs to arrive');
    expect((await second.stop()).code).toBe(0);
    const resent = relay.answers.filter((a) => a.path === '/api/v1/reports' && a.body.includes('"duplicate":true'));
    expect(resent.length).toBeGreaterThanOrEqual(1);
    const stored = storedReports(collector.dbPath).map((r) => r.reportId);
    expectEachStoredOnce(collector.dbPath, stored);
    expect(stored).toEqual(expect.arrayContaining(producedBeforeStop));
    expect(stored.length + spoolFiles(files.spoolDir).length).toBe(new Set([...first.spooled(), ...second.spooled()]).size);
  });

  it('two collectors on one database: killed -9 mid-send, the first is replaced by the second, nothing lost or stored twice', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'collector.db');
    const token = createToken(dbPath, 'agent', 'lab', 'agent-test');
    const first = await spawnCollector(dbPath);
    cleanups.push(() => first.stop('SIGKILL'));
    const second = await spawnCollector(dbPath);
    cleanups.push(() => second.stop());
    // The first collector stores a report and its answer is held back: the agent is mid-send.
    const relay = await new Relay(() => first.url).start();
    cleanups.push(() => relay.close());
    relay.mode = 'hold';
    const files = writeAgentConfig(dir, relay.url, token, { collector: { url: [relay.url, second.url], tokenFile: join(dir, 'token'), timeout: '30s' } });
    const agent = track(startAgentProcess(files.configPath));
    await waitFor(() => relay.held.length >= 1, 'a report stored by the first collector whose answer is held back');
    const inFlight = relay.held[0]!;
    await first.stop('SIGKILL');
    await relay.close(); // the agent's connection breaks; the first collector's address answers no more

    await waitFor(() => agent.log().includes(`delivering to collector ${second.url}`), 'the agent to move to the second collector');
    await waitFor(() => agent.spooled().length >= 5, 'reports made after the move');
    const produced = agent.spooled();
    await waitFor(() => {
      const stored = new Set(storedReports(dbPath).map((r) => r.reportId));
      return produced.every((id) => stored.has(id));
    }, 'every report to reach the second collector');
    expect((await agent.stop()).code).toBe(0);
    const stored = storedReports(dbPath).map((r) => r.reportId);
    expectEachStoredOnce(dbPath, stored);
    expect(stored).toContain(inFlight);
    expect(stored.length + spoolFiles(files.spoolDir).length).toBe(new Set(agent.spooled()).size);
    const status = readStatus(files.stateDir)!;
    expect(status.collector).toBe(second.url);
    expect(status.lastDelivery).toBeDefined();
  });

  it('sets a torn and a corrupt spool entry aside at start and delivers the good ones', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { collector, token } = await collectorWithToken();
    const files = writeAgentConfig(dir, collector.url, token, { cadence: '1h', window: '1h' });
    // A spool left by an earlier run: three good reports, one torn write, one flipped byte, one temp file.
    const earlier = new Spool({ dir: files.spoolDir, maxBytes: 1e9, maxAgeMs: 1e12 });
    const good = [1, 2, 3].map((i) => realisticReport({ site: 'lab', hostname: 'agent-test-host', id: `spooled-good-${i}-${Date.now()}` }));
    const goodEntries = good.map((r) => earlier.write(JSON.stringify(r), { id: r.id }));
    const torn = earlier.write(JSON.stringify(realisticReport({ site: 'lab', id: `spooled-torn-${Date.now()}` })), { id: 'torn' });
    const flipped = earlier.write(JSON.stringify(realisticReport({ site: 'lab', id: `spooled-flip-${Date.now()}` })), { id: 'flipped' });
    const tornBytes = readFileSync(torn.file);
    writeFileSync(torn.file, tornBytes.subarray(0, tornBytes.length - 100));
    const flippedBytes = Buffer.from(readFileSync(flipped.file));
    flippedBytes[flippedBytes.length - 50] = flippedBytes[flippedBytes.length - 50]! ^ 0x20;
    writeFileSync(flipped.file, flippedBytes);
    writeFileSync(join(files.spoolDir, '000000000000001.rpt.tmp'), '{"id":"half');
    expect(goodEntries).toHaveLength(3);

    const agent = track(startAgentProcess(files.configPath));
    await waitFor(() => storedReports(collector.dbPath).length >= 3, 'the three good reports');
    await waitFor(() => readStatus(files.stateDir)?.spool.corruptTotal === 3, 'the status to count three entries set aside');
    expectEachStoredOnce(collector.dbPath, good.map((r) => r.id));
    expect(readdirSync(join(files.spoolDir, 'corrupt')).sort()).toEqual(
      [torn.file, flipped.file].map((f) => f.split('/').pop()!).concat('000000000000001.rpt.tmp').sort(),
    );
    expect(agent.log()).toMatch(/torn write/);
    expect(agent.log()).toMatch(/checksum mismatch/);
    expect(agent.child.exitCode).toBeNull(); // still running
    expect((await agent.stop()).code).toBe(0);
  });

  it('sets a report the collector refuses for good (400) aside in rejected/ and delivers the next ones', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { collector, token } = await collectorWithToken();
    const files = writeAgentConfig(dir, collector.url, token, { cadence: '1h', window: '1h' });
    const earlier = new Spool({ dir: files.spoolDir, maxBytes: 1e9, maxAgeMs: 1e12 });
    const bad = { ...realisticReport({ site: 'lab', hostname: 'agent-test-host' }), id: `spooled-bad-${Date.now()}`, window: { start: 'yesterday', end: 'today' } };
    earlier.write(JSON.stringify(bad), { id: bad.id });
    const good = realisticReport({ site: 'lab', hostname: 'agent-test-host', id: `spooled-after-bad-${Date.now()}` });
    earlier.write(JSON.stringify(good), { id: good.id });

    const agent = track(startAgentProcess(files.configPath));
    await waitFor(() => storedReports(collector.dbPath).length >= 1, 'the good report after the refused one');
    expectEachStoredOnce(collector.dbPath, [good.id]);
    expect(readdirSync(join(files.spoolDir, 'rejected'))).toHaveLength(1);
    expect(agent.log()).toMatch(new RegExp(`refused report ${bad.id} for good \\(400`));
    await waitFor(() => readStatus(files.stateDir)?.spool.rejectedTotal === 1, 'the status to count the rejected report');
    expect((await agent.stop()).code).toBe(0);
  });

  it('evicts the oldest reports when the spool is full, counts them and tells the collector', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { collector, token } = await collectorWithToken();
    const relay = await new Relay(() => collector.url).start();
    cleanups.push(() => relay.close());
    relay.mode = 'refuse';
    // Each report is ~2–4 KB here: an 8 KB spool holds two or three.
    const files = writeAgentConfig(dir, relay.url, token, { spool: { dir: join(dir, 'spool'), maxBytes: 8192, maxAge: '1d' } });
    const agent = track(startAgentProcess(files.configPath));
    await waitFor(() => (readStatus(files.stateDir)?.spool.evictedTotal ?? 0) >= 5, 'five evictions');
    const evictions = JSON.parse(readFileSync(join(files.stateDir, 'evictions.json'), 'utf8')) as { total: number };
    expect(evictions.total).toBeGreaterThanOrEqual(5);
    expect(agent.log()).toMatch(/spool: evicted report \S+ spooled .* \(size bound reached/);
    const spooledBytes = spoolFiles(files.spoolDir).reduce((n, f) => n + readFileSync(join(files.spoolDir, f)).length, 0);
    expect(spooledBytes).toBeLessThanOrEqual(8192);

    relay.mode = 'forward';
    const told = await waitFor(() => {
      const rows = storedMeasurements(collector.dbPath, 'agent.spool.evicted');
      return rows.length > 0 ? rows : undefined;
    }, 'a report telling the collector about the evictions');
    const count = told.reduce((n, m) => n + Number(m.value), 0);
    expect(count).toBeGreaterThanOrEqual(1);
    const carrier = storedReports(collector.dbPath).find((r) => r.reportId === told[0]!.reportId)!;
    expect(JSON.parse(carrier.gaps)).toEqual(
      expect.arrayContaining([expect.objectContaining({ check: 'SXKR-006', component: 'agent spool', reason: expect.stringMatching(/evicted/) })]),
    );
    await agent.stop();
    // Every eviction is told exactly once: counts delivered + counts in queued reports + not yet told = total.
    const ledger = JSON.parse(readFileSync(join(files.stateDir, 'evictions.json'), 'utf8')) as { total: number; pending: number };
    const sent = storedMeasurements(collector.dbPath, 'agent.spool.evicted').reduce((n, m) => n + Number(m.value), 0);
    const queued = new Spool({ dir: files.spoolDir, maxBytes: 1e9, maxAgeMs: 1e12 }).list().reduce((n, e) => n + (e.meta.evictionsTold ?? 0), 0);
    expect(sent + queued + ledger.pending).toBe(ledger.total);
  });

  it('shows a refused token clearly, backs off without a busy loop, and resumes when the token changes', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { collector, token } = await collectorWithToken();
    const relay = await new Relay(() => collector.url).start();
    cleanups.push(() => relay.close());
    const files = writeAgentConfig(dir, relay.url, 'not-a-valid-token', { retry: { initial: '200ms', max: '1s' }, heartbeat: '200ms' });
    const agent = track(startAgentProcess(files.configPath));
    await waitFor(() => readStatus(files.stateDir)?.auth === 'rejected', 'status to show the refused token');
    const before = relay.count('/api/v1/reports') + relay.count('/api/v1/heartbeat');
    const since = Date.now();
    // Let it run while reports pile up every 150 ms; a busy loop would make thousands of requests.
    await waitFor(() => agent.spooled().length >= 20, 'reports to keep being produced meanwhile');
    const during = relay.count('/api/v1/reports') + relay.count('/api/v1/heartbeat') - before;
    // With the backoff capped at 1 s (each wait ≥ 0.5 s), at most 2 a second plus the ramp-up.
    expect(during).toBeLessThanOrEqual(6 + Math.ceil((Date.now() - since) / 500));
    expect(during).toBeGreaterThanOrEqual(1); // it does keep trying
    expect(relay.answers.every((a) => a.status === 401 || a.status === 403)).toBe(true);
    const status = readStatus(files.stateDir)!;
    expect(status).toMatchObject({ auth: 'rejected', delivered: 0, lastError: { kind: 'auth' } });
    expect(status.lastError!.message).toMatch(/refused the agent token \(401/);
    expect(agent.log().match(/refused the agent token/g)!.length).toBe(1); // said once, not per retry
    const shown = await runAgentCli('status', '--config', files.configPath);
    expect(shown.status).toBe(1); // needs attention
    expect(shown.stdout).toMatch(/^token: +REFUSED by the collector$/m);
    expect(shown.stdout).toMatch(/^! the collector refuses the agent token: collector refused the agent token \(401/m);

    writeFileSync(files.tokenFile, `${token}\n`); // a person enrolls the right token
    await waitFor(() => storedReports(collector.dbPath).length >= 20, 'delivery to resume with the new token');
    await waitFor(() => readStatus(files.stateDir)?.auth === 'ok', 'status to show the token accepted');

    // Revoked later by a person on the collector: refused again, said again, still no busy loop.
    const tokens = new TokensRepository(sqliteStore(collector.db));
    expect(await tokens.revoke((await tokens.list()).find((t) => t.name === 'agent-test')!.id)).toBe(true);
    await waitFor(() => readStatus(files.stateDir)?.auth === 'rejected', 'status to show the revoked token');
    expect(agent.log().match(/refused the agent token/g)!.length).toBe(2);
    expect((await agent.stop()).code).toBe(0);
    expectEachStoredOnce(collector.dbPath, storedReports(collector.dbPath).map((r) => r.reportId));
  });

  it('heartbeats tell a quiet host (no report due) from a silent one (agent dead)', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { collector, token } = await collectorWithToken();
    // Quiet: no report for an hour, a heartbeat every 200 ms.
    const files = writeAgentConfig(dir, collector.url, token, { cadence: '1h', window: '1h', heartbeat: '200ms' });
    const agent = track(startAgentProcess(files.configPath));
    const device = () =>
      collector.db.prepare("SELECT first_seen AS firstSeen, last_heartbeat_at AS lastHeartbeat FROM devices WHERE hostname = 'agent-test-host'").get() as
        | { firstSeen: number; lastHeartbeat: number | null }
        | undefined;
    await waitFor(() => device()?.lastHeartbeat, 'the first heartbeat');
    const engineer = collector.token('engineer', 'lab');
    const watched = await collector.request('PUT', '/api/v1/sites/lab/devices/agent-test-host/silence', { token: engineer, body: { expectedIntervalSeconds: 1, missedReports: 2 } });
    expect(watched.status).toBe(200);
    // Run past the allowance (2 × 1 s) without a single report.
    const alive = await waitFor(() => {
      const d = device()!;
      return d.lastHeartbeat! - d.firstSeen > 3000 ? d : undefined;
    }, 'heartbeats for longer than the allowance');
    expect(storedReports(collector.dbPath)).toEqual([]);
    // Judged at its last heartbeat: silent for more than 2 s since it was first seen, but it beats.
    expect((await detectSilence(sqliteStore(collector.db), new Date(alive.lastHeartbeat!)))).toEqual([]);

    await agent.kill9();
    const last = device()!.lastHeartbeat!;
    expect((await detectSilence(sqliteStore(collector.db), new Date(last + 1999)))).toEqual([]);
    expect((await detectSilence(sqliteStore(collector.db), new Date(last + 2001)))).toEqual([
      { site: 'lab', hostname: 'agent-test-host', state: 'down', ticket: { action: 'opened', ticketId: expect.any(Number) } },
    ]);
  });

  it('reports each journal error entry exactly once, across a kill -9 and restart (the log cursor persists)', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const journal = await startPrivateJournal(dir);
    cleanups.push(() => journal.stop());
    const { collector, token } = await collectorWithToken();
    const files = writeAgentConfig(dir, collector.url, token, { checks: ['SXKR-006'], cadence: '300ms', window: '300ms' });
    const marker = `xj-cursor-${process.pid}-${Date.now()}`;
    const entries = () =>
      storedMeasurements(collector.dbPath, 'log.entry')
        .map((m) => String(m.value))
        .filter((v) => v.startsWith(marker));
    const has = (names: string[]) => () => names.every((n) => entries().includes(`${marker} ${n}`));
    const batch = (name: string) => [1, 2, 3].map((i) => `${name}-${i}`);

    const first = track(startAgentProcess(files.configPath, {}, journal.pid));
    await waitFor(() => first.spooled().length >= 1, 'the first report (it reads the journal from its start time)');
    for (const n of batch('first-run')) journal.write(`${marker} ${n}`);
    await waitFor(has(batch('first-run')), 'the first run to report its entries');
    expect(existsSync(join(files.stateDir, 'log-cursor.json'))).toBe(true);
    await first.kill9();

    for (const n of batch('while-down')) journal.write(`${marker} ${n}`);
    const second = track(startAgentProcess(files.configPath, {}, journal.pid));
    for (const n of batch('second-run')) journal.write(`${marker} ${n}`);
    const all = [...batch('first-run'), ...batch('while-down'), ...batch('second-run')];
    await waitFor(has(all), 'every entry, including those logged while the agent was down');
    // A few more cycles: an entry reported again would show up now.
    const seen = second.spooled().length;
    await waitFor(() => second.spooled().length >= seen + 3 && spoolFiles(files.spoolDir).length === 0, 'three more cycles, all delivered');
    expect((await second.stop()).code).toBe(0);
    expect(entries().sort()).toEqual(all.map((n) => `${marker} ${n}`).sort());
    expect(JSON.parse(readFileSync(join(files.stateDir, 'log-cursor.json'), 'utf8')).cursor).toMatch(/^s=[0-9a-f]+;i=/); // a journald cursor
  });
});
