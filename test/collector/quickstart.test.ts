import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TokensRepository, configWithDefaults, startQuickstart } from '../../collector/index.js';
import type { CheckResult, Report } from '../../schemas/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'xunjian-quickstart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function runOnce() {
  let first!: (v: { report: Report; results: CheckResult[] }) => void;
  const inspected = new Promise<{ report: Report; results: CheckResult[] }>((resolve) => (first = resolve));
  const config = configWithDefaults({ dataDir, listen: { host: '127.0.0.1', port: 0 }, logLevel: 'silent' });
  const started = await startQuickstart(config, {
    site: 'local',
    firstWindow: '1s',
    cadence: '5m',
    onFirstInspection: (report, results) => first({ report, results }),
  });
  try {
    const { report, results } = await inspected;
    const tokens = new TokensRepository(started.collector.db).list();
    const devices = started.collector.app.repos.devices.listBySite('local');
    const login = started.firstAdmin
      ? await started.collector.app.inject({ method: 'POST', url: '/login', payload: { name: started.firstAdmin.name, password: started.firstAdmin.password } })
      : undefined;
    return { report, results, tokens, devices, login, token: readFileSync(join(dataDir, 'agent', 'token'), 'utf8') };
  } finally {
    await started.close();
  }
}

describe('xunjian start (npm start)', () => {
  it('stores a first inspection of this machine through a real agent and reuses its token on restart', async () => {
    const one = await runOnce();
    expect(one.report.source).toBe('agent');
    expect(one.results.map((r) => r.check)).toEqual(['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']);
    expect(one.results[1]!.verdict).not.toBe('unknown'); // memory is always measurable on Linux
    expect(one.devices.map((d) => d.hostname)).toEqual([one.report.identity.hostname]);
    expect(one.tokens).toHaveLength(1);
    expect(one.login?.statusCode).toBe(200); // the first start makes a dashboard admin whose password works
    expect(one.login?.json()).toMatchObject({ name: 'admin', role: 'admin' });

    const two = await runOnce();
    expect(two.token).toBe(one.token);
    expect(two.tokens).toHaveLength(1);
    expect(two.login).toBeUndefined(); // users exist: no second admin
  });
});
