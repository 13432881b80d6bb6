/**
 * Partial answers, against a real snmpsimd: a device that never answers one table (snmpsimd's delay
 * module drops every response carrying one of its rows), one that stops answering after the system
 * GET, and one whose GETBULK never answers. Only what is missing becomes `unknown`, with the reason,
 * and a device that falls silent costs a bounded number of timeouts, not one per column.
 * The last two sit behind a UDP relay that forwards to snmpsimd until told to drop.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import { builtinProfiles, collectSnmp, MAX_SILENT_TABLES, profileOf, type SnmpTarget } from '../../checks/sources/snmp/index.js';
import { profileColumns } from '../../checks/sources/snmp/walked.js';
import type { Report } from '../../schemas/index.js';
import { addRecording, makeDataDir, simTarget, startSnmpsim, type Snmpsim } from '../helpers/snmpsim.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const GET_BULK = 0xa5;

let sim: Snmpsim;
let dataDir: string;
const target = (community: string, extra: Partial<SnmpTarget> = {}) => simTarget(sim, community, { timeoutMs: 1000, retries: 0, ...extra });

beforeAll(async () => {
  dataDir = makeDataDir();
  for (const f of ['cisco_log', 'cisco_partial']) addRecording(dataDir, join(FIXTURES, `${f}.snmprec`));
  sim = await startSnmpsim({ dataDir, probeCommunity: 'cisco_log' });
}, 130_000);

afterAll(async () => {
  await sim?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The PDU tag of an SNMP v1/v2c message: SEQUENCE { version, community, PDU }. */
function pduType(msg: Buffer): number {
  let i = 1;
  const skipLength = () => {
    const first = msg[i++]!;
    let n = first & 0x80 ? 0 : first;
    if (first & 0x80) for (let k = 0; k < (first & 0x7f); k++) n = n * 256 + msg[i++]!;
    return n;
  };
  const skip = () => {
    const n = skipLength(); // (not `i += skipLength()`: that adds to the old i)
    i += n;
  };
  skipLength(); // the message
  i++; // INTEGER version
  skip();
  i++; // OCTET STRING community
  skip();
  return msg[i]!;
}

/** A UDP relay in front of snmpsimd that drops the requests `drop` chooses (and counts them). */
async function relay(drop: (msg: Buffer, forwarded: number) => boolean): Promise<{ port: number; dropped: () => number; forwarded: () => number; close: () => void }> {
  const front = createSocket('udp4');
  const clients = new Map<number, { back: Socket; client: RemoteInfo }>();
  let forwarded = 0;
  let dropped = 0;
  front.on('message', (msg, client) => {
    if (drop(msg, forwarded)) return void dropped++;
    forwarded++;
    let link = clients.get(client.port);
    if (!link) {
      const back = createSocket('udp4');
      back.on('message', (answer) => front.send(answer, link!.client.port, link!.client.address));
      link = { back, client };
      clients.set(client.port, link);
    }
    link.back.send(msg, sim.port, sim.host);
  });
  await new Promise<void>((r) => front.bind(0, '127.0.0.1', () => r()));
  return {
    port: front.address().port,
    dropped: () => dropped,
    forwarded: () => forwarded,
    close: () => {
      for (const { back } of clients.values()) back.close();
      front.close();
    },
  };
}

describe('request economy', () => {
  it('a full poll asks several columns per GETBULK: a handful of requests for the profile\'s sixty-odd columns', async () => {
    const proxy = await relay(() => false);
    try {
      const r = await collectSnmp(target('cisco_log', { port: proxy.port }));
      expect(profileOf(r)).toBe('cisco-ios');
      expect(r.gaps.filter((g) => /failed/.test(g.reason))).toEqual([]);
      const columns = profileColumns(builtinProfiles().find((p) => p.name === 'cisco-ios')!).length;
      expect(columns).toBeGreaterThan(50);
      // One system GET, the first round (21 columns a request), a few later rounds, the log's sysUpTime.
      expect(proxy.forwarded()).toBeLessThanOrEqual(Math.ceil(columns / 21) + 6);
    } finally {
      proxy.close();
    }
  });
});

