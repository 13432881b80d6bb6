import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { RefusedSender } from '../../collector/syslog/index.js';
import { freeSyslogPort, realisticReport, startTestCollector, tempDir, until, type TestCollector } from '../helpers/collector.js';

/*
 * Syslog that cannot be spoofed across customers, through a real collector and real UDP senders on
 * loopback addresses. Before: a sender matched any device of any site by address alone (the first
 * registered won), so one forged packet became an abnormal SXKR-006 at another customer.
 */
function sendUdp(text: string, from: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.bind(0, from, () => s.send(text, port, '127.0.0.1', (err) => (s.close(), err ? reject(err) : resolve())));
  });
}

const running: TestCollector[] = [];
afterAll(async () => Promise.all(running.map((c) => c.stop())));

async function collector(sites?: Record<string, { networks: string[] }>, ratePerSecond?: number, tls?: { port: number; cert: string; key: string }) {
  const port = await freeSyslogPort();
  const c = await startTestCollector({
    syslog: { port, host: '0.0.0.0', flushSeconds: 0.1, maxQueue: 1000, ...(sites ? { sites } : {}), ...(ratePerSecond ? { ratePerSecond } : {}), ...(tls ? { tls } : {}) },
  });
  running.push(c);
  const admin = c.token('admin', null, 'root');
  /** A device of `site` whose report lists `address`. */
  const device = async (site: string, hostname: string, address: string) => {
    const r = realisticReport({ hostname, site });
    r.identity.addresses = [address];
    expect((await c.request('POST', '/api/v1/reports', { token: admin, body: r })).status).toBe(201);
  };
  const senders = async () => ((await (await c.request('GET', '/api/v1/syslog/senders', { token: admin })).json()) as { senders: RefusedSender[] }).senders;
  const logEntries = async (hostname: string) =>
    (await c.store.get<{ n: number }>("SELECT count(*) AS n FROM measurements m JOIN reports r ON r.id = m.report_id JOIN devices d ON d.id = r.device_id WHERE d.hostname = ? AND m.metric = 'log.entry' AND m.value LIKE '%spoofed%'", [hostname]))!.n;
  return { c, port, admin, device, senders, logEntries };
}

describe('syslog senders are matched within one site', () => {
  it('an address claimed by devices of two sites is ambiguous and attaches to neither; counted and listed', async () => {
    const k = await collector();
    await k.device('bank-a', 'a-core', '127.0.0.21');
    await k.device('bank-b', 'b-core', '127.0.0.21');
    await sendUdp('<10>Nov 28 10:00:00 core kernel: spoofed power supply failure', '127.0.0.21', k.port);
    const listed = await until('the ambiguous sender listed', async () => (await k.senders()).find((s) => s.reason === 'ambiguous'));
    expect(listed).toMatchObject({ address: '127.0.0.21', messages: 1 });
    await k.c.app.syslog!.flush();
    expect((await k.logEntries('a-core')) + (await k.logEntries('b-core'))).toBe(0);
    expect(await (await k.c.request('GET', '/metrics')).text()).toMatch(/^xunjian_syslog_refused_total\{reason="ambiguous"\} 1$/m);
    // Only a global admin sees the list: it names addresses of no site yet.
    const siteAdmin = k.c.token('admin', 'bank-a');
    expect((await k.c.request('GET', '/api/v1/syslog/senders', { token: siteAdmin })).status).toBe(403);
  });

  it('with site networks declared, a claim counts only inside its site network: the forged sender attaches to no device', async () => {
    const k = await collector({ 'bank-a': { networks: ['127.0.0.0/28'] }, 'bank-b': { networks: ['127.0.1.0/24'] } });
    await k.device('bank-a', 'a-db', '127.0.0.5');
    // bank-b's report lists an address inside bank-a's network (same private plan, or a lie).
    await k.device('bank-b', 'b-sw', '127.0.0.6');
    await sendUdp('<10>Nov 28 10:00:00 sw kernel: spoofed fan failure', '127.0.0.6', k.port);
    await sendUdp('<10>Nov 28 10:00:01 db kernel: real disk error', '127.0.0.5', k.port);
    await until('the outside sender listed', async () => (await k.senders()).find((s) => s.reason === 'outside_site_networks' && s.address === '127.0.0.6'));
    const real = await until('the real entry stored', async () => {
      await k.c.app.syslog!.flush();
      const n = (await k.c.store.get<{ n: number }>("SELECT count(*) AS n FROM measurements WHERE value LIKE '%real disk error%'"))!.n;
      return n > 0 ? n : undefined;
    });
    expect(real).toBe(1);
    expect(await k.logEntries('b-sw')).toBe(0);
  });

  it('a sender over its rate is dropped beyond the burst, counted and listed', async () => {
    const k = await collector(undefined, 1);
    await k.device('bank-a', 'a-noisy', '127.0.0.7');
    for (let i = 0; i < 15; i++) await sendUdp(`<14>Nov 28 10:00:${String(i).padStart(2, '0')} noisy app: info ${i}`, '127.0.0.7', k.port);
    const listed = await until('the rate-exceeded sender', async () => (await k.senders()).find((s) => s.reason === 'rate_exceeded' && s.messages >= 4));
    expect(listed.address).toBe('127.0.0.7');
  });
});

