/**
 * The channel API on a real collector (SQLite file) with the robots' and SMTP stand-ins on
 * loopback: who may manage which channel, bad configuration as a 400 naming the field, secrets
 * never answered (`set: true`) nor stored in the clear, "send test" through each kind, and the
 * directory the sender is given.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelDirectoryFor, testMessage } from '../../../collector/notify/channels/index.js';
import { startTestCollector, until, type TestCollector } from '../../helpers/collector.js';
import { expectNotStoredInClear } from '../../helpers/stored-secrets.js';
import { startNotifyEndpoints, type NotifyEndpoints } from '../../helpers/notify-endpoints.js';
import { startSmtp, type TestSmtp } from '../../helpers/smtp.js';

const KEY = randomBytes(32).toString('base64');
const PASSWORD = 'smtp-password-9d2c71';
const DING_TOKEN = 'ding-token-a41f09';
const DING_SECRET = 'SECc0ffee5ecret77';
const WECOM_KEY = 'wecom-key-5e6f70';
const HOOK_SECRET = 'hook-secret-0123456789';
const SECRETS = [PASSWORD, DING_TOKEN, DING_SECRET, WECOM_KEY, HOOK_SECRET];

let ep: NotifyEndpoints;
let smtp: TestSmtp;
let c: TestCollector;
let admin: string;
let engineerHq: string;
let engineerOther: string;
let customerHq: string;

beforeAll(async () => {
  ep = await startNotifyEndpoints({ wecomKeys: [WECOM_KEY], dingtalk: { [DING_TOKEN]: DING_SECRET }, webhooks: { '/hooks/ops': HOOK_SECRET } });
  smtp = await startSmtp({ users: { alerts: PASSWORD }, cert: ep.cert });
  c = await startTestCollector({ snmp: { credentialKey: KEY, pollerEnabled: false, concurrency: 1 } });
  admin = c.token('admin', null, 'ops-admin');
  engineerHq = c.token('engineer', 'hq', 'eng-hq');
  engineerOther = c.token('engineer', 'branch', 'eng-branch');
  customerHq = c.token('customer', 'hq', 'cust-hq');
});
afterAll(async () => {
  await c?.stop();
  await smtp?.stop();
  await ep?.stop();
});

const post = (token: string, body: unknown) => c.request('POST', '/api/v1/notify/channels', { token, body });
const companyMail = () => ({
  name: 'company-mail',
  kind: 'email',
  settings: { host: '127.0.0.1', port: smtp.port, security: 'starttls', user: 'alerts', from: 'Xunjian <xunjian@example.com>', to: ['duty@example.com'], ca: ep.cert.cert },
  secrets: { password: PASSWORD },
});
const noSecretIn = (text: string) => {
  for (const s of SECRETS) expect(text).not.toContain(s);
};

describe('channel API', () => {
  it('a global admin adds the company mail channel; the answer says the password is set and never shows it', async () => {
    const res = await post(admin, companyMail());
    const text = await res.text();
    expect(res.status, text).toBe(201);
    noSecretIn(text);
    const body = JSON.parse(text);
    expect(body).toMatchObject({ name: 'company-mail', kind: 'email', site: null, secrets: { password: { set: true } }, target: `127.0.0.1:${smtp.port}` });
    expect(body.settings).toMatchObject({ host: '127.0.0.1', security: 'starttls', user: 'alerts' });
  });

  it('an engineer adds a robot for their own site; target shows the host, not the token', async () => {
    const res = await post(engineerHq, { name: 'hq-dingtalk', kind: 'dingtalk', site: 'hq', settings: { ca: ep.cert.cert }, secrets: { url: ep.dingtalkUrl(DING_TOKEN), secret: DING_SECRET } });
    const text = await res.text();
    expect(res.status, text).toBe(201);
    noSecretIn(text);
    expect(JSON.parse(text)).toMatchObject({ site: 'hq', target: ep.origin, perMinute: 20, minIntervalMs: 3000, secrets: { url: { set: true }, secret: { set: true } } });
    expect((await post(engineerHq, { name: 'hq-wecom', kind: 'wecom', site: 'hq', settings: { ca: ep.cert.cert }, secrets: { url: ep.wecomUrl(WECOM_KEY) } })).status).toBe(201);
    expect((await post(admin, { name: 'ops-hook', kind: 'webhook', settings: { ca: ep.cert.cert }, secrets: { url: ep.webhookUrl('/hooks/ops'), secret: HOOK_SECRET } })).status).toBe(201);
  });

  it('who may do what: company channels are a global admin\'s; another site\'s channel is "no channel"; customers are refused', async () => {
    expect((await post(engineerHq, { ...companyMail(), name: 'eng-mail' })).status).toBe(403);
    expect((await post(engineerHq, { ...companyMail(), name: 'eng-mail', site: 'branch' })).status).toBe(403);
    expect((await post(customerHq, { ...companyMail(), name: 'cust-mail', site: 'hq' })).status).toBe(403);
    const seenByBranch = (await (await c.request('GET', '/api/v1/notify/channels', { token: engineerOther })).json()) as { name: string }[];
    expect(seenByBranch.map((x) => x.name)).toEqual(['company-mail', 'ops-hook']);
    const seenByHq = (await (await c.request('GET', '/api/v1/notify/channels', { token: engineerHq })).json()) as { name: string }[];
    expect(seenByHq.map((x) => x.name)).toEqual(['company-mail', 'hq-dingtalk', 'hq-wecom', 'ops-hook']);
    const hidden = await c.request('GET', '/api/v1/notify/channels/hq-dingtalk', { token: engineerOther });
    const missing = await c.request('GET', '/api/v1/notify/channels/no-such-channel', { token: engineerOther });
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((await hidden.json()).message.replace('hq-dingtalk', 'X')).toBe((await missing.json()).message.replace('no-such-channel', 'X'));
    expect((await c.request('PATCH', '/api/v1/notify/channels/company-mail', { token: engineerHq, body: { settings: { port: 25 } } })).status).toBe(403);
    expect((await c.request('DELETE', '/api/v1/notify/channels/hq-wecom', { token: engineerOther })).status).toBe(404);
    expect((await c.request('GET', '/api/v1/notify/channels', { token: customerHq })).status).toBe(403);
  });

  it('bad configuration is a 400 naming the field, never echoing a secret; a second name is 409', async () => {
    const cases: [unknown, RegExp][] = [
      [{ ...companyMail(), name: 'm2', settings: { host: '127.0.0.1' } }, /\/body\/settings\/from: required field is missing/],
      [{ ...companyMail(), name: 'm3', settings: { ...companyMail().settings, security: 'ssl' } }, /\/body\/settings\/security: expected one of: starttls, tls, none/],
      [{ ...companyMail(), name: 'm4', settings: { ...companyMail().settings, port: 70000 } }, /\/body\/settings\/port/],
      [{ ...companyMail(), name: 'm5', settings: { ...companyMail().settings, to: ['not an address'] } }, /\/body\/settings\/to\/0/],
      [{ name: 'w2', kind: 'wecom', secrets: { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' } }, /\/body\/secrets\/url/],
      [{ name: 'w3', kind: 'wecom' }, /\/body\/secrets\/url: required field is missing/],
      [{ name: 'h2', kind: 'webhook', secrets: { url: ep.webhookUrl('/x'), secret: 'short-9Zq' } }, /\/body\/secrets\/secret/],
      [{ name: 'h3', kind: 'webhook', secrets: { url: 'ftp://example.com', secret: HOOK_SECRET } }, /\/body\/secrets\/url/],
      [{ name: 'Bad Name', kind: 'wecom', secrets: { url: ep.wecomUrl(WECOM_KEY) } }, /\/body\/name/],
      [{ name: 'x', kind: 'sms', secrets: {} }, /\/body\/kind: expected one of: email, webhook, wecom, dingtalk, feishu/],
      [{ name: 'f2', kind: 'feishu', secrets: { url: ep.feishuUrl('t'), extra: 'x' } }, /\/body\/secrets\/extra: unknown field/],
    ];
    for (const [body, message] of cases) {
      const res = await post(admin, body);
      const text = await res.text();
      expect(res.status, text).toBe(400);
      expect(JSON.parse(text).message, text).toMatch(message);
      noSecretIn(text);
      expect(text).not.toContain('short-9Zq');
    }
    expect((await post(admin, companyMail())).status).toBe(409);
    const patch = await c.request('PATCH', '/api/v1/notify/channels/company-mail', { token: admin, body: { settings: { port: 'x' } } });
    expect(patch.status).toBe(400);
  });

  it('send test: e-mail and robots deliver; the outcome and reason are recorded on the channel', async () => {
    const before = smtp.received.length;
    const mail = await c.request('POST', '/api/v1/notify/channels/company-mail/test', { token: engineerHq, body: { lang: 'en' } });
    const mailText = await mail.text();
    expect(mail.status, mailText).toBe(200);
    expect(JSON.parse(mailText)).toMatchObject({ channel: 'company-mail', outcome: 'sent' });
    expect(smtp.received.length).toBe(before + 1);
    expect(smtp.received[before]!.raw.toString()).toContain('Xunjian channel test: company-mail');
    const ding = await c.request('POST', '/api/v1/notify/channels/hq-dingtalk/test', { token: engineerHq, body: {} });
    expect(await ding.json()).toMatchObject({ outcome: 'sent' });
    const got = ep.received.filter((r) => r.vendor === 'dingtalk').at(-1)!;
    expect((got.body.markdown as { title: string }).title).toBe('巡检通知渠道测试:hq-dingtalk');
    expect((got.body.markdown as { text: string }).text).toMatch(/\/notify\/channels\)/);
    const hook = await c.request('POST', '/api/v1/notify/channels/ops-hook/test', { token: admin, body: {} });
    expect(await hook.json()).toMatchObject({ outcome: 'sent' });
    const view = await (await c.request('GET', '/api/v1/notify/channels/hq-dingtalk', { token: engineerHq })).json();
    expect(view.lastTest).toMatchObject({ outcome: 'sent' });
  });

  it('a wrong 加签 secret tests as dead with the vendor\'s code, the secret shown nowhere; PATCH replaces it', async () => {
    const patched = await c.request('PATCH', '/api/v1/notify/channels/hq-dingtalk', { token: engineerHq, body: { secrets: { secret: 'SECwrong00000' } } });
    const patchedText = await patched.text();
    expect(patched.status, patchedText).toBe(200);
    expect(patchedText).not.toContain('SECwrong00000');
    const bad = await c.request('POST', '/api/v1/notify/channels/hq-dingtalk/test', { token: engineerHq, body: {} });
    const badText = await bad.text();
    expect(JSON.parse(badText)).toMatchObject({ outcome: 'dead', detail: expect.stringMatching(/310000/) });
    expect(badText).not.toContain('SECwrong00000');
    noSecretIn(badText);
    const list = await (await c.request('GET', '/api/v1/notify/channels', { token: admin })).text();
    expect(list).not.toContain('SECwrong00000');
    noSecretIn(list);
    await c.request('PATCH', '/api/v1/notify/channels/hq-dingtalk', { token: engineerHq, body: { secrets: { secret: DING_SECRET } } });
    expect(await (await c.request('POST', '/api/v1/notify/channels/hq-dingtalk/test', { token: engineerHq, body: {} })).json()).toMatchObject({ outcome: 'sent' });
  });

  it('the directory the sender is given builds live channels from the database, secrets unsealed', async () => {
    const dir = channelDirectoryFor(c.app.store, { snmp: { credentialKey: KEY, pollerEnabled: false, concurrency: 1 } });
    expect(await dir.list()).toEqual(['company-mail', 'hq-dingtalk', 'hq-wecom', 'ops-hook']);
    const wecom = (await dir.get('hq-wecom'))!;
    expect(wecom.kind).toBe('wecom');
    expect(wecom.perMinute).toBe(20);
    expect(await wecom.send(testMessage('hq-wecom', 'zh', new Date()))).toMatchObject({ outcome: 'sent' });
    expect(await dir.get('nope')).toBeUndefined();
    const wrongKey = channelDirectoryFor(c.app.store, { snmp: { credentialKey: randomBytes(32).toString('hex'), pollerEnabled: false, concurrency: 1 } });
    const r = await (await wrongKey.get('hq-wecom'))!.send(testMessage('hq-wecom', 'zh', new Date()));
    expect(r).toMatchObject({ outcome: 'dead', reason: expect.stringMatching(/credential key is not the one/) });
  });

  it('a changed e-mail channel is rebuilt and its old SMTP pool let go; closing the directory lets go of the rest', async () => {
    const settle = () => until('no SMTP session left open', () => (smtp.sessions.open === 0 ? true : undefined), 20_000, 50);
    // The collector's own pools, idle since the earlier tests, are let go now rather than at their 15 s socket timeout.
    (c.app.notifyDirectory as { close?(): void }).close?.();
    await settle();
    const dir = channelDirectoryFor(c.app.store, { snmp: { credentialKey: KEY, pollerEnabled: false, concurrency: 1 } });
    const first = (await dir.get('company-mail'))!;
    expect(await first.send(testMessage('company-mail', 'zh', new Date()))).toMatchObject({ outcome: 'sent' });
    expect(await dir.get('company-mail')).toBe(first);
    expect(smtp.sessions.open).toBe(1);
    const patched = await c.request('PATCH', '/api/v1/notify/channels/company-mail', { token: admin, body: { settings: { from: 'Xunjian 巡检 <xunjian@example.com>' } } });
    expect(patched.status).toBe(200);
    const second = (await dir.get('company-mail'))!;
    expect(second).not.toBe(first);
    await settle();
    expect(await second.send(testMessage('company-mail', 'en', new Date()))).toMatchObject({ outcome: 'sent' });
    expect(smtp.sessions.open).toBe(1);
    dir.close();
    await settle();
  });

  it('no secret is stored in clear (the SQLite file and WAL, or every row on PostgreSQL); DELETE removes a channel', async () => {
    for (const s of SECRETS) await expectNotStoredInClear(c, s, ['notify_channels', 'notify_outbox']);
    expect((await c.request('DELETE', '/api/v1/notify/channels/hq-wecom', { token: engineerHq })).status).toBe(204);
    expect((await c.request('GET', '/api/v1/notify/channels/hq-wecom', { token: engineerHq })).status).toBe(404);
  });

  it('without a credential key a channel cannot be added: 400 saying how to set one', async () => {
    const saved = process.env.XUNJIAN_SNMP_KEY;
    delete process.env.XUNJIAN_SNMP_KEY;
    const keyless = await startTestCollector({ snmp: { pollerEnabled: false, concurrency: 1 } });
    try {
      const res = await keyless.request('POST', '/api/v1/notify/channels', { token: keyless.token('admin', null), body: companyMail() });
      const body = await res.json();
      expect(res.status).toBe(400);
      expect(body.error).toBe('credential_key_missing');
      expect(body.message).toMatch(/XUNJIAN_SNMP_KEY/);
    } finally {
      await keyless.stop();
      if (saved !== undefined) process.env.XUNJIAN_SNMP_KEY = saved;
    }
  });
});
