import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaintenanceRequest, Ticket } from '../../schemas/index.js';
import type { SeededSite } from '../reports/seed.js';
import { ARTIFACTS, PASSWORD, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * Dates and times typed into the dashboard read in the page's language and ISO order even in a
 * browser whose locale would show mm/dd/yyyy (Chromium in en-US): no date, datetime-local, month or
 * time input is left; each field says its format; a time typed as 2026-12-01 14:00 is the site's
 * local time; a time in another order is refused by the browser and, posted anyway, by the server
 * with a 4xx and nothing stored.
 */
let s: SeededSite;
let browser: Browser;
let ticketId: number;

beforeAll(async () => {
  ({ site: s, browser } = await seededDashboard());
  const res = await s.collector.request('POST', '/api/v1/tickets', { token: s.tokens.engineer, body: { site: 'acme', device: 'db01', symptom: '风扇告警', priority: 'P1' } });
  expect(res.status).toBe(201);
  ticketId = ((await res.json()) as Ticket).id;
  // On site: the ticket page then offers the service report and the emergency plan, both with a time.
  for (const step of ['respond', 'on-site']) expect((await s.collector.request('POST', `/api/v1/tickets/${ticketId}/${step}`, { token: s.tokens.engineer, body: {} })).status).toBe(200);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await s?.collector.stop();
});

/** The engineer, in a browser set to US English: the locale that showed mm/dd/yyyy. */
async function usEngineer(path: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'en-US', timezoneId: 'America/New_York', viewport: { width: 1280, height: 1200 } })).newPage();
  await page.goto(`${s.collector.url}${path}`);
  await page.fill('input[name=name]', 'wang');
  await page.fill('input[name=password]', PASSWORD.wang);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login button[type=submit]')]);
  return page;
}

/** Every page with a date or time field; the ticket is on site, so its page has two. */
const pages = () => [
  `/sites/acme/tickets/${ticketId}`,
  '/sites/acme/maintenance',
  '/sites/acme/notify',
  '/sites/acme/review',
  '/sites/acme/equipment',
  '/sites/acme/devices/db01',
];

