/**
 * The notification channels page in headless Chromium: an engineer adds their site's WeCom robot
 * through the form, presses "send test" and sees it delivered (the robot's stand-in on loopback
 * got it); a bad form comes back with the field named; the page never shows a secret.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from './fixtures/seeded-dashboard.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, UsersRepository } from '../../collector/users/index.js';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { startNotifyEndpoints, type NotifyEndpoints } from '../helpers/notify-endpoints.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'web');
const WECOM_KEY = 'page-wecom-key-c0ffee';
const PASSWORD = 'engineer-pass-channels';

let c: TestCollector;
let ep: NotifyEndpoints;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  ep = await startNotifyEndpoints({ wecomKeys: [WECOM_KEY] });
  c = await startTestCollector({ snmp: { credentialKey: randomBytes(32).toString('hex'), pollerEnabled: false, concurrency: 1 } });
  await c.app.repos.sites.ensure('hq', Date.now());
  await new UsersRepository(c.store).create({ name: 'wang', role: 'engineer', passwordHash: await hashPassword(PASSWORD), sites: ['hq'] });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await c?.stop();
  await ep?.stop();
});

async function logIn(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })).newPage();
  await page.goto(`${c.url}/notify/channels`);
  await expect.poll(() => page.url()).toContain('/login');
  await page.fill('input[name=name]', 'wang');
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login button[type=submit]')]);
  return page;
}

describe('notification channels page', () => {
  it('an engineer adds the site\'s WeCom robot, sends a test and sees it delivered; no secret on the page', async () => {
    const page = await logIn();
    await page.goto(`${c.url}/notify/channels?lang=zh`);
    expect(await page.textContent('main')).toContain('尚未配置通知渠道');
    await page.selectOption('#channel-form select[name=kind]', 'wecom');
    await page.fill('#channel-form input[name=name]', 'hq-wecom');
    await page.selectOption('#channel-form select[name=site]', 'hq');
    await page.fill('#channel-form input[name=url]', ep.wecomUrl(WECOM_KEY));
    await page.fill('#channel-form textarea[name=ca]', ep.cert.cert);
    await Promise.all([page.waitForURL(/\/notify\/channels$/), page.click('#channel-form button[type=submit]')]);
    const row = page.locator('#channels tr[data-channel=hq-wecom]');
    expect(await row.textContent()).toContain('url: 已设置');
    expect(await row.textContent()).toContain('20 条/分钟');

    const before = ep.received.length;
    await Promise.all([page.waitForURL(/tested=hq-wecom/), page.click('button[data-test=hq-wecom]')]);
    expect(await page.textContent('#test-result')).toContain('已送达');
    expect(ep.received.length).toBe(before + 1);
    expect((ep.received.at(-1)!.body.markdown as { content: string }).content).toContain('巡检通知渠道测试:hq-wecom');
    expect(await page.content()).not.toContain(WECOM_KEY);
    await page.screenshot({ path: join(ARTIFACTS, 'channels-01-tested.png'), fullPage: true });
  });

  it('a form missing what its kind needs comes back naming the field; another site is refused', async () => {
    const page = await logIn();
    await page.goto(`${c.url}/notify/channels`);
    await page.selectOption('#channel-form select[name=kind]', 'email');
    await page.fill('#channel-form input[name=name]', 'hq-mail');
    await page.fill('#channel-form input[name=host]', 'smtp.example.com');
    await Promise.all([page.waitForURL(/error=/), page.click('#channel-form button[type=submit]')]);
    expect(await page.textContent('.error')).toMatch(/settings\.from/);
    expect(await page.locator('#channels tr[data-channel=hq-mail]').count()).toBe(0);
    const refused = await page.request.post(`${c.url}/notify/channels`, { form: { _csrf: (await page.getAttribute('meta[name=csrf-token]', 'content')) ?? '', kind: 'wecom', name: 'other-wecom', site: 'branch', url: ep.wecomUrl(WECOM_KEY) }, maxRedirects: 0 });
    expect(refused.status()).toBe(303);
    expect(refused.headers().location).toBe('/notify/channels?error=notYourSite');
  });
});
