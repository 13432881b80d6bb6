/**
 * The collector's out-of-band poller against real IPMI and SSH servers: Debian's ipmi_sim reached
 * by the real `ipmitool -I lanplus` (UDP 9640–9644 belong to this file), and an IBM Power HMC
 * stood in by a real sshd (TCP 2270–2271) whose `lssyscfg`/`lssvcevents` answer with the recorded
 * output (test/helpers/hmc.ts). Each registered through the collector's API: the HMC's host key
 * pinned in the database on first use, a changed key refused until an admin clears the pin, a
 * wrong password or a dead HMC unknown with the reason.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../schemas/index.js';
import { startTestCollector, until, type TestCollector } from '../helpers/collector.js';
import { hmcFixture, hmcHost } from '../helpers/hmc.js';
import { fruBytes, startIpmiSim, type IpmiSim } from '../helpers/ipmisim.js';
import { startSshdFleet, type SshdFleet } from '../helpers/sshd.js';
import { expectNotStoredInClear } from '../helpers/stored-secrets.js';

const KEY = randomBytes(32).toString('hex');
const HMC = 2270;
const HMC_DOWN = 2271;
const SLOW = { timeout: 300_000 };

let c: TestCollector;
let sim: IpmiSim;
let fleet: SshdFleet;
let dir: string;
let engineer: string;

type Latest = { check: string; verdict: string; report: string; result: CheckResult };
const latest = async (hostname: string): Promise<Record<string, Latest>> => {
  const res = await c.request('GET', `/api/v1/sites/dc/devices/${hostname}/results`, { token: engineer });
  expect(res.status).toBe(200);
  return Object.fromEntries(((await res.json()) as { results: Latest[] }).results.map((r) => [r.check, r]));
};
const target = async (id: number) => (await (await c.request('GET', `/api/v1/sites/dc/bmc-targets/${id}`, { token: engineer })).json()) as Record<string, unknown>;
const register = async (body: Record<string, unknown>): Promise<number> => {
  const res = await c.request('POST', '/api/v1/sites/dc/bmc-targets', { token: engineer, body: { intervalS: 3600, ...body } });
  expect(res.status, await res.clone().text()).toBe(201);
  const id = ((await res.json()) as { id: number }).id;
  await until(`target ${id} polled`, async () => ((await target(id)).lastPollAt ? true : undefined), 240_000, 200);
  return id;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xunjian-bmc-poll-'));
  const bin = join(dir, 'hmc-bin');
  mkdirSync(bin);
  hmcHost(bin, { events: hmcFixture('lssvcevents-ibm-n1014321') + hmcFixture('lssvcevents-power-fan-thermal-constructed') });
  const fru = fruBytes({ manufacturer: 'Inspur', product: 'NF5280M5', part: 'YZMB-00882-10E', version: 'A1', serial: '219154632' });
  [sim, fleet, c] = await Promise.all([
    startIpmiSim({
      sdrs: readFileSync(join(import.meta.dirname, '..', 'ipmi-lan', 'bmc.sdrs'), 'utf8'),
      commands: [
        // Inlet 45 °C over its upper critical 42; PS1 failed, PS2 present.
        'sensor_add 0x20 0 1 0x01 0x01',
        'sensor_set_threshold 0x20 0 1 settable 111000 50 42 38 00 00 00',
        'sensor_set_value 0x20 0 1 45 0',
        'sensor_add 0x20 0 8 0x08 0x6f',
        'sensor_set_bit_clr_rest 0x20 0 8 0 1 0',
        'sensor_set_bit 0x20 0 8 1 1 0',
        'sensor_add 0x20 0 9 0x08 0x6f',
        'sensor_set_bit_clr_rest 0x20 0 9 0 1 0',
        `mc_add_fru_data 0x20 0 ${fru.length} data ${fru.map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ')}`,
      ],
      ports: [9640, 9641, 9642, 9643, 9644],
    }),
    startSshdFleet([HMC], { sessionEnv: (port) => (port === HMC ? { PATH: `${bin}:/usr/bin:/bin` } : undefined) }),
    startTestCollector({ snmp: { credentialKey: KEY, pollerEnabled: true, concurrency: 4 }, silenceScanSeconds: 0 }),
  ]);
  engineer = c.token('engineer', 'dc');
}, 120_000);
afterAll(async () => {
  await c?.stop();
  await sim?.stop();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('IPMI over LAN targets (ipmi_sim, ipmitool -I lanplus)', SLOW, () => {
  it('polls the BMC: the failed PSU and the hot inlet abnormal, each value with its ipmitool command', async () => {
    const id = await register({ protocol: 'ipmi', host: sim.host, port: sim.port, user: sim.user, password: sim.password, cipherSuite: 3, timeoutMs: 20_000, hostname: 'old-x3650' });
    expect(await target(id)).toMatchObject({ lastResult: 'ok', hasPassword: true, port: sim.port });
    expect(JSON.stringify(await target(id))).not.toContain(sim.password);
    const r = await latest('old-x3650');
    expect(Object.keys(r).sort()).toEqual(['SXKR-004', 'SXKR-005', 'SXKR-006']);
    expect(r['SXKR-004']!.verdict).toBe('abnormal');
    expect(r['SXKR-005']!.verdict).toBe('abnormal');
    expect(r['SXKR-004']!.result.commands.some((cmd) => /^ipmitool -I lanplus -H 127\.0\.0\.1 .*sdr/.test(cmd))).toBe(true);
    expect(JSON.stringify(r)).not.toContain(sim.password);
  });

  it('a wrong password: SXKR-004/005/006 unknown with ipmitool’s own words; a second target at the same BMC is a 409', async () => {
    const [first] = (await (await c.request('GET', '/api/v1/sites/dc/bmc-targets', { token: engineer })).json()) as { id: number }[];
    const again = await c.request('POST', '/api/v1/sites/dc/bmc-targets', { token: engineer, body: { protocol: 'ipmi', host: sim.host, port: sim.port, user: 'x', password: 'y', hostname: 'other' } });
    expect(again.status).toBe(409);
    const id = first!.id;
    expect((await c.request('PATCH', `/api/v1/sites/dc/bmc-targets/${id}`, { token: engineer, body: { password: 'wrong-pass' } })).status).toBe(200);
    await c.app.bmcPoller!.pollOne(id);
    expect(await target(id)).toMatchObject({ lastResult: 'unreachable' });
    const r = await latest('old-x3650');
    for (const check of ['SXKR-004', 'SXKR-005', 'SXKR-006']) expect(r[check]!.verdict, check).toBe('unknown');
    expect(r['SXKR-004']!.result.reason).toMatch(/password|authenticat|session|RAKP|unauthorized/i);
  });
});

describe('HMC targets over SSH (real sshd answering the recorded lssyscfg/lssvcevents)', SLOW, () => {
  it('polls the HMC with a sealed private key: the Power server’s open power/fan/thermal events abnormal, the host key pinned on first use', async () => {
    const key = readFileSync(fleet.clientKeyPath, 'utf8');
    const id = await register({ protocol: 'hmc', host: '127.0.0.1', port: HMC, user: fleet.user, privateKey: key, managedSystem: 'Server-9117-MMA-SN10ACFDE', timeoutMs: 120_000, hostname: 'p780-prod' });
    const t = await target(id);
    expect(t, String(t.lastError)).toMatchObject({ lastResult: 'ok', hasPrivateKey: true, hasPassword: false, pinned: fleet.hosts[0]!.hostKey });
    expect(JSON.stringify(t)).not.toContain('PRIVATE KEY');
    const r = await latest('p780-prod');
    expect(r['SXKR-004']!.verdict).toBe('abnormal');
    expect(r['SXKR-005']!.verdict).toBe('abnormal');
    expect(r['SXKR-004']!.result.commands.some((cmd) => cmd.startsWith('lssvcevents') && cmd.endsWith(`(HMC 127.0.0.1:${HMC})`)), r['SXKR-004']!.result.commands.join('; ')).toBe(true);
    // The private key is sealed: not in the database file in clear.
    await expectNotStoredInClear(c, key.split('\n')[1]!, ['bmc_targets']);

    // A different key at that address: refused, unknown with the reason; an admin clears the pin and the next poll trusts the key it meets.
    await c.store.run('UPDATE bmc_targets SET pinned = ? WHERE id = ?', [fleet.strayHostKey, id]);
    await c.app.bmcPoller!.pollOne(id);
    expect(await target(id)).toMatchObject({ lastResult: 'unreachable', lastError: expect.stringMatching(/HOST KEY HAS CHANGED/) });
    expect((await latest('p780-prod'))['SXKR-004']).toMatchObject({ verdict: 'unknown', result: { reason: expect.stringMatching(/HOST KEY HAS CHANGED/) } });
    const refusedAt = (await target(id)).lastPollAt;
    const accepted = await c.request('POST', `/api/v1/sites/dc/bmc-targets/${id}/accept-certificate`, { token: c.token('admin', null), body: {} });
    expect(accepted.status).toBe(200);
    // A poll that ended after the accept: the key is pinned as the poll meets it, its result is
    // written when the poll ends (under load the two can be seconds apart).
    const after = await until('the HMC polled after the accept', async () => {
      const t = await target(id);
      return t.lastPollAt !== refusedAt ? t : undefined;
    }, 240_000, 200);
    expect(after).toMatchObject({ pinned: fleet.hosts[0]!.hostKey, lastResult: 'ok' });
  });

  it('a wrong password, and an HMC that does not answer: the HMC checks unknown with the reason', async () => {
    const wrong = await register({ protocol: 'hmc', host: '127.0.0.1', port: HMC, user: fleet.user, password: 'not-the-password', managedSystem: 'Server-8286-41A-SN0TU20305', timeoutMs: 60_000, hostname: 'p780-b' });
    expect(await target(wrong)).toMatchObject({ lastResult: 'unreachable', lastError: expect.stringMatching(/auth|password|refused|denied/i) });
    expect((await latest('p780-b'))['SXKR-005']!.verdict).toBe('unknown');
    const down = await register({ protocol: 'hmc', host: '127.0.0.1', port: HMC_DOWN, user: 'hscroot', password: 'x', managedSystem: 'Server-9117-MMA-SN10ACFDE', timeoutMs: 10_000, hostname: 'p780-c' });
    expect(await target(down)).toMatchObject({ lastResult: 'unreachable', lastError: expect.stringMatching(/HMC 127\.0\.0\.1:2271/) });
    expect((await latest('p780-c'))['SXKR-004']).toMatchObject({ verdict: 'unknown', result: { reason: expect.stringMatching(/refused|ECONNREFUSED|unreachable/i) } });
  });
});
