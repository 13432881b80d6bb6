/**
 * `inspect --snmp` as an engineer runs it, against real agents: snmpsimd serving a recorded UPS
 * (v2c) and Debian's snmpd with a v3 authPriv user (the v3 flags, keys from the environment).
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../checks/index.js';
import { InspectionForm, validate } from '../../schemas/index.js';
import { addRecording, makeDataDir, startSnmpsim, type Snmpsim } from '../helpers/snmpsim.js';
import { startSnmpd, V3_USERS, type Snmpd } from '../snmp/snmpd.js';
import { nodeEntry } from '../helpers/node-entry.js';

const root = resolve(import.meta.dirname, '../..');

function inspect(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [...nodeEntry(join(root, 'bin/inspect.ts')), ...args], { cwd: root, timeout: 60_000, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

let sim: Snmpsim;
let agent: Snmpd;

beforeAll(async () => {
  const data = makeDataDir();
  addRecording(data, join(root, 'test/snmp/fixtures/ups_onbattery.snmprec'));
  [sim, agent] = await Promise.all([startSnmpsim({ dataDir: data, probeCommunity: 'ups_onbattery' }), startSnmpd('v3-cli')]);
}, 120_000);

afterAll(async () => {
  await Promise.all([sim?.stop(), agent?.stop()]);
});

describe('inspect --snmp', () => {
  it('v2c: a UPS on battery is abnormal in SXKR-004 and the command exits 1', async () => {
    const run = await inspect(['--snmp', `${sim.host}:${sim.port}`, '--community', 'ups_onbattery', '--window', '1s', '--json', '--lang', 'en']);
    const form = validate(InspectionForm, JSON.parse(run.stdout), 'stdout');
    expect(form.report.identity.kind).toBe('ups');
    expect(form.results.find((r) => r.check === 'SXKR-004')!.verdict).toBe('abnormal');
    expect(form.results.find((r) => r.check === 'SXKR-004')!.commands.join(' ')).toMatch(/1\.3\.6\.1\.2\.1\.33/); // UPS-MIB OIDs as 检查命令
    expect(run.code).toBe(1);
    expect(run.code).toBe(exitCodeFor(form.results.map((r) => r.verdict)));
  });

  it('v3 authPriv with the keys from the environment reads the device', async () => {
    const run = await inspect(
      ['--snmp', `${agent.host}:${agent.port}`, '--snmp-version', '3', '--v3-user', V3_USERS.priv.user, '--window', '1s', '--json'],
      { XUNJIAN_SNMP_AUTH_KEY: V3_USERS.priv.authKey, XUNJIAN_SNMP_PRIV_KEY: V3_USERS.priv.privKey },
    );
    const form = validate(InspectionForm, JSON.parse(run.stdout), 'stdout');
    expect(form.report.identity.hostname).toBe('v3-cli');
    expect(form.report.measurements.length).toBeGreaterThan(0);
    expect(run.code).toBe(exitCodeFor(form.results.map((r) => r.verdict)));
  });

  it('v3 with a wrong privacy key: every check unknown with the reason, exit 3', async () => {
    const run = await inspect(
      ['--snmp', `${agent.host}:${agent.port}`, '--snmp-version', '3', '--v3-user', V3_USERS.priv.user, '--window', '1s', '--timeout', '1s', '--retries', '0', '--json', '--lang', 'en'],
      { XUNJIAN_SNMP_AUTH_KEY: V3_USERS.priv.authKey, XUNJIAN_SNMP_PRIV_KEY: 'not-the-priv-key' },
    );
    const form = validate(InspectionForm, JSON.parse(run.stdout), 'stdout');
    expect(form.results.every((r) => r.verdict === 'unknown')).toBe(true);
    expect(form.results[0]!.reason).toBeTruthy();
    expect(run.code).toBe(3);
  });
});