describe('a sender first seen', () => {
  it('two messages at once (a TCP stream’s lines) both attach: the second waits for the address map reload the first started', async () => {
    const k = await collector();
    const receiver = k.c.app.syslog!;
    // A stranger loads the address map: the next sender is looked up in a fresh map, as between reloads.
    await receiver.onText('<11>Nov 28 09:59:59 stranger kernel: not ours', '127.0.0.41', 'udp');
    await k.device('bank-a', 'a-new', '127.0.0.40');
    await Promise.all([
      receiver.onText('<11>1 2026-11-28T10:00:00.000Z a-new kernel - - - first line of the stream', '127.0.0.40', 'tcp'),
      receiver.onText('<11>1 2026-11-28T10:00:01.000Z a-new kernel - - - second line of the stream', '127.0.0.40', 'tcp'),
    ]);
    await receiver.flush();
    const stored = await k.c.store.all<{ value: string }>("SELECT value FROM measurements WHERE value LIKE '%line of the stream'");
    expect(stored.map((m) => m.value).sort()).toEqual(['first line of the stream', 'second line of the stream']);
    expect((await k.senders()).map((s) => s.address)).toEqual(['127.0.0.41']);
  });
});

describe('syslog over TLS (RFC 5425)', () => {
  it('takes octet-counted messages over TLS from a known device', async () => {
    const dir = tempDir('xunjian-syslog-tls-');
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=xunjian-syslog-test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const k = await collector(undefined, undefined, { port: 0, cert, key });
    await k.device('bank-a', 'a-tls', '127.0.0.8');
    const tlsPort = k.c.app.syslog!.ports().tls;
    expect(tlsPort).toBeGreaterThan(0);
    const msg = '<11>1 2026-11-28T10:00:00.000Z a-tls raid - - - array md0 degraded over tls';
    await new Promise<void>((resolve, reject) => {
      // From the device's own address: the TCP socket is bound there, then TLS runs over it.
      const tcp = netConnect({ host: '127.0.0.1', port: tlsPort, localAddress: '127.0.0.8' });
      const s = tlsConnect({ socket: tcp, host: '127.0.0.1', ca: readFileSync(cert) }, () => s.end(`${Buffer.byteLength(msg)} ${msg}`));
      s.on('error', reject);
      s.on('close', () => resolve());
    });
    const stored = await until('the TLS entry stored', async () => {
      await k.c.app.syslog!.flush();
      const n = (await k.c.store.get<{ n: number }>("SELECT count(*) AS n FROM measurements WHERE value LIKE '%degraded over tls%'"))!.n;
      return n > 0 ? n : undefined;
    });
    expect(stored).toBe(1);
    expect(await (await k.c.request('GET', '/metrics')).text()).toMatch(/^xunjian_syslog_messages_total\{transport="tls"\} 1$/m);
  });
});
