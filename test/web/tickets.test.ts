import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../../schemas/index.js';
import { hashPassword, UsersRepository } from '../../collector/users/index.js';
import type { SeededSite } from '../reports/seed.js';
import { ARTIFACTS, PASSWORD, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * The ticket page in headless Chromium (issue 11): an engineer sets the assignee and backup,
 * reclassifies with a reason, dispatches, goes on site, starts the emergency plan with its owner
 * and deadline, declares a part needed and records the old part returned to the customer.
 */
let s: SeededSite;
let browser: Browser;
let ticketId: number;

beforeAll(async () => {
  ({ site: s, browser } = await seededDashboard());
  await new UsersRepository(s.collector.store).create({ name: 'zhang', role: 'engineer', passwordHash: await hashPassword('backup-pass-1'), sites: ['acme'] });
  const res = await s.collector.request('POST', '/api/v1/tickets', {
    token: s.tokens.engineer,
    body: { site: 'acme', device: 'db01', symptom: '数据库响应慢', priority: 'P3' },
  });
  expect(res.status).toBe(201);
  ticketId = ((await res.json()) as Ticket).id;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await s?.collector.stop();
});

async function logIn(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
  const page = await context.newPage();
  await page.goto(`${s.collector.url}${path}`);
  await expect.poll(() => page.url()).toContain('/login');
  await page.fill('input[name=name]', 'wang');
  await page.fill('input[name=password]', PASSWORD.wang);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login button[type=submit]')]);
  return page;
}

describe('ticket page in Chromium', () => {
  it('an engineer assigns, reclassifies, dispatches, starts the emergency plan and records the part disposition', async () => {
    const eng = await logIn(`/sites/acme/tickets/${ticketId}`);
    const url = eng.url();
    const submit = (selector: string) => Promise.all([eng.waitForURL((u) => u.pathname === new URL(url).pathname), eng.click(selector)]);

    await eng.selectOption('#assign-form select[name=assignee]', 'wang');
    await eng.selectOption('#assign-form select[name=backup]', 'zhang');
    await submit('#assign-form button');
    expect(await eng.getAttribute('[data-assignee]', 'data-assignee')).toBe('wang');
    expect(await eng.getAttribute('[data-backup]', 'data-backup')).toBe('zhang');

    // The same person twice is refused by the action layer, and the page says why.
    await eng.selectOption('#assign-form select[name=backup]', 'wang');
    await submit('#assign-form button');
    expect(await eng.textContent('.error')).toContain('another person');

    await eng.selectOption('#reclassify-form select[name=priority]', 'P2');
    await eng.fill('#reclassify-form input[name=reason]', '影响全部门财务系统');
    await submit('#reclassify-form button');
    expect(await eng.textContent('#ticket-status')).toContain('P2');
    expect(await eng.textContent('body')).toContain('P3 → P2: 影响全部门财务系统');

    const status = () => eng.getAttribute('#ticket-status', 'data-status');
    for (const [step, next] of [['respond', 'responded'], ['dispatch', 'dispatched'], ['on-site', 'on_site']] as const) {
      await submit(`button[data-step="${step}"]`);
      expect(await status()).toBe(next);
    }

    await eng.selectOption('#emergency-plan-form select[name=owner]', 'zhang');
    // The form's time is read in the site's zone (Asia/Shanghai, UTC+8): four hours from now there.
    await eng.fill('#emergency-plan-form input[name=due]', new Date(s.clock.now.getTime() + (8 + 4) * 3_600_000).toISOString().slice(0, 16));
    await eng.fill('#emergency-plan-form input[name=note]', '启用备机');
    await submit('#emergency-plan-form button');
    expect(await eng.textContent('#emergency-plan')).toContain('zhang');

    await eng.fill('#part-needed-form input[name=neededPart]', 'HDD 1.2TB');
    await submit('#part-needed-form button');
    await eng.fill('form[action$="/parts"] input[name=part]', 'HDD 1.2TB SAS');
    await eng.fill('input[name=oldSerial]', 'WFK0ABCD');
    await eng.fill('input[name=newSerial]', 'WFK0WXYZ');
    await submit('form[action$="/parts"] button');
    const row = eng.locator('#parts-disposition tr[data-part]').first();
    expect(await row.textContent()).toContain('not recorded');
    await row.locator('select[name=disposition]').selectOption('returned_to_customer');
    await row.locator('input[name=receivedBy]').fill('Li Na');
    await submit('#parts-disposition form button');
    expect(await eng.locator('#parts-disposition tr[data-part]').first().textContent()).toContain('returned to the customer');
    await eng.screenshot({ path: join(ARTIFACTS, '10-ticket-people-and-process.png'), fullPage: true });

    const t = (await (await s.collector.request('GET', `/api/v1/tickets/${ticketId}`, { token: s.tokens.engineer })).json()) as Ticket;
    expect(t).toMatchObject({ assignee: 'wang', backup: 'zhang', priority: 'P2', status: 'on_site', emergencyPlanOwner: 'zhang', visitNeeded: true });
    expect(t.parts[0]).toMatchObject({ disposition: 'returned_to_customer', receivedBy: 'Li Na' });
    expect(t.deadlines.partReplacement).toBeDefined();
    expect(t.events.map((e) => e.event)).toEqual(['open', 'assigned', 'reclassified', 'responded', 'dispatched', 'on_site', 'emergency_plan', 'part_needed']);
    await eng.context().close();
  });
});
