import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../collector/users/index.js';
import type { SeededSite } from '../reports/seed.js';
import { ARTIFACTS, PASSWORD, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * End to end in headless Chromium (Debian's build, through playwright-core): an engineer reviews
 * and signs November, the customer confirms it, a fault ticket goes from open to closed through
 * the pages, and a customer cannot open another customer's site. Screenshots: test-artifacts/web/.
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

async function logIn(name: 'wang' | 'li', path = '/'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${s.collector.url}${path}`);
  await expect.poll(() => page.url()).toContain('/login');
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', PASSWORD[name]);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login button[type=submit]')]);
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe('dashboard in Chromium', () => {
  it('a wrong password is refused with the form again', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${s.collector.url}/login`);
    await page.fill('input[name=name]', 'wang');
    await page.fill('input[name=password]', 'not-the-password');
    await page.click('#login button[type=submit]');
    await expect.poll(() => page.textContent('.error')).toContain('Wrong user name or password.'); // Chromium asks for English
    await page.context().close();
  });

  it('the engineer reviews November, opens a cell, writes notes and signs', async () => {
    const page = await logIn('wang');
    const row = page.locator('#sites tr[data-site=acme]');
    await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('4');
    expect(await page.locator('#sites tr[data-site=globex]').count()).toBe(0);
    await shot(page, '01-sites-engineer');

    await page.goto(`${s.collector.url}/sites/acme/review?month=2026-11`);
    expect(await page.locator('#matrix .rows [role=row]').count()).toBe(4);
    expect(await page.locator('#matrix .cell.abnormal').count()).toBe(2);
    expect(await page.locator('#matrix .cell.unknown').count()).toBe(1);
    const cellLink = page.locator('#matrix a[href$="device=db02&check=SXKR-004"]');
    expect(await cellLink.evaluate((a) => (a as HTMLAnchorElement).pathname)).toBe('/sites/acme/cell'); // works without script too
    await cellLink.click();
    const dialog = page.locator('dialog#cell');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const detail = await dialog.textContent();
    expect(detail).toContain('PSU 2');
    expect(detail).toContain('ipmitool sdr type "Power Supply"');
    await shot(page, '02-review-cell');
    await dialog.locator('button').click();

    await page.fill('textarea[name=notes]', '2号电源故障，已报修。');
    await Promise.all([page.waitForURL(/review\?month=2026-11/), page.click('form[action$="/notes"] button')]);
    await page.click('#sign'); // opens the confirmation dialog; its own button signs
    await Promise.all([page.waitForURL(/review\?month=2026-11/), page.click('#sign-submit')]);
    expect(await page.getAttribute('#status', 'data-status')).toBe('signed');
    expect(await page.textContent('#status')).toContain('wang');
    await shot(page, '03-review-signed');
    await page.context().close();
  });

  it('the customer confirms the signed month, and cannot see another site', async () => {
    const page = await logIn('li', '/sites/acme/review?month=2026-11');
    expect(await page.locator('#sign').count()).toBe(0);
    await page.click('#confirm');
    await Promise.all([page.waitForURL(/review\?month=2026-11/), page.click('#confirm-submit')]);
    expect(await page.getAttribute('#status', 'data-status')).toBe('confirmed');
    await shot(page, '04-review-confirmed');

    const other = await page.goto(`${s.collector.url}/sites/globex/review?month=2026-11`);
    expect(other?.status()).toBe(403);
    const report = await page.goto(`${s.collector.url}/api/v1/sites/globex/reports/products`);
    expect(report?.status()).toBe(403);
    await page.goto(`${s.collector.url}/`);
    expect(await page.locator('#sites tr[data-site=globex]').count()).toBe(0);
    // IP addresses and the engineers' notes are for the service company only; role, place and
    // contract are the customer's to read too.
    const record = { role: 'core', location: 'B2 机房 3 号柜', contractUntil: '2027-06-30', notes: 'console via 10.9.9.9' };
    expect((await s.collector.request('PATCH', '/api/v1/sites/acme/devices/db01', { token: s.collector.token('engineer', 'acme', 'record-editor'), body: record })).status).toBe(200);
    await page.goto(`${s.collector.url}/sites/acme/devices/db01?lang=zh`);
    const seen = await page.textContent('#identity');
    expect(seen).not.toContain('10.1.2.3');
    expect(seen).not.toContain('10.9.9.9');
    for (const v of ['服务器', 'core', 'B2 机房 3 号柜', '2027-06-30', '维保合同至']) expect(seen).toContain(v);
    await page.context().close();
  });

  it('a ticket moves from open to closed through its page, with a service report and a part', async () => {
    const eng = await logIn('wang', '/sites/acme/tickets');
    const row = eng.locator('#tickets tr', { hasText: 'db02' }).first();
    expect(await row.textContent()).toContain('open');
    await Promise.all([eng.waitForURL(/\/tickets\/\d+$/), row.locator('a').first().click()]);
    const url = eng.url();
    const status = () => eng.getAttribute('#ticket-status', 'data-status');
    for (const [step, next] of [['respond', 'responded'], ['on-site', 'on_site']] as const) {
      await Promise.all([eng.waitForURL(url), eng.click(`button[data-step="${step}"]`)]);
      expect(await status()).toBe(next);
    }
    await eng.fill('input[name=arrivedAt]', '2026-11-28T01:00');
    await eng.fill('textarea[name=workDone]', '更换2号电源模块');
    await Promise.all([eng.waitForURL(url), eng.click('form[action$="/service-report"] button')]);
    await eng.fill('input[name=part]', 'HPE 800W PSU');
    await eng.fill('input[name=oldSerial]', 'OLD-PSU-2');
    await eng.fill('input[name=newSerial]', 'NEW-PSU-2');
    await Promise.all([eng.waitForURL(url), eng.click('form[action$="/parts"] button')]);
    await Promise.all([eng.waitForURL(url), eng.click('button[data-step="resolve"]')]);
    expect(await status()).toBe('resolved');
    expect(await eng.locator('button[data-step="confirm"]').count()).toBe(0); // only the customer confirms

    const cust = await logIn('li', new URL(url).pathname);
    await Promise.all([cust.waitForURL(url), cust.click('button[data-step="confirm"]')]);
    expect(await cust.getAttribute('#ticket-status', 'data-status')).toBe('confirmed');
    await cust.context().close();

    await eng.reload();
    await Promise.all([eng.waitForURL(url), eng.click('button[data-step="close"]')]);
    expect(await status()).toBe('closed');
    const text = await eng.textContent('main');
    expect(text).toContain('NEW-PSU-2');
    expect(text).toContain('更换2号电源模块');
    await shot(eng, '05-ticket-closed');

    // every sign-off, confirmation and ticket step is in the audit log with who and when
    const log = (await new AuditLog(s.collector.store).forSite('acme')).map((e) => `${e.actor}:${e.action}`);
    for (const e of ['wang:inspection.sign', 'li:inspection.confirm', 'wang:ticket.respond', 'wang:ticket.on-site', 'wang:ticket.resolve', 'li:ticket.confirm', 'wang:ticket.close', 'wang:ticket.part']) {
      expect(log).toContain(e);
    }
    await eng.context().close();
  });

  it('maintenance: the engineer requests a window, the customer approves it', async () => {
    const eng = await logIn('wang', '/sites/acme/maintenance');
    await eng.fill('input[name=purpose]', '升级 db01 固件');
    await eng.fill('input[name=recorder]', 'Zhao');
    await eng.fill('input[name=customerRepresentative]', 'li');
    await eng.fill('textarea[name=rollbackPlan]', '刷回原固件');
    await eng.fill('textarea[name=steps]', '备份配置\n升级固件\n重启并检查');
    await eng.fill('input[name=windowStart]', '2026-12-01T14:00');
    await eng.fill('input[name=windowEnd]', '2026-12-01T16:00');
    await eng.fill('input[name=expectedDurationMinutes]', '90');
    await eng.selectOption('select[name=devices]', ['db01']);
    await Promise.all([eng.waitForURL(/\/maintenance$/), eng.click('#maintenance-form button[type=submit]')]);
    const row = eng.locator('#maintenance tr', { hasText: '升级 db01 固件' });
    expect(await row.textContent()).toContain('requested');
    // The datetime-local input is read in the site's zone (Asia/Shanghai by default) and printed back with its offset.
    expect(await row.textContent()).toContain('2026-12-01 14:00 +08:00');
    expect(await eng.locator('button[data-decide]').count()).toBe(0); // only the customer approves
    await eng.context().close();

    const cust = await logIn('li', '/sites/acme/maintenance');
    // The customer reads the whole request on its own page and approves it there.
    await Promise.all([cust.waitForURL(/\/maintenance\/\d+$/), cust.locator('#maintenance tr', { hasText: '升级 db01 固件' }).locator('a[data-read]').click()]);
    await Promise.all([cust.waitForURL(/\/maintenance\/\d+$/), cust.click('button[data-decide=approve]')]);
    await cust.goto(`${s.collector.url}/sites/acme/maintenance`);
    expect(await cust.locator('#maintenance tr', { hasText: '升级 db01 固件' }).textContent()).toContain('approved');
    await shot(cust, '07-maintenance-approved');
    await cust.context().close();
    const log = (await new AuditLog(s.collector.store).forSite('acme')).map((e) => `${e.actor}:${e.action}`);
    expect(log).toEqual(expect.arrayContaining(['wang:maintenance.request', 'li:maintenance.approve']));
  });

  it('the device page draws CPU, memory and temperature trends; English and a tablet width work', async () => {
    const context = await browser.newContext({ viewport: { width: 820, height: 1180 } });
    const page = await context.newPage();
    await page.goto(`${s.collector.url}/login?lang=en`);
    expect(await page.textContent('h1')).toBe('Log in');
    await page.fill('input[name=name]', 'wang');
    await page.fill('input[name=password]', PASSWORD.wang);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login button[type=submit]')]);
    await page.goto(`${s.collector.url}/sites/acme/devices/db01?lang=en`);
    // One hover title per reading (ECharts' SVG, test/web/device-charts.test.ts has the rest)
    expect(await page.locator('#chart-cpu svg rect.hover title').count()).toBe(2);
    expect(await page.locator('#chart-cpu svg rect.hover title').last().textContent()).toContain('db01: 30.0%');
    expect(await page.locator('#chart-memory svg rect.hover title').last().textContent()).toContain('db01: 61.2%');
    expect(await page.locator('#chart-temperature svg rect.hover title').last().textContent()).toContain('db01: 51.0°C');
    expect(await page.textContent('#identity')).toContain('10.1.2.3');
    expect(await page.textContent('#identity')).toContain('console via 10.9.9.9');
    expect(await page.textContent('#identity')).toContain('server');
    expect(await page.textContent('h2')).toBe('Trends');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(820);
    await shot(page, '06-device-tablet-en');
    await context.close();
  });
});
