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

describe('tickets list in Chromium', () => {
  const open = async (device: string, priority: string) => {
    const res = await s.collector.request('POST', '/api/v1/tickets', { token: s.tokens.engineer, body: { site: 'acme', device, symptom: `${device} 故障`, priority } });
    expect(res.status).toBe(201);
    return ((await res.json()) as Ticket).id;
  };

  it('sorts by priority then deadline (P1 on top, not by id), highlights P1, filters through the query string and names statuses in Chinese', async () => {
    const p4 = await open('app04', 'P4');
    const p1 = await open('db03', 'P1');
    const eng = await logIn('/sites/acme/tickets?lang=zh');
    const rows = eng.locator('#tickets tbody tr');
    const priorities = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-priority') ?? ''));
    expect(priorities.length).toBeGreaterThanOrEqual(2);
    expect(priorities).toEqual([...priorities].sort());
    expect(await rows.first().getAttribute('data-ticket')).toBe(String(p1));
    expect(await rows.first().getAttribute('class')).toContain('p1');
    expect(await eng.locator(`#tickets tr[data-ticket="${p4}"]`).getAttribute('class')).not.toContain('p1');
    // The deadline's stage is a word too (响应/到场/恢复), not `response`/`onSite`.
    const stages = await eng.locator('#tickets tbody td small').allTextContents();
    expect(stages.length).toBeGreaterThan(0);
    for (const st of stages) expect(['响应', '到场', '恢复']).toContain(st);
    // The status column speaks Chinese: no raw code such as `open` or `on_site`.
    const statuses = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[4]?.textContent ?? ''));
    for (const text of statuses) expect(text).not.toMatch(/[a-z_]{3,}/);
    expect(statuses).toContain('待响应');

    await eng.selectOption('#ticket-filter select[name=priority]', 'P1');
    await Promise.all([eng.waitForURL(/priority=P1/), eng.click('#ticket-filter button')]);
    const filtered = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-priority')));
    expect(filtered.length).toBeGreaterThan(0);
    expect(new Set(filtered)).toEqual(new Set(['P1']));
    expect(await eng.inputValue('#ticket-filter select[name=priority]')).toBe('P1');
    await eng.screenshot({ path: join(ARTIFACTS, '11-tickets-list-filtered.png'), fullPage: true });

    // The search looks in the symptom and the device; the device filter keeps one device's tickets.
    await eng.goto(`${s.collector.url}/sites/acme/tickets?lang=zh&status=all&q=${encodeURIComponent('app04 故障')}`);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket')))).toEqual([String(p4)]);
    await eng.goto(`${s.collector.url}/sites/acme/tickets?lang=zh&device=db03`);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket')))).toEqual([String(p1)]);
    expect(await eng.inputValue('#ticket-filter input[name=device]')).toBe('db03');
    // The first test assigned its ticket to wang: the assignee filter keeps that one only.
    await eng.goto(`${s.collector.url}/sites/acme/tickets?lang=zh&assignee=wang`);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket')))).toEqual([String(ticketId)]);
    await eng.goto(`${s.collector.url}/sites/acme/tickets?lang=zh&device=db03`);
    // The device's name leads to its page.
    await Promise.all([eng.waitForURL(/\/devices\/db03/), rows.first().locator('a.device').click()]);
    // The ticket page's step buttons are words, not step codes.
    await eng.goto(`${s.collector.url}/sites/acme/tickets/${p1}?lang=zh`);
    expect(await eng.textContent('button[data-step="respond"]')).toBe('响应');

    // Unknown values are a clear 400 page, never a 500 nor silently ignored.
    for (const query of ['status=bogus', 'priority=P9', 'overdue=yes', 'site=globex', 'device=%3Cscript%3E', 'assignee=a%20b']) {
      const res = await eng.goto(`${s.collector.url}/sites/acme/tickets?lang=zh&${query}`);
      expect(res?.status(), query).toBe(400);
      expect(await eng.textContent('body')).toContain('请求有误');
    }
    await eng.context().close();
  });

  it("a customer sees only the site's tickets and cannot widen the list to another site", async () => {
    const context = await browser.newContext();
    const cust = await context.newPage();
    await cust.goto(`${s.collector.url}/sites/acme/tickets`);
    await cust.fill('input[name=name]', 'li');
    await cust.fill('input[name=password]', PASSWORD.li);
    await Promise.all([cust.waitForURL((u) => !u.pathname.startsWith('/login')), cust.click('#login button[type=submit]')]);
    expect(await cust.locator('#tickets tbody tr').count()).toBeGreaterThan(0);
    expect(await cust.textContent('body')).not.toContain('secret01');
    const other = await cust.goto(`${s.collector.url}/sites/globex/tickets`);
    expect(other?.status()).toBe(403);
    const widened = await cust.goto(`${s.collector.url}/sites/acme/tickets?site=globex`);
    expect(widened?.status()).toBe(400);
    await context.close();
  });
});
