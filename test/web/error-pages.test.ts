import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededSite } from '../reports/seed.js';
import { ARTIFACTS, logInAs, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * A person who hits a refusal or a dead link reads a page in their language with the way back —
 * not the API's JSON — and the status stays the refusal's; the API keeps its JSON answers.
 */
let s: SeededSite;
let browser: Browser;

beforeAll(async () => {
  ({ site: s, browser } = await seededDashboard());
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await s?.collector.stop();
});

describe('error pages', () => {
  it('a customer refused another site reads 无权访问 in Chinese, "Not allowed" in English, status 403', async () => {
    const page = await logInAs(browser, s.collector.url, 'li');
    const res = await page.goto(`${s.collector.url}/sites/globex/review?lang=zh`);
    expect(res!.status()).toBe(403);
    expect(res!.headers()['content-type']).toMatch(/^text\/html/);
    expect(await page.locator('h1').textContent()).toBe('无权访问');
    expect(await page.locator('[role=alert]').textContent()).toContain('当前账号没有权限');
    expect(await page.locator('main a[href="/"]').textContent()).toBe('返回站点列表');
    expect(await page.locator('.who').textContent()).toBe('li · 客户'); // the role in words, not `customer`
    await page.screenshot({ path: `${ARTIFACTS}/error-403-zh.png` });
    const en = await page.goto(`${s.collector.url}/sites/globex/review?lang=en`);
    expect(en!.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Not allowed');
    await page.context().close();
  });

  it('a dead link and a missing ticket are 404 pages, a bad month a 400 page; the way back leads to the sites', async () => {
    const page = await logInAs(browser, s.collector.url, 'wang');
    const dead = await page.goto(`${s.collector.url}/no/such/page?lang=zh`);
    expect(dead!.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('页面不存在');
    const gone = await page.goto(`${s.collector.url}/sites/acme/tickets/999999?lang=zh`);
    expect(gone!.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('页面不存在');
    expect(await page.locator('.detail code').textContent()).toMatch(/999999/);
    const bad = await page.goto(`${s.collector.url}/sites/acme/review?month=2026-13&lang=en`);
    expect(bad!.status()).toBe(400);
    expect(await page.locator('h1').textContent()).toBe('Bad request');
    await page.screenshot({ path: `${ARTIFACTS}/error-404-zh.png` });
    await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('main a[href="/"]')]);
    await page.context().close();
  });

  it("the log-in page names the product, and a refused log-in reads in the page's language", async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${s.collector.url}/login?lang=zh`);
    expect(await page.locator('.product').textContent()).toContain('巡检');
    await page.fill('input[name=name]', 'li');
    await page.fill('input[name=password]', 'not her password');
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#login .error');
    expect(await page.locator('#login .error').textContent()).toBe('用户名或密码错误。');
    await page.screenshot({ path: `${ARTIFACTS}/login-refused-zh.png` });
    await page.goto(`${s.collector.url}/login?lang=en`);
    await page.fill('input[name=name]', 'li');
    await page.fill('input[name=password]', 'not her password');
    await page.click('#login button[type=submit]');
    await page.waitForSelector('#login .error');
    expect(await page.locator('#login .error').textContent()).toBe('Wrong user name or password.');
    await page.context().close();
  });

  it('the API answers JSON whatever the client accepts', async () => {
    const res = await fetch(`${s.collector.url}/api/v1/no-such-route`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
    const forbidden = await fetch(`${s.collector.url}/api/v1/notify/channels`, { headers: { accept: 'text/html' } });
    expect(forbidden.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
