import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../collector/users/index.js';
import type { MaintenanceRequest } from '../../schemas/index.js';
import type { SeededSite } from '../reports/seed.js';
import { ARTIFACTS, logInAs, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * A maintenance request through the pages in headless Chromium, on the collector's clock: the
 * engineer files it with the plan's safeguards (a recorder who is himself is refused with the
 * reason), the customer reads all of it on its own page and approves it with a note, the engineer
 * starts and completes it there, and the customer reads what was done.
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

const logIn = (name: 'wang' | 'li', path: string) => logInAs(browser, s.collector.url, name, path);
const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

async function fileRequest(page: Page, purpose: string, recorder: string) {
  await page.fill('input[name=purpose]', purpose);
  await page.fill('input[name=recorder]', recorder);
  await page.fill('input[name=customerRepresentative]', '李经理');
  await page.fill('textarea[name=steps]', '备份阵列配置\n更换 RAID 卡\n开机检查阵列');
  await page.fill('input[name=hardwareChanges]', 'RAID 卡 P408i');
  await page.fill('textarea[name=rollbackPlan]', '装回原 RAID 卡并恢复配置; 60 分钟未恢复则启用备机');
  await page.selectOption('select[name=removableMedia]', 'virus-checked');
  // A wide window: it holds the moment the test moves the clock to whether the form's time is read as UTC or as China time.
  await page.fill('input[name=windowStart]', '2026-11-25T06:00');
  await page.fill('input[name=windowEnd]', '2026-11-25T20:00');
  await page.fill('input[name=expectedDurationMinutes]', '120');
  await page.selectOption('select[name=devices]', ['db01']);
  await page.click('#maintenance-form button[type=submit]');
  await page.waitForLoadState();
}

describe('a maintenance request in Chromium', () => {
  let id: number;

  it('the engineer files it; naming himself as the recorder is refused with the reason', async () => {
    s.clock.now = new Date('2026-11-20T02:00:00.000Z');
    const eng = await logIn('wang', '/sites/acme/maintenance');
    await fileRequest(eng, '更换 db01 RAID 卡 (一人)', 'WANG');
    expect(await eng.textContent('.error')).toBe('Not done: the recorder must be a second person present, not the engineer: one operates, one records.');
    await fileRequest(eng, '更换 db01 RAID 卡', 'Zhao');
    const row = eng.locator('#maintenance tr', { hasText: '更换 db01 RAID 卡' }).filter({ hasNotText: '一人' });
    expect(await row.textContent()).toContain('requested');
    id = Number(await row.getAttribute('data-request'));
    expect(id).toBeGreaterThan(0);
    await eng.context().close();
  });

  it('the customer reads all of it on its page, cannot reject without a reason, and approves with a note', async () => {
    const cust = await logIn('li', '/sites/acme/maintenance');
    expect(await cust.locator('button[data-decide]').count()).toBe(0); // no deciding from the list, unread
    await Promise.all([cust.waitForURL(new RegExp(`/maintenance/${id}$`)), cust.click(`a[data-read="${id}"]`)]);
    const detail = (await cust.textContent('#maintenance-detail'))!;
    for (const text of ['wang / Zhao', '李经理', '装回原 RAID 卡并恢复配置', 'RAID 卡 P408i', '更换 RAID 卡', 'db01']) expect(detail).toContain(text);
    expect(await cust.locator('#steps li').count()).toBe(3);
    expect(await cust.getAttribute('#maintenance-status', 'data-status')).toBe('requested');
    await shot(cust, '20-maintenance-detail-customer');

    // The browser would hold the empty reason back; the server refuses it too.
    await cust.locator('#reject-form textarea').evaluate((el) => el.removeAttribute('required'));
    await Promise.all([cust.waitForURL(/error=/), cust.click('button[data-decide=reject]')]);
    expect(await cust.textContent('.error')).toBe('Not done: a rejection needs a note saying why.');
    // The same refusal on the Chinese page reads Chinese: the URL carries its key, not the English.
    expect(new URL(cust.url()).searchParams.get('error')).toBe('rejectionNote');
    const refused = cust.url();
    await cust.goto(`${refused}&lang=zh`);
    expect(await cust.textContent('.error')).toBe('操作未完成：拒绝维护申请需要填写原因。');
    await cust.goto(`${refused}&lang=en`);
    expect(await cust.getAttribute('#maintenance-status', 'data-status')).toBe('requested');

    await cust.fill('#approve-form textarea[name=note]', '同意, 请按应急方案准备备机');
    await Promise.all([cust.waitForURL(new RegExp(`/maintenance/${id}$`)), cust.click('button[data-decide=approve]')]);
    expect(await cust.getAttribute('#maintenance-status', 'data-status')).toBe('approved');
    expect(await cust.textContent('#decision')).toContain('同意, 请按应急方案准备备机');
    expect(await cust.locator('#start-form').count()).toBe(0); // the customer does not run the work
    await cust.context().close();
  });

  it('the engineer starts it inside the window and records what was done; the customer reads the outcome', async () => {
    s.clock.now = new Date('2026-11-25T09:00:00.000Z');
    const eng = await logIn('wang', `/sites/acme/maintenance/${id}`);
    await Promise.all([eng.waitForURL(new RegExp(`/maintenance/${id}$`)), eng.click('#start-form button')]);
    expect(await eng.getAttribute('#maintenance-status', 'data-status')).toBe('in_progress');
    s.clock.now = new Date('2026-11-25T10:30:00.000Z');
    await eng.fill('textarea[name=workDone]', '更换 RAID 卡, 阵列重建完成');
    await eng.fill('textarea[name=outcome]', '阵列正常, 业务恢复');
    await Promise.all([eng.waitForURL(new RegExp(`/maintenance/${id}$`)), eng.click('#finish-form button.primary')]);
    expect(await eng.getAttribute('#maintenance-status', 'data-status')).toBe('completed');
    await shot(eng, '21-maintenance-completed');
    await eng.context().close();

    const api = (await (await s.collector.request('GET', `/api/v1/maintenance/${id}`, { token: s.tokens.engineer })).json()) as MaintenanceRequest;
    expect(api).toMatchObject({ status: 'completed', startedBy: 'wang', actualStart: '2026-11-25T09:00:00.000Z', actualEnd: '2026-11-25T10:30:00.000Z', outcome: '阵列正常, 业务恢复' });
    const cust = await logIn('li', `/sites/acme/maintenance/${id}`);
    expect(await cust.textContent('#work-done')).toContain('阵列重建完成');
    expect(await cust.textContent('#outcome')).toContain('阵列正常');
    await cust.context().close();
    const log = (await new AuditLog(s.collector.store).forSite('acme', 500)).filter((e) => e.subject === `#${id}`).map((e) => `${e.actor}:${e.action}`);
    expect(log.sort()).toEqual(['li:maintenance.approve', 'wang:maintenance.complete', 'wang:maintenance.request', 'wang:maintenance.start']);
  });
});