const others = <T extends { check: string }>(list: T[]) => list.filter((x) => x.check !== 'SXKR-005');

describe('a partial answer', () => {
  it('one table never answers: unknown with the reason for that check only, the rest as from the complete device', async () => {
    const r = await collectSnmp(target('cisco_partial'));
    expect(profileOf(r)).toBe('cisco-ios');
    expect(r.identity).toMatchObject({ hostname: 'acc-sw-08', serial: 'FOC2101X0AB' });
    const silent = r.gaps.filter((g) => /no SNMP answer/.test(g.reason));
    expect(silent.length).toBeGreaterThan(0);
    for (const g of silent) {
      expect(g.check).toBe('SXKR-005');
      expect(g.reason).toMatch(/^walk of ciscoEnvMonTemperature\w+ \(1\.3\.6\.1\.4\.1\.9\.9\.13\.1\.3\.1\.\d+\) failed: no SNMP answer .* within 1000 ms/);
    }
    const results = evaluateReport(r);
    expect(results.find((x) => x.check === 'SXKR-005')).toMatchObject({ verdict: 'unknown', reason: expect.stringMatching(/ciscoEnvMonTemperature/) });
    // Everything else reads as from the complete recording: nothing marked "stopped answering".
    const complete = await collectSnmp(target('cisco_log'));
    expect(others(r.gaps)).toEqual(others(complete.gaps));
    expect(others(results).map((x) => [x.check, x.verdict])).toEqual(others(evaluateReport(complete)).map((x) => [x.check, x.verdict]));
    expect(others(results).map((x) => x.verdict)).toEqual(['normal', 'normal', 'unknown', 'normal', 'abnormal']); // 003: no module table in either
    const measured = (x: Report) => others(x.measurements).filter((m) => m.metric !== 'cpu.max').map((m) => [m.check, m.component, m.metric, m.value]);
    expect(measured(r).length).toBeGreaterThan(5);
    expect(measured(r)).toEqual(measured(complete));
  });

  it('a device that stops answering after the system GET: every walked column failed, the rest without waiting', async () => {
    let cut = false;
    const proxy = await relay((msg) => (cut ||= pduType(msg) === GET_BULK));
    try {
      const r = await collectSnmp(target('cisco_log', { port: proxy.port }));
      expect(r.identity.hostname).toBe('acc-sw-07'); // sysName was read before the silence
      expect(r.measurements).toEqual([]);
      expect(evaluateReport(r).map((x) => x.verdict)).toEqual(Array(6).fill('unknown'));
      const timedOut = r.gaps.filter((g) => /failed: no SNMP answer/.test(g.reason));
      const skipped = r.gaps.filter((g) => /failed: not read: the device stopped answering \(no SNMP answer/.test(g.reason));
      expect(skipped.length).toBeGreaterThan(timedOut.length);
      // Bounded: the walks in flight (4) time out, plus the sysUpTime.0 probes; nothing else was sent.
      expect(proxy.dropped()).toBeLessThanOrEqual(8);
    } finally {
      proxy.close();
    }
  });

  it(`an agent that answers GET but never GETBULK: at most ${MAX_SILENT_TABLES} tables wait for a timeout`, async () => {
    const proxy = await relay((msg) => pduType(msg) === GET_BULK);
    try {
      const r = await collectSnmp(target('cisco_log', { port: proxy.port }));
      expect(r.identity.hostname).toBe('acc-sw-07');
      expect(evaluateReport(r).map((x) => x.verdict)).toEqual(Array(6).fill('unknown'));
      expect(r.gaps.some((g) => new RegExp(`not read: ${MAX_SILENT_TABLES} tables did not answer although the device answers GET`).test(g.reason))).toBe(true);
      // The walks in flight when the limit was reached may add up to 3 more.
      expect(proxy.dropped()).toBeGreaterThanOrEqual(MAX_SILENT_TABLES);
      expect(proxy.dropped()).toBeLessThanOrEqual(MAX_SILENT_TABLES + 3);
    } finally {
      proxy.close();
    }
  });
});
