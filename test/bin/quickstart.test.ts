import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startQuickstart } from '../../bin/quickstart.js';
import { TokensRepository, configWithDefaults } from '../../collector/index.js';
import type { CheckResult, CollectorConfig, Report } from '../../schemas/index.js';
import { freeSyslogPort } from '../helpers/collector.js';
import { sqliteStore } from '../../collector/storage/sqlite-store.js';

const dataDir = mkdtempSync(join(tmpdir(), 'xunjian-quickstart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A port held by another listener, standing in for 514 that a normal user cannot bind. */
async function heldPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  const port = await new Promise<number>((resolve) => server.listen(0, '0.0.0.0', () => resolve((server.address() as { port: number }).port)));
  return { port, server };
}

// Never the real 514/5514 here: the syslog ports tried are a held one, then a free one.
async function runOnce(syslogPorts: number[], extra: Partial<CollectorConfig> = {}) {
  let first!: (v: { report: Report; results: CheckResult[] }) => void;
  const inspected = new Promise<{ report: Report; results: CheckResult[] }>((resolve) => (first = resolve));
  const config = configWithDefaults({ dataDir, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent', ...extra });
  const started = await startQuickstart(config, {
    syslogPorts,
    site: 'local',
    firstWindow: '1s',
    cadence: '5m',
    onFirstInspection: (report, results) => first({ report, results }),
  });
  try {
    const { report, results } = await inspected;
    const tokens = await new TokensRepository(sqliteStore(started.collector.db)).list();
    const devices = await started.collector.app.repos.devices.listBySite('local');
    const login = started.firstAdmin
      ? await started.collector.app.inject({ method: 'POST', url: '/login', payload: { name: started.firstAdmin.name, password: started.firstAdmin.password } })
      : undefined;
    const bound = started.collector.app.syslog?.ports().udp ?? 0;
    return { report, results, tokens, devices, login, syslog: started.syslog, bound, token: readFileSync(join(dataDir, 'agent', 'token'), 'utf8') };
  } finally {
    await started.close();
  }
}

describe('xunjian start (npm start)', () => {
  it('stores a first inspection of this machine through a real agent and reuses its token on restart', async () => {
    const held = await heldPort();
    const free = await freeSyslogPort();
    const one = await runOnce([held.port, free]).finally(() => held.server.close());
    expect(one.report.source).toBe('agent');
    expect(one.results.map((r) => r.check)).toEqual(['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']);
    expect(one.results[1]!.verdict).not.toBe('unknown'); // memory is always measurable on Linux
    expect(one.devices.map((d) => d.hostname)).toEqual([one.report.identity.hostname]);
    expect(one.tokens).toHaveLength(1);
    expect(one.login?.statusCode).toBe(200); // the first start makes a dashboard admin whose password works
    expect(one.login?.json()).toMatchObject({ name: 'admin', role: 'admin' });

    // The first syslog port could not be bound: the next one is used, and the terminal line says so.
    expect(one.bound).toBe(free);
    expect(one.syslog).toContain(`syslog receiver on UDP and TCP port ${free} (port ${held.port} needs root or CAP_NET_BIND_SERVICE, or is taken)`);

    const two = await runOnce([], { syslog: { port: 0, host: '127.0.0.1', flushSeconds: 5, maxQueue: 100 } });
    expect(two.token).toBe(one.token);
    expect(two.tokens).toHaveLength(1);
    expect(two.login).toBeUndefined(); // users exist: no second admin
    expect(two.bound).toBe(0); // a configured syslog section is used as given: here, off
    expect(two.syslog).toBe('syslog receiver off (syslog.port 0)');

    const taken = await heldPort();
    const three = await runOnce([taken.port]).finally(() => taken.server.close());
    expect(three.bound).toBe(0); // no port could be had: off, said once, no bind error
    expect(three.syslog).toBe(`syslog receiver off: none of the ports ${taken.port} could be bound; set syslog.port in a configuration file (-c) to receive device logs`);
  });
});
