/**
 * The WeCom, DingTalk and Feishu robots and the generic webhook against local HTTPS stand-ins
 * that check each vendor's documented signature and message shape and answer with its documented
 * codes (test/helpers/notify-endpoints.ts): sent, retry (rate limit, 5xx with Retry-After, refused
 * connection) and dead (bad signature, bad token, untrusted certificate) — and no reason ever
 * carries a key, token or secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChannel, type DeliveryResult, type OutgoingMessage } from '../../../collector/notify/channels/index.js';
import { startNotifyEndpoints, type NotifyEndpoints } from '../../helpers/notify-endpoints.js';

const WECOM_KEY = 'wecom-key-693a91f5';
const DING_TOKEN = 'ding-token-0c7b2e';
const DING_SECRET = 'SECd1f0a9c4b7e26a5d';
const FEISHU_TOKEN = 'feishu-hook-8e2d4f';
const FEISHU_SECRET = 'feishu-secret-5b9c1a';
const HOOK_SECRET = 'webhook-signing-secret-42aa';
const ALL_SECRETS = [WECOM_KEY, DING_TOKEN, DING_SECRET, FEISHU_TOKEN, FEISHU_SECRET, HOOK_SECRET];

let ep: NotifyEndpoints;
beforeAll(async () => {
  ep = await startNotifyEndpoints({
    wecomKeys: [WECOM_KEY, 'wecom-limited'],
    dingtalk: { [DING_TOKEN]: DING_SECRET, 'ding-limited': undefined },
    feishu: { [FEISHU_TOKEN]: FEISHU_SECRET, 'feishu-limited': undefined },
    webhooks: { '/hooks/ops': HOOK_SECRET },
    perMinute: 3,
  });
});
afterAll(async () => ep.stop());

const message = (over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  id: `msg-${Math.random().toString(36).slice(2)}`,
  lang: 'zh',
  title: '核心交换机 core-sw1 宕机',
  lines: ['客户:华东数据中心', '设备:core-sw1 · SXKR-004 电源', '响应时限:2026-12-05 03:30'],
  link: 'https://xunjian.example.com/sites/hq/tickets/17',
  priority: 'P1',
  ...over,
});

const ca = () => ({ ca: ep.cert.cert });
const noSecret = (r: DeliveryResult) => {
  const text = JSON.stringify(r);
  for (const s of ALL_SECRETS) expect(text).not.toContain(s);
};

describe('WeCom group robot', () => {
  it('sends markdown with the title, lines and the dashboard link', async () => {
    const ch = buildChannel({ name: 'wecom', kind: 'wecom', settings: ca(), secrets: { url: ep.wecomUrl(WECOM_KEY) } });
    const m = message();
    expect(await ch.send(m)).toMatchObject({ outcome: 'sent' });
    const got = ep.received.filter((r) => r.vendor === 'wecom').at(-1)!;
    const content = (got.body.markdown as { content: string }).content;
    expect(got.body.msgtype).toBe('markdown');
    expect(content).toContain('[P1] 核心交换机 core-sw1 宕机');
    expect(content).toContain('客户:华东数据中心');
    expect(content).toContain(`(${m.link})`);
    expect(ch.perMinute).toBe(20);
    expect(ch.minIntervalMs).toBe(3000);
  });

  it('a long message is cut to the 4096 bytes WeCom takes, not refused', async () => {
    const ch = buildChannel({ name: 'wecom', kind: 'wecom', settings: ca(), secrets: { url: ep.wecomUrl(WECOM_KEY) } });
    expect(await ch.send(message({ lines: Array.from({ length: 400 }, (_, i) => `第 ${i} 行:端口 Gi1/0/${i} 状态变化`) }))).toMatchObject({ outcome: 'sent' });
  });

  it('45009 over the per-minute limit is a retry after a minute; an unknown key (93000) is dead', async () => {
    const ch = buildChannel({ name: 'wecom-limited', kind: 'wecom', settings: ca(), secrets: { url: ep.wecomUrl('wecom-limited') } });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await ch.send(message()));
    expect(results.slice(0, 3).map((r) => r.outcome)).toEqual(['sent', 'sent', 'sent']);
    expect(results[3]).toMatchObject({ outcome: 'retry', afterMs: 60_000 });
    expect((results[3] as { reason: string }).reason).toMatch(/45009/);
    const gone = await buildChannel({ name: 'w', kind: 'wecom', settings: ca(), secrets: { url: ep.wecomUrl('removed-robot-key') } }).send(message());
    expect(gone).toMatchObject({ outcome: 'dead' });
    expect((gone as { reason: string }).reason).toMatch(/93000/);
    expect(JSON.stringify(gone)).not.toContain('removed-robot-key');
    results.forEach(noSecret);
  });
});

describe('DingTalk custom robot', () => {
  it('signs with 加签 (timestamp + sign) and sends markdown with a title', async () => {
    const ch = buildChannel({ name: 'ding', kind: 'dingtalk', settings: ca(), secrets: { url: ep.dingtalkUrl(DING_TOKEN), secret: DING_SECRET } });
    const r = await ch.send(message({ lang: 'en', title: 'Core switch core-sw1 down', lines: ['Customer: East China DC'] }));
    expect(r).toMatchObject({ outcome: 'sent' });
    noSecret(r);
    const got = ep.received.filter((x) => x.vendor === 'dingtalk').at(-1)!;
    expect(got.url).toMatch(/[?&]timestamp=\d{13}&sign=/);
    expect(got.body).toMatchObject({ msgtype: 'markdown', markdown: { title: '[P1] Core switch core-sw1 down' } });
    expect((got.body.markdown as { text: string }).text).toContain('[Open in Xunjian](https://xunjian.example.com/sites/hq/tickets/17)');
  });

  it('a wrong secret is 310000 sign not match: dead, naming the 加签 secret and not showing it', async () => {
    const r = await buildChannel({ name: 'ding', kind: 'dingtalk', settings: ca(), secrets: { url: ep.dingtalkUrl(DING_TOKEN), secret: 'SECwrong-secret-value' } }).send(message());
    expect(r).toMatchObject({ outcome: 'dead' });
    expect((r as { reason: string }).reason).toMatch(/310000.*加签/);
    expect(JSON.stringify(r)).not.toContain('SECwrong-secret-value');
    noSecret(r);
  });

  it('an unknown token is dead (300001); 130101 send too fast retries after the 10-minute hold', async () => {
    expect(await buildChannel({ name: 'd', kind: 'dingtalk', settings: ca(), secrets: { url: ep.dingtalkUrl('no-such-token') } }).send(message())).toMatchObject({ outcome: 'dead' });
    const ch = buildChannel({ name: 'ding-limited', kind: 'dingtalk', settings: ca(), secrets: { url: ep.dingtalkUrl('ding-limited') } });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await ch.send(message()));
    expect(outcomes.map((o) => o.outcome)).toEqual(['sent', 'sent', 'sent', 'retry']);
    expect(outcomes[3]).toMatchObject({ afterMs: 600_000 });
    expect((outcomes[3] as { reason: string }).reason).toMatch(/130101/);
  });
});

describe('Feishu custom bot', () => {
  it('signs the body (timestamp + sign) and sends an interactive card coloured by priority, with a button to the link', async () => {
    const ch = buildChannel({ name: 'feishu', kind: 'feishu', settings: ca(), secrets: { url: ep.feishuUrl(FEISHU_TOKEN), secret: FEISHU_SECRET } });
    expect(await ch.send(message())).toMatchObject({ outcome: 'sent' });
    const got = ep.received.filter((x) => x.vendor === 'feishu').at(-1)!;
    expect(got.body.msg_type).toBe('interactive');
    expect(got.body.timestamp).toMatch(/^\d{10}$/);
    const card = got.body.card as { header: { title: { content: string }; template: string }; elements: { tag: string; actions?: { url: string }[] }[] };
    expect(card.header).toMatchObject({ title: { content: '[P1] 核心交换机 core-sw1 宕机' }, template: 'red' });
    expect(card.elements.find((e) => e.tag === 'action')?.actions?.[0]?.url).toBe('https://xunjian.example.com/sites/hq/tickets/17');
    expect(ch.perMinute).toBe(100);
  });

  it('19021 sign match fail is dead; 11232 frequency limited is a retry', async () => {
    const bad = await buildChannel({ name: 'f', kind: 'feishu', settings: ca(), secrets: { url: ep.feishuUrl(FEISHU_TOKEN), secret: 'not-the-secret' } }).send(message());
    expect(bad).toMatchObject({ outcome: 'dead' });
    expect((bad as { reason: string }).reason).toMatch(/19021/);
    noSecret(bad);
    const ch = buildChannel({ name: 'feishu-limited', kind: 'feishu', settings: ca(), secrets: { url: ep.feishuUrl('feishu-limited') } });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await ch.send(message()));
    expect(outcomes.map((o) => o.outcome)).toEqual(['sent', 'sent', 'sent', 'retry']);
    expect((outcomes[3] as { reason: string }).reason).toMatch(/11232/);
  });
});

describe('generic webhook', () => {
  const hook = (secret = HOOK_SECRET, extra: Record<string, string> = ca()) => buildChannel({ name: 'hook', kind: 'webhook', settings: extra, secrets: { url: ep.webhookUrl('/hooks/ops'), secret } });

  it('posts the documented JSON body, signed over timestamp + body, with the message id as delivery id', async () => {
    const m = message();
    expect(await hook().send(m)).toMatchObject({ outcome: 'sent' });
    const got = ep.received.filter((x) => x.vendor === 'webhook').at(-1)!;
    expect(got.headers['x-xunjian-delivery']).toBe(m.id);
    expect(got.headers['x-xunjian-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(got.body).toMatchObject({ version: 1, id: m.id, lang: 'zh', title: m.title, lines: m.lines, link: m.link, priority: 'P1' });
    expect(got.body.markdown).toContain(m.title);
  });

  it('a receiver refusing the signature (401) is dead; 503 with Retry-After is a retry after it', async () => {
    const bad = await hook('another-signing-secret-000').send(message());
    expect(bad).toMatchObject({ outcome: 'dead' });
    expect((bad as { reason: string }).reason).toMatch(/HTTP 401/);
    noSecret(bad);
    ep.failNext('webhook', 503, '7');
    expect(await hook().send(message())).toMatchObject({ outcome: 'retry', afterMs: 7000 });
    ep.failNext('wecom', 502);
    const r = await buildChannel({ name: 'w', kind: 'wecom', settings: ca(), secrets: { url: ep.wecomUrl(WECOM_KEY) } }).send(message());
    expect(r).toMatchObject({ outcome: 'retry' });
    noSecret(r);
  });

  it('no answer within the channel\'s timeoutMs is a retry naming the host, not the URL', async () => {
    ep.stallNext('dingtalk', 5_000);
    const r = await buildChannel({ name: 'd', kind: 'dingtalk', settings: { ...ca(), timeoutMs: 500 }, secrets: { url: ep.dingtalkUrl(DING_TOKEN), secret: DING_SECRET } }).send(message());
    expect(r).toMatchObject({ outcome: 'retry' });
    expect((r as { reason: string }).reason).toMatch(/no answer from 127\.0\.0\.1:\d+ within 500 ms/);
    noSecret(r);
  });

  it('a certificate nobody vouched for is dead (set ca); a refused connection is a retry', async () => {
    const untrusted = await hook(HOOK_SECRET, {}).send(message());
    expect(untrusted).toMatchObject({ outcome: 'dead' });
    expect((untrusted as { reason: string }).reason).toMatch(/TLS/);
    const closed = await startNotifyEndpoints({ cert: ep.cert });
    const url = closed.webhookUrl('/hooks/ops');
    await closed.stop();
    const refused = await buildChannel({ name: 'h', kind: 'webhook', settings: ca(), secrets: { url, secret: HOOK_SECRET } }).send(message());
    expect(refused).toMatchObject({ outcome: 'retry' });
    expect((refused as { reason: string }).reason).toMatch(/ECONNREFUSED/);
    noSecret(refused);
  });
});
