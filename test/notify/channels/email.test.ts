/**
 * The e-mail channel against a real SMTP server (smtp-server on loopback) that offers STARTTLS with
 * a certificate made for the test and requires AUTH; each message is parsed back with mailparser:
 * subject, language, link, the outbox id as Message-ID — and the password appears nowhere.
 */
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildChannel, type Channel, type OutgoingMessage } from '../../../collector/notify/channels/index.js';
import { POOL_CONNECTIONS } from '../../../collector/notify/channels/email.js';
import { until } from '../../helpers/collector.js';
import { makeLoopbackCertificate, type LoopbackCertificate } from '../../helpers/notify-endpoints.js';
import { startSmtp, type TestSmtp } from '../../helpers/smtp.js';

const PASSWORD = 'smtp-Pa55word-7f3e';
let cert: LoopbackCertificate;
let smtp: TestSmtp;
beforeAll(async () => {
  cert = makeLoopbackCertificate();
  smtp = await startSmtp({ users: { alerts: PASSWORD }, cert });
});
afterAll(async () => smtp.stop());

const settings = (over: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port: smtp.port, security: 'starttls', user: 'alerts', from: 'Xunjian 巡检 <xunjian@example.com>', to: ['duty@example.com'], ca: cert.cert, ...over });
const built: Channel[] = [];
const email = (over: Record<string, unknown> = {}, password = PASSWORD) => {
  const channel = buildChannel({ name: 'mail', kind: 'email', settings: settings(over), secrets: { password } });
  built.push(channel);
  return channel;
};
afterEach(() => {
  for (const c of built.splice(0)) c.close?.();
});

const message = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: 'outbox-4711',
  lang: 'zh',
  title: '核心交换机 core-sw1 宕机',
  lines: ['客户:华东数据中心', '设备:core-sw1 · SXKR-004 电源'],
  link: 'https://xunjian.example.com/sites/hq/tickets/17',
  priority: 'P1',
  ...over,
});

describe('e-mail over SMTP', () => {
  it('STARTTLS + AUTH: subject, Chinese body, link, Message-ID from the outbox id; no password in the mail', async () => {
    const before = smtp.received.length;
    const r = await email().send(message());
    expect(r).toMatchObject({ outcome: 'sent' });
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
    const got = smtp.received[before]!;
    expect(got.secure).toBe(true);
    expect(got.user).toBe('alerts');
    expect(got.to).toEqual(['duty@example.com']);
    expect(got.raw.toString('latin1')).not.toContain(PASSWORD);
    const mail = await simpleParser(got.raw);
    expect(mail.subject).toBe('[P1] 核心交换机 core-sw1 宕机');
    expect(mail.from?.value[0]).toMatchObject({ address: 'xunjian@example.com', name: 'Xunjian 巡检' });
    expect(mail.headers.get('content-language')).toBe('zh-CN');
    expect(mail.headers.get('x-xunjian-message-id')).toBe('outbox-4711');
    expect(mail.messageId).toMatch(/^<outbox-4711\.xunjian@/);
    expect(mail.text).toContain('客户:华东数据中心');
    expect(mail.text).toContain('在巡检系统中查看: https://xunjian.example.com/sites/hq/tickets/17');
    expect(mail.html).toContain('href="https://xunjian.example.com/sites/hq/tickets/17"');
    expect(mail.headers.get('priority')).toBe('high');
  });

  it('an English message is English throughout; the message\'s own recipients win over the channel\'s', async () => {
    const before = smtp.received.length;
    expect(await email().send(message({ lang: 'en', title: 'Core switch down', lines: ['Customer: East China DC'], priority: 'P3', to: ['manager@example.com'] }))).toMatchObject({ outcome: 'sent' });
    const got = smtp.received[before]!;
    expect(got.to).toEqual(['manager@example.com']);
    const mail = await simpleParser(got.raw);
    expect(mail.subject).toBe('[P3] Core switch down');
    expect(mail.headers.get('content-language')).toBe('en');
    expect(mail.text).toContain('Open in Xunjian: https://xunjian.example.com/sites/hq/tickets/17');
    expect(mail.text).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('a refused password is dead, without the password in the reason', async () => {
    const r = await email({}, 'wrong-password-value').send(message());
    expect(r).toMatchObject({ outcome: 'dead' });
    expect((r as { reason: string }).reason).toMatch(/authentication refused/);
    expect(JSON.stringify(r)).not.toContain('wrong-password-value');
  });

  it('a 4yz reply is retried, a 5yz reply is dead (RFC 5321)', async () => {
    smtp.rejectNext(451, 'Requested action aborted: local error in processing');
    expect(await email().send(message())).toMatchObject({ outcome: 'retry', afterMs: 60_000 });
    smtp.rejectNext(550, 'Mailbox unavailable');
    expect(await email().send(message())).toMatchObject({ outcome: 'dead' });
  });

  it('a server certificate nobody vouched for is dead; nobody listening is a retry; no recipient is dead', async () => {
    const { ca: _ca, ...withoutCa } = settings();
    const untrusted = await buildChannel({ name: 'mail', kind: 'email', settings: withoutCa, secrets: { password: PASSWORD } }).send(message());
    expect(untrusted).toMatchObject({ outcome: 'dead' });
    expect((untrusted as { reason: string }).reason).toMatch(/TLS/);
    const gone = await startSmtp({ cert });
    const port = gone.port;
    await gone.stop();
    expect(await email({ port }).send(message())).toMatchObject({ outcome: 'retry' });
    expect(await email({ to: undefined }).send(message())).toMatchObject({ outcome: 'dead', reason: expect.stringMatching(/no recipient/) });
  });

  it('implicit TLS (port 465 style) to a server that speaks TLS from the first byte', async () => {
    const tls = await startSmtp({ users: { alerts: PASSWORD }, cert, secure: true });
    try {
      expect(await email({ port: tls.port, security: 'tls' }).send(message())).toMatchObject({ outcome: 'sent' });
      expect(tls.received[0]?.secure).toBe(true);
    } finally {
      await tls.stop();
    }
  });

  it('is pooled: a burst of 24 messages and 6 more one by one go down at most POOL_CONNECTIONS SMTP sessions; close() lets them go', async () => {
    await until('earlier sessions closed', () => (smtp.sessions.open === 0 ? true : undefined), 20_000, 50);
    const opened = smtp.sessions.opened;
    const before = smtp.received.length;
    const channel = email();
    const burst = await Promise.all(Array.from({ length: 24 }, (_, i) => channel.send(message({ id: `pool-${i}` }))));
    expect(burst.map((r) => r.outcome)).toEqual(Array(24).fill('sent'));
    for (let i = 0; i < 6; i++) expect(await channel.send(message({ id: `pool-seq-${i}` }))).toMatchObject({ outcome: 'sent' });
    expect(smtp.received.length - before).toBe(30);
    const used = smtp.sessions.opened - opened;
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(POOL_CONNECTIONS);
    expect(smtp.sessions.open).toBeGreaterThan(0);
    channel.close?.();
    await until('the pool let its sessions go', () => (smtp.sessions.open === 0 ? true : undefined), 10_000, 50);
    // A closed channel opens a new pool when it is used again.
    expect(await channel.send(message({ id: 'pool-after-close' }))).toMatchObject({ outcome: 'sent' });
  });
});
