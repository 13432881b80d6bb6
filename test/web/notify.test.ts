/**
 * A site's notifications page in headless Chromium: an engineer routes P1/P2 tickets to a webhook
 * channel, puts a holiday duty (节假日值守) on the rota in the site's local time, sets an escalation
 * chain and the settings; a real fault then produces a dead letter (the channel's secret is wrong and
 * the HTTPS stand-in refuses its signature), the engineer fixes the secret and presses "send again",
 * and the message is delivered. Refused forms come back with the reason; a customer sees no link and
 * gets 403. Everything the page did is read back through the API.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from './fixtures/seeded-dashboard.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, UsersRepository } from '../../collector/users/index.js';
import { realisticReport, startTestCollector, until, type TestCollector } from '../helpers/collector.js';
import { startNotifyEndpoints, type NotifyEndpoints } from '../helpers/notify-endpoints.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'web');
const HOOK_SECRET = 'page-hook-secret-0123456789';
const PASSWORD = { wang: 'engineer-pass-notify', zhao: 'customer-pass-notify' };

let c: TestCollector;
let ep: NotifyEndpoints;
let browser: Browser;
let admin: string;

const api = async (method: string, path: string, body?: unknown) => {
  const res = await c.request(method, path, { token: admin, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
};

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ep = await startNotifyEndpoints({ webhooks: { '/hooks/hq': HOOK_SECRET } });
  c = await startTestCollector({
    snmp: { credentialKey: randomBytes(32).toString('hex'), pollerEnabled: false, concurrency: 1 },
    notify: { pollMs: 50, maxAttempts: 3, concurrency: 4 },
    silenceScanSeconds: 0,
  });
  admin = c.token('admin', null, 'notify-page-admin');
  await api('POST', '/api/v1/reports', realisticReport({ hostname: 'db01', site: 'hq' }));
  await api('PATCH', '/api/v1/sites/hq/devices/db01', { role: 'core' });
  // The secret is wrong on purpose: the stand-in answers 401 and the message becomes a dead letter.
  await api('POST', '/api/v1/notify/channels', { name: 'hq-hook', kind: 'webhook', site: 'hq', settings: { ca: ep.cert.cert }, secrets: { url: ep.webhookUrl('/hooks/hq'), secret: 'not-the-hook-secret-42' } });
  const users = new UsersRepository(c.store);
  await users.create({ name: 'wang', role: 'engineer', passwordHash: await hashPassword(PASSWORD.wang), sites: ['hq'] });
  await users.create({ name: 'zhao', role: 'customer', passwordHash: await hashPassword(PASSWORD.zhao), sites: ['hq'] });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await c?.stop();
  await ep?.stop();
});

async function logIn(name: keyof typeof PASSWORD): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
  await page.goto(`${c.url}/sites/hq/tickets`);
  await expect.poll(() => page.url()).toContain('/login');
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', PASSWORD[name]);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login button[type=submit]')]);
  return page;
}
const submit = (page: Page, form: string, url: RegExp = /\/sites\/hq\/notify(\?error=.*)?$/) => Promise.all([page.waitForURL(url), page.click(`${form} button[type=submit]`)]);

describe('notifications page', () => {
  it('an engineer sets rules, a holiday rota in local time, escalation and settings; the API reads them back', async () => {
    const page = await logIn('wang');
    await Promise.all([page.waitForURL(/\/sites\/hq\/notify$/), page.click('nav a[href="/sites/hq/notify"]')]);
    expect(await page.textContent('#notify-rules')).toContain('尚无规则');

    await page.selectOption('#rule-form select[name=event]', 'ticket.opened');
    await page.check('#rule-form input[name=priorities][value=P1]');
    await page.check('#rule-form input[name=priorities][value=P2]');
    await page.selectOption('#rule-form select[name=channel]', 'hq-hook');
    await page.selectOption('#rule-form select[name=audience]', 'group');
    await page.selectOption('#rule-form select[name=lang]', 'en');
    await submit(page, '#rule-form');
    expect(await page.textContent('#notify-rules tbody')).toContain('P1 P2');

    await page.fill('#rota-form input[name=person]', '张工');
    await page.selectOption('#rota-form select[name=role]', 'on_duty');
    await page.fill('#rota-form input[name=email]', 'zhang@example.com');
    await page.fill('#rota-form input[name=from]', '2026-12-24T18:00');
    await page.fill('#rota-form input[name=until]', '2026-12-26T09:00');
    await page.fill('#rota-form input[name=special]', '圣诞值守');
    await submit(page, '#rota-form');
    const rota = await page.textContent('#notify-rota tbody');
    expect(rota).toContain('张工');
    expect(rota).toContain('2026-12-24 18:00');
    expect(rota).toContain('圣诞值守');

    await page.fill('#escalation-form input[name=afterMinutes_0]', '30');
    await page.selectOption('#escalation-form select[name=audience_0]', 'backup');
    await page.fill('#escalation-form input[name=afterMinutes_1]', '60');
    await page.selectOption('#escalation-form select[name=audience_1]', 'manager');
    await submit(page, '#escalation-form');

    await page.fill('#notify-settings input[name=quietStart]', '22:00');
    await page.fill('#notify-settings input[name=quietEnd]', '07:00');
    await page.fill('#notify-settings input[name=deadlineFractions]', '50, 80, 95');
    await page.fill('#notify-settings input[name=groupWindowSeconds]', '120');
    await submit(page, '#notify-settings');

    const view = (await api('GET', '/api/v1/sites/hq/notify')) as {
      rules: { event: string; priorities: string[]; channel: string; audience: string; lang: string }[];
      rota: { person: string; from: string; until: string; special: string; email: string }[];
      escalation: { afterMinutes: number; audience: string; channel: string }[];
      settings: { quietHours: { start: string; end: string }; deadlineFractions: number[]; groupWindowSeconds: number };
    };
    expect(view.rules).toEqual([expect.objectContaining({ event: 'ticket.opened', priorities: ['P1', 'P2'], channel: 'hq-hook', audience: 'group', lang: 'en' })]);
    // 18:00 in Asia/Shanghai (the default zone) is 10:00 UTC.
    expect(view.rota).toEqual([expect.objectContaining({ person: '张工', email: 'zhang@example.com', from: '2026-12-24T10:00:00.000Z', until: '2026-12-26T01:00:00.000Z', special: '圣诞值守' })]);
    expect(view.escalation).toEqual([
      { afterMinutes: 30, audience: 'backup', channel: 'hq-hook' },
      { afterMinutes: 60, audience: 'manager', channel: 'hq-hook' },
    ]);
    expect(view.settings).toMatchObject({ quietHours: { start: '22:00', end: '07:00' }, deadlineFractions: [0.5, 0.8, 0.95], groupWindowSeconds: 120 });
    await page.screenshot({ path: join(ARTIFACTS, 'notify-01-configured.png'), fullPage: true });
    await page.context().close();
  });

  it('refused forms come back with the reason and change nothing', async () => {
    const page = await logIn('wang');
    await page.goto(`${c.url}/sites/hq/notify`);
    await page.fill('#escalation-form input[name=afterMinutes_1]', '20');
    await submit(page, '#escalation-form');
    expect(await page.textContent('.error')).toBe('操作未完成：升级第 2 步必须晚于第 1 步。');
    await page.fill('#notify-settings input[name=deadlineFractions]', '150');
    await submit(page, '#notify-settings');
    expect(await page.textContent('.error')).toBe('操作未完成：以下内容填写有误：期限提醒。');
    await page.fill('#rota-form input[name=person]', '李工');
    await page.fill('#rota-form input[name=from]', '2026-12-26T09:00');
    await page.fill('#rota-form input[name=until]', '2026-12-24T18:00');
    await submit(page, '#rota-form');
    expect(await page.textContent('.error')).toBe('操作未完成：结束时间必须晚于开始时间。');
    const view = (await api('GET', '/api/v1/sites/hq/notify')) as { rota: unknown[]; escalation: { afterMinutes: number }[]; settings: { deadlineFractions: number[] } };
    expect(view.escalation.map((s) => s.afterMinutes)).toEqual([30, 60]);
    expect(view.settings.deadlineFractions).toEqual([0.5, 0.8, 0.95]);
    expect(view.rota).toHaveLength(1);
    await page.context().close();
  });

  it('a message the webhook refuses is a dead letter on the page; fixed and sent again, it is delivered', async () => {
    await api('PUT', '/api/v1/sites/hq/notify/settings', { groupWindowSeconds: 0 });
    await api('POST', '/api/v1/reports', realisticReport({ hostname: 'db01', site: 'hq', psuFault: true }));
    const dead = await until('a dead letter', async () => ((await api('GET', '/api/v1/sites/hq/notify/outbox?state=dead')) as { id: number; lastError: string }[])[0], 60_000, 100);
    expect(dead.lastError).toContain('401');
    expect(ep.received.filter((r) => r.vendor === 'webhook')).toHaveLength(0);

    const page = await logIn('wang');
    await page.goto(`${c.url}/sites/hq/notify`);
    const row = page.locator(`#notify-dead tr[data-outbox="${dead.id}"]`);
    expect(await row.textContent()).toContain('db01');
    expect(await row.textContent()).toContain('401');
    expect(await page.content()).not.toContain('not-the-hook-secret-42');
    await page.screenshot({ path: join(ARTIFACTS, 'notify-02-dead-letter.png'), fullPage: true });

    await api('PATCH', '/api/v1/notify/channels/hq-hook', { secrets: { secret: HOOK_SECRET } });
    // The form posts and is sent back to this same address: waiting for the URL would return at once,
    // while the navigation is still under way (a reload then fails, "not attached to an active page").
    await Promise.all([page.waitForEvent('load'), row.locator('button').click()]);
    expect(new URL(page.url()).pathname).toBe('/sites/hq/notify');
    const hook = await until('the webhook to receive the message sent again', () => ep.received.find((r) => r.vendor === 'webhook'), 60_000);
    expect(hook.raw).toMatch(/\[P[12]\] New ticket #\d+: db01/);
    await until('the page to show it sent', async () => {
      await page.reload();
      return (await page.locator(`#notify-recent tr[data-outbox="${dead.id}"]`).getAttribute('class'))?.includes('state-sent') ? true : undefined;
    }, 30_000, 200);
    expect(await page.locator(`#notify-dead tr[data-outbox="${dead.id}"]`).count()).toBe(0);
    const audit = (await api('GET', '/api/v1/sites/hq/audit')) as { action: string; actor: string }[] | { entries: { action: string; actor: string }[] };
    const entries = Array.isArray(audit) ? audit : audit.entries;
    expect(entries.some((e) => e.action === 'notify.retry' && e.actor === 'wang')).toBe(true);
    await page.context().close();
  }, 120_000);

  it('a customer has no link to it and is refused the page and its forms', async () => {
    const page = await logIn('zhao');
    await page.goto(`${c.url}/sites/hq/tickets`);
    expect(await page.locator('nav a[href="/sites/hq/notify"]').count()).toBe(0);
    expect(await page.locator('nav a[href="/notify/channels"]').count()).toBe(0);
    const res = await page.goto(`${c.url}/sites/hq/notify`);
    expect(res?.status()).toBe(403);
    expect(await page.content()).not.toContain('张工');
    // A form post by hand, with the customer's own CSRF token: refused by the action, nothing added.
    const csrf = await page.getAttribute('meta[name=csrf-token]', 'content');
    const post = await page.request.post(`${c.url}/sites/hq/notify/rules`, { form: { _csrf: csrf ?? '', event: '*', channel: 'hq-hook', audience: 'group' }, maxRedirects: 0 });
    expect(post.status()).toBe(303);
    expect(post.headers().location).toContain('error=');
    expect(((await api('GET', '/api/v1/sites/hq/notify')) as { rules: unknown[] }).rules).toHaveLength(1);
    await page.context().close();
  });
});
