/**
 * SNMPv3 against Debian's snmpd (a real Net-SNMP agent on this machine): authPriv with SHA and AES,
 * authNoPriv with SHA, and the refusals — wrong auth key, wrong privacy key, unknown user — as
 * SnmpAuthError at the session and as `unknown` with the reason in a report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import { collectSnmp, profileOf, SnmpAuthError, SnmpSession, SnmpTimeoutError, type SnmpTarget } from '../../checks/sources/snmp/index.js';
import { startSnmpd, V3_USERS, type Snmpd } from './snmpd.js';

let agent: Snmpd;
const v3 = (extra: Partial<SnmpTarget>): SnmpTarget => ({ host: agent.host, port: agent.port, version: '3', timeoutMs: 1000, retries: 0, ...extra });
const priv = () => v3({ level: 'authPriv', authProtocol: 'sha', privProtocol: 'aes', ...V3_USERS.priv });

beforeAll(async () => {
  agent = await startSnmpd('v3-lab');
}, 60_000);
afterAll(async () => agent?.stop());

describe('SNMPv3 sessions', () => {
  it('authPriv SHA/AES reads sysName and walks a table', async () => {
    const s = new SnmpSession(priv());
    try {
      expect(await s.get(['1.3.6.1.2.1.1.5.0'])).toEqual(['v3-lab']);
      const rows = await s.walk('1.3.6.1.2.1.2.2.1.2'); // ifDescr: at least lo
      expect(rows.map((r) => r.value)).toContain('lo');
    } finally {
      s.close();
    }
  });

  it('authNoPriv SHA', async () => {
    const s = new SnmpSession(v3({ level: 'authNoPriv', authProtocol: 'sha', ...V3_USERS.auth }));
    try {
      expect(await s.get(['1.3.6.1.2.1.1.5.0'])).toEqual(['v3-lab']);
    } finally {
      s.close();
    }
  });

  it('the settings grouped under `v3` (as the CLI builds them) work too', async () => {
    const s = new SnmpSession({ host: agent.host, port: agent.port, version: '3', timeoutMs: 1000, retries: 0, v3: { level: 'authPriv', ...V3_USERS.priv } });
    try {
      expect(await s.get(['1.3.6.1.2.1.1.5.0'])).toEqual(['v3-lab']);
    } finally {
      s.close();
    }
  });

  it.each([
    ['a wrong auth key', { authKey: 'not-the-key-000' }, /Wrong Digest|digest/i],
    ['an unknown user', { user: 'nobody-here' }, /Unknown User/i],
  ])('%s is an SnmpAuthError naming the cause', async (_what, change, message) => {
    const s = new SnmpSession({ ...priv(), ...change });
    try {
      const err = await s.get(['1.3.6.1.2.1.1.5.0']).catch((e) => e);
      expect(err).toBeInstanceOf(SnmpAuthError);
      expect(err.code).toBe('SNMP_AUTH');
      expect(err.message).toMatch(message);
    } finally {
      s.close();
    }
  });

  it('a wrong privacy key: the agent cannot decrypt and stays silent — a timeout, not a fake answer', async () => {
    const s = new SnmpSession({ ...priv(), privKey: 'not-the-priv-key', timeoutMs: 300 });
    try {
      const err = await s.get(['1.3.6.1.2.1.1.5.0']).catch((e) => e);
      expect(err).toBeInstanceOf(SnmpTimeoutError);
    } finally {
      s.close();
    }
  });
});

describe('collectSnmp over v3', () => {
  it('polls the Net-SNMP agent with the generic profile: CPU, memory and its own file systems', async () => {
    const r = await collectSnmp(priv());
    expect(profileOf(r)).toBe('generic');
    expect(r.identity.hostname).toBe('v3-lab');
    // Every check is measured or says why not (containers often hide hrProcessorLoad).
    for (const check of ['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006'])
      expect(r.measurements.some((m) => m.check === check) || r.gaps.some((g) => g.check === check), check).toBe(true);
    const cpuGap = r.gaps.find((g) => g.check === 'SXKR-001');
    if (cpuGap) expect(cpuGap.reason).toMatch(/hrProcessorLoad/);
    else expect(r.measurements.some((m) => m.metric === 'cpu.avg')).toBe(true);
    expect(r.measurements.some((m) => m.metric === 'fs.used' && m.component === '/')).toBe(true);
    expect(r.measurements.find((m) => m.metric === 'memory.used')).toMatchObject({ unit: '%', command: expect.stringMatching(/hrStorageUsed/) });
    expect(r.gaps.filter((g) => /failed/.test(g.reason))).toEqual([]);
  });

  it('wrong credentials: every check unknown with the authentication failure as the reason', async () => {
    const r = await collectSnmp({ ...priv(), authKey: 'not-the-key-000' });
    const results = evaluateReport(r);
    expect(results.map((x) => x.verdict)).toEqual(Array(6).fill('unknown'));
    for (const x of results) expect(x.reason).toMatch(/SNMPv3 authentication with 127\.0\.0\.1:\d+ failed/);
  });
});
