import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededSite } from '../reports/seed.js';
import { ARTIFACTS, logInAs, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * The equipment record in headless Chromium: an engineer adds a UPS without SNMP by hand through
 * the form, a bad name comes back with its message, the serial a person typed stays beside the
 * one the agent reports (flagged), a firmware step by hand shows in the history, and a customer
 * reads the record without any form to change it (and a forged post is refused).
 */
let s: SeededSite;
let browser: Browser;
beforeAll(async () => void ({ site: s, browser } = await seededDashboard()), 90_000);
afterAll(async () => {
  await browser?.close();
  await s?.collector.stop();
});

const logIn = (name: 'wang' | 'li', path: string): Promise<Page> => logInAs(browser, s.collector.url, name, path);

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

describe('equipment record in Chromium', () => {
  it('the engineer adds a UPS without SNMP by hand; it reads as not monitored, never normal', async () => {
    const page = await logIn('wang', '/sites/acme/equipment');
    const form = page.locator('#add-device-form');
    // A name that cannot be a key comes back with the rule, nothing stored.
    await form.locator('input[name=hostname]').fill('ups/2');
    await Promise.all([page.waitForURL(/equipment\?error=/), form.locator('button[type=submit]').click()]);
    expect(await page.textContent('.error')).toMatch(/host name/);
    expect(await page.locator('#equipment tr[data-device="ups/2"]').count()).toBe(0);

    await form.locator('input[name=hostname]').fill('ups-room-2');
    await form.locator('select[name=kind]').selectOption('ups');
    await form.locator('input[name=vendor]').fill('山特');
    await form.locator('input[name=model]').fill('C10KS');
    await form.locator('input[name=serial]').fill('SN-0042-UPS');
    await form.locator('input[name=location]').fill('1F 配电室');
    await form.locator('input[name=warrantyUntil]').fill('2027-03-31');
    await form.locator('textarea[name=notes]').fill('无SNMP卡，巡检时人工读数');
    await Promise.all([page.waitForURL(/\/sites\/acme\/devices\/ups-room-2$/), form.locator('button[type=submit]').click()]);
    const record = page.locator('#equipment-record');
    // Chromium asks for English here.
    expect(await record.locator('[data-monitored=false]').textContent()).toBe('unknown · not monitored');
    expect(await page.textContent('#record tr[data-field=serial] td.entered')).toBe('SN-0042-UPS');
    expect(await page.textContent('#record-facts')).toContain('2027-03-31');
    expect(await record.textContent()).not.toMatch(/\bnormal\b|正常/);
    await shot(page, 'equipment-01-manual-ups');

    await page.goto(`${s.collector.url}/sites/acme/equipment`);
    const row = page.locator('#equipment tr[data-device=ups-room-2]');
    expect(await row.textContent()).toContain('not monitored');
    await page.context().close();
  });

  it("a person's serial stays beside the reported one, flagged; a firmware step by hand joins the history", async () => {
    const page = await logIn('wang', '/sites/acme/devices/db01');
    const form = page.locator('#record-form');
    await form.locator('input[name=serial]').fill('CZ-TYPED-0001');
    await Promise.all([page.waitForURL(/devices\/db01$/), form.locator('button[type=submit]').click()]);
    const serial = page.locator('#record tr[data-field=serial]');
    expect(await serial.getAttribute('class')).toContain('differs');
    expect(await serial.locator('td.entered').textContent()).toBe('CZ-TYPED-0001');
    expect(await serial.locator('td.measured').textContent()).toBe('CZDB0101');

    const fw = page.locator('#firmware-form');
    await fw.locator('input[name=firmware]').fill('5.14.0-570');
    await fw.locator('input[name=note]').fill('补丁窗口升级');
    await Promise.all([page.waitForURL(/devices\/db01$/), fw.locator('button[type=submit]').click()]);
    const first = page.locator('#firmware-history tr').first();
    expect(await first.getAttribute('data-origin')).toBe('person');
    expect(await first.textContent()).toContain('wang');
    expect(await first.textContent()).toContain('+08:00'); // formatTime, in the site's zone
    expect(await page.locator('#firmware-history tr[data-origin=report]').count()).toBeGreaterThan(0);

    // "Upgrade needed" without a reason is refused with its message.
    const up = page.locator('#upgrade-form');
    await up.locator('select[name=needed]').selectOption('true');
    await Promise.all([page.waitForURL(/error=/), up.locator('button[type=submit]').click()]);
    expect(await page.textContent('.error')).toMatch(/reason/);
    await page.locator('#upgrade-form select[name=needed]').selectOption('true');
    await page.locator('#upgrade-form input[name=reason]').fill('厂商安全公告');
    await Promise.all([page.waitForURL(/devices\/db01$/), page.locator('#upgrade-form button[type=submit]').click()]);
    expect(await page.getAttribute('#upgrade', 'data-status')).toBe('upgrade');
    expect(await page.textContent('#upgrade')).toContain('厂商安全公告');
    await shot(page, 'equipment-02-differs-history');
    await page.context().close();
  });

  it('a customer reads the record with both serials but has no form, and a forged post is refused', async () => {
    const page = await logIn('li', '/sites/acme/devices/db01');
    expect(await page.textContent('#record tr[data-field=serial] td.entered')).toBe('CZ-TYPED-0001');
    expect(await page.locator('#record-form, #firmware-form, #upgrade-form').count()).toBe(0);
    await page.goto(`${s.collector.url}/sites/acme/equipment`);
    expect(await page.locator('#add-device-form').count()).toBe(0);
    const csrf = await page.getAttribute('meta[name=csrf-token]', 'content');
    const res = await page.request.post(`${s.collector.url}/sites/acme/devices/db01/record`, { form: { _csrf: csrf ?? '', serial: 'FORGED' } });
    expect(res.url()).toMatch(/error=/);
    expect(await res.text()).toContain('操作未完成：此操作需要服务工程师或管理员角色。');
    await page.goto(`${s.collector.url}/sites/acme/devices/db01`);
    expect(await page.textContent('#record tr[data-field=serial] td.entered')).toBe('CZ-TYPED-0001');
    await page.context().close();
  });
});