describe('date and time fields in Chromium (en-US locale)', () => {
  it('no page keeps a locale-shown date input; every time field shows its ISO format in the page language', async () => {
    const page = await usEngineer('/sites/acme/maintenance?lang=zh');
    let fields = 0;
    for (const path of pages()) {
      for (const lang of ['zh', 'en'] as const) {
        const res = await page.goto(`${s.collector.url}${path}?lang=${lang}`);
        expect(res?.status(), path).toBe(200);
        expect(await page.locator('input[type=date], input[type=datetime-local], input[type=month], input[type=time], input[type=week]').count(), path).toBe(0);
        const shown = await page.locator('input[data-time]').evaluateAll((els) => els.map((e) => ({ pattern: e.getAttribute('pattern'), placeholder: e.getAttribute('placeholder'), title: e.getAttribute('title') ?? '' })));
        for (const f of shown) {
          expect(f.pattern).toBeTruthy();
          expect(f.placeholder).toMatch(/^\d{4}-\d{2}(-\d{2}( \d{2}:\d{2})?)?$|^\d{2}:\d{2}$/);
          // The hint is in the page's language.
          if (lang === 'zh') expect(f.title).toMatch(/[年时]/);
          else expect(f.title).toMatch(/YYYY|HH:mm/);
        }
        fields += shown.length;
      }
    }
    // Emergency plan, service report, maintenance window ×2, quiet hours ×2, rota ×2, month, warranty, contract — in both languages.
    expect(fields).toBeGreaterThanOrEqual(2 * 10);
    await page.context().close();
  });

  it('a maintenance window typed as 2026-12-01 14:00 is the site’s local time (Asia/Shanghai), whatever the browser’s zone', async () => {
    s.clock.now = new Date('2026-11-20T02:00:00.000Z');
    const eng = await usEngineer('/sites/acme/maintenance?lang=en');
    const form = eng.locator('#maintenance-form');
    await form.locator('input[name=purpose]').fill('更换 db01 风扇');
    await form.locator('input[name=recorder]').fill('Zhao');
    await form.locator('input[name=customerRepresentative]').fill('李经理');
    await form.locator('textarea[name=steps]').fill('更换风扇');
    await form.locator('textarea[name=rollbackPlan]').fill('装回原风扇');
    await form.locator('select[name=removableMedia]').selectOption('none');
    await form.locator('input[name=expectedDurationMinutes]').fill('60');
    await form.locator('select[name=devices]').selectOption(['db01']);

    // Another order is refused by the browser before it is sent: the pattern holds ISO order.
    await form.locator('input[name=windowStart]').fill('12/01/2026 02:00 PM');
    expect(await form.locator('input[name=windowStart]').evaluate((el) => (el as HTMLInputElement).validity.patternMismatch)).toBe(true);
    // Sent anyway (the pattern taken away): the server refuses it with the field and the format, nothing stored.
    await form.locator('input[name=windowEnd]').fill('2026-12-01 16:00');
    await form.locator('input[name=windowStart]').evaluate((el) => el.removeAttribute('pattern'));
    const [refused] = await Promise.all([eng.waitForNavigation(), form.locator('button[type=submit]').click()]);
    expect(refused?.status()).toBeLessThan(500);
    expect(await eng.textContent('.error')).toMatch(/window start.*YYYY-MM-DD HH:mm/);
    const list = async () => (await (await s.collector.request('GET', '/api/v1/maintenance?site=acme', { token: s.tokens.engineer })).json()) as MaintenanceRequest[];
    expect(await list()).toEqual([]);

    const again = eng.locator('#maintenance-form');
    for (const [name, value] of [['purpose', '更换 db01 风扇'], ['recorder', 'Zhao'], ['customerRepresentative', '李经理'], ['expectedDurationMinutes', '60'], ['windowStart', '2026-12-01 14:00'], ['windowEnd', '2026-12-01 16:00']]) {
      await again.locator(`input[name=${name}]`).fill(value!);
    }
    await again.locator('textarea[name=steps]').fill('更换风扇');
    await again.locator('textarea[name=rollbackPlan]').fill('装回原风扇');
    await again.locator('select[name=removableMedia]').selectOption('none');
    await again.locator('select[name=devices]').selectOption(['db01']);
    await eng.screenshot({ path: join(ARTIFACTS, '32-maintenance-iso-times-en-US.png'), fullPage: true });
    await Promise.all([eng.waitForNavigation(), again.locator('button[type=submit]').click()]);
    expect(await eng.locator('.error').count()).toBe(0);
    const [stored] = await list();
    expect(stored).toMatchObject({ windowStart: '2026-12-01T06:00:00.000Z', windowEnd: '2026-12-01T08:00:00.000Z' });
    await eng.context().close();
  });

  it('the service report, the emergency plan, a warranty date, quiet hours and the month picker take ISO input and keep working', async () => {
    s.clock.now = new Date('2026-11-20T04:00:00.000Z');
    const eng = await usEngineer(`/sites/acme/tickets/${ticketId}?lang=zh`);
    const submit = (selector: string) => Promise.all([eng.waitForNavigation(), eng.click(selector)]);
    await eng.fill('form[action$="/service-report"] input[name=arrivedAt]', '2026-11-20 11:30');
    await eng.fill('form[action$="/service-report"] textarea[name=workDone]', '更换风扇');
    await submit('form[action$="/service-report"] button[type=submit]');
    await eng.selectOption('#emergency-plan-form select[name=owner]', 'wang');
    await eng.fill('#emergency-plan-form input[name=due]', '2026-11-20 18:00');
    await submit('#emergency-plan-form button');
    const tk = (await (await s.collector.request('GET', `/api/v1/tickets/${ticketId}`, { token: s.tokens.engineer })).json()) as Ticket;
    expect(tk.serviceReports[0]?.arrivedAt).toBe('2026-11-20T03:30:00.000Z');
    expect(tk.deadlines.emergencyPlan?.due).toBe('2026-11-20T10:00:00.000Z');

    // A calendar date is a date (no zone); a wrong one comes back as a 4xx message on the page.
    await eng.goto(`${s.collector.url}/sites/acme/devices/db01?lang=zh`);
    const record = eng.locator('form[action$="/record"]');
    await record.locator('input[name=warrantyUntil]').fill('2027-03-31');
    await Promise.all([eng.waitForNavigation(), record.locator('button[type=submit]').click()]);
    expect(await eng.inputValue('form[action$="/record"] input[name=warrantyUntil]')).toBe('2027-03-31');
    await eng.locator('form[action$="/record"] input[name=warrantyUntil]').evaluate((el) => el.removeAttribute('pattern'));
    await eng.fill('form[action$="/record"] input[name=warrantyUntil]', '03/31/2027');
    await Promise.all([eng.waitForNavigation(), eng.click('form[action$="/record"] button[type=submit]')]);
    expect(await eng.textContent('.error')).toContain('warranty until');
    expect(await eng.inputValue('form[action$="/record"] input[name=warrantyUntil]')).toBe('2027-03-31');

    await eng.goto(`${s.collector.url}/sites/acme/notify?lang=zh`);
    await eng.fill('#notify-settings input[name=quietStart]', '22:00');
    await eng.fill('#notify-settings input[name=quietEnd]', '07:30');
    await Promise.all([eng.waitForNavigation(), eng.click('#notify-settings button[type=submit]')]);
    expect(await eng.inputValue('#notify-settings input[name=quietStart]')).toBe('22:00');
    expect(await eng.inputValue('#notify-settings input[name=quietEnd]')).toBe('07:30');

    await eng.goto(`${s.collector.url}/sites/acme/review?lang=zh`);
    await eng.fill('#month-picker input[name=month]', '2026-10');
    await Promise.all([eng.waitForURL(/month=2026-10/), eng.click('#month-picker button[type=submit]')]);
    expect(await eng.inputValue('#month-picker input[name=month]')).toBe('2026-10');
    await eng.context().close();
  });
});
