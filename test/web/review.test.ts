import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../collector/users/index.js';
import type { SeededSite } from '../reports/seed.js';
import { ARTIFACTS, logInAs, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * The monthly review matrix and its sign-off, in headless Chromium against a real collector on a
 * SQLite file (issue 15): each cell's value, the filters and search, the month picker, abnormal
 * cells linking to their tickets, the customer's name as heading, the matrix at 390 px; sign-off
 * and confirmation through a dialog with a remark (stored, audited, shown); a draft hidden from
 * the customer on every road (page, cell, API by token and by session, report).
 */
let s: SeededSite;
let browser: Browser;
const review = '/sites/acme/review?month=2026-11';

beforeAll(async () => {
  ({ site: s, browser } = await seededDashboard());
  await s.collector.app.repos.sites.update('acme', { title: '爱客银行数据中心' });
  const db01 = (await s.collector.app.repos.devices.get('acme', 'db01'))!;
  await s.collector.app.repos.devices.update(db01.id, { role: '核心数据库' });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await s?.collector.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const rowsShown = (page: Page) => page.locator('#matrix .rows [role=rowheader]').allTextContents();
const apiAs = (token: string, path: string) => s.collector.request('GET', path, { token });

describe('review matrix in Chromium', () => {
  it('a draft is the engineer’s: the customer sees neither page, cell, API nor report until it is signed', async () => {
    const li = await logInAs(browser, s.collector.url, 'li', review);
    expect(await li.locator('#not-signed').isVisible()).toBe(true);
    expect(await li.locator('#matrix').count()).toBe(0);
    expect(await li.textContent('main')).not.toContain('db02');
    const cell = await li.goto(`${s.collector.url}/sites/acme/cell?month=2026-11&device=db02&check=SXKR-004`);
    expect(cell?.status()).toBe(404);
    expect(await li.textContent('body')).not.toContain('PSU');
    // The API by the customer's browser session (the API takes tokens only) and by the customer's token: 404, by any revision.
    const bySession = await li.request.get(`${s.collector.url}/api/v1/sites/acme/inspections/2026-11`);
    expect(bySession.ok()).toBe(false);
    expect(await bySession.text()).not.toContain('db02');
    expect((await apiAs(s.tokens.customer, '/api/v1/sites/acme/inspections/2026-11')).status).toBe(404);
    expect((await apiAs(s.tokens.customer, '/api/v1/sites/acme/inspections/2026-11?revision=1')).status).toBe(404);
    expect((await apiAs(s.tokens.customer, '/api/v1/sites/acme/reports/inspection?month=2026-11&format=json')).status).toBe(404);
    // The engineer reads the same draft.
    const asEngineer = await apiAs(s.tokens.engineer, '/api/v1/sites/acme/inspections/2026-11');
    expect(asEngineer.status).toBe(200);
    expect(((await asEngineer.json()) as { status: string }).status).toBe('draft');
    await li.context().close();
  });

  it('the engineer reads values, filters, searches, picks a month and follows an abnormal cell to its ticket', async () => {
    const page = await logInAs(browser, s.collector.url, 'wang', review);
    expect(await page.textContent('h1')).toContain('爱客银行数据中心');
    expect(await page.textContent('h1')).not.toContain('acme');
    expect(await page.locator('#draft-banner').isVisible()).toBe(true);
    expect(await rowsShown(page)).toEqual(['app04', 'db01', 'db02', 'db03']);
    // The value beside the verdict: app04's CPU in per cent, db01's role in the model/role column.
    const cpu = page.locator('#matrix .rows [role=row]', { has: page.locator('[role=rowheader]', { hasText: 'app04' }) }).locator('.cell').first();
    expect(await cpu.textContent()).toMatch(/\d+(\.\d+)? %/);
    const db01 = page.locator('#matrix .rows [role=row]', { has: page.locator('[role=rowheader]', { hasText: 'db01' }) });
    expect(await db01.locator('.model').textContent()).toContain('核心数据库');
    // One table to assistive technology: a head row of 8 columns, a row per device led by its row header.
    const table = page.getByRole('table', { name: /月度巡检审核|Monthly review/ });
    expect(await table.count()).toBe(1);
    expect(await table.getByRole('columnheader').count()).toBe(8);
    expect(await table.getByRole('row').count()).toBe(5);
    expect(await table.getByRole('rowheader').allTextContents()).toEqual(['app04', 'db01', 'db02', 'db03']);
    expect(await table.getByRole('row', { name: /db02/ }).getByRole('cell').count()).toBe(7);
    await shot(page, 'review-01-values');

    // The abnormal PSU cell links to its open ticket.
    const psu = page.locator('#matrix .cell.abnormal:has(a[href$="device=db02&check=SXKR-004"]) a.tk');
    const href = await psu.getAttribute('href');
    expect(href).toMatch(/^\/sites\/acme\/tickets\/\d+$/);
    await Promise.all([page.waitForURL(/\/tickets\/\d+$/), psu.click()]);
    expect(await page.textContent('#ticket-status')).toContain('db02');

    // Abnormal only: the devices with an abnormal cell; abnormal or unknown adds db03's unreadable log.
    await page.goto(`${s.collector.url}${review}`);
    await page.selectOption('select[name=show]', 'abnormal');
    await Promise.all([page.waitForURL(/show=abnormal/), page.click('#filters button[type=submit]')]);
    const abnormal = await rowsShown(page);
    expect(abnormal).toContain('db02');
    expect(abnormal).not.toContain('db01');
    expect(await page.locator('#matrix .cell.normal').count()).toBeGreaterThan(0); // whole rows, not cells
    await page.selectOption('select[name=show]', 'problems');
    await Promise.all([page.waitForURL(/show=problems/), page.click('#filters button[type=submit]')]);
    expect(await rowsShown(page)).toContain('db03');

    // Search by host name, then by role; kind filter keeps servers.
    await page.goto(`${s.collector.url}${review}&q=DB0`);
    expect(await rowsShown(page)).toEqual(['db01', 'db02', 'db03']);
    await page.goto(`${s.collector.url}${review}`);
    await page.fill('#filters input[name=q]', '核心');
    await Promise.all([page.waitForURL(/q=/), page.click('#filters button[type=submit]')]);
    expect(await rowsShown(page)).toEqual(['db01']);
    expect(await page.textContent('#shown-count')).toContain('4');
    await page.goto(`${s.collector.url}${review}&kind=switch`);
    expect(await rowsShown(page)).toEqual([]);

    // A past month without typing a URL.
    await page.goto(`${s.collector.url}${review}`);
    await page.fill('#month-picker input[name=month]', '2026-10');
    await Promise.all([page.waitForURL(/month=2026-10/), page.click('#month-picker button[type=submit]')]);
    expect(await page.inputValue('#month-picker input[name=month]')).toBe('2026-10');
    expect(await page.textContent('h1')).toContain('2026-10');
    await page.context().close();
  });

  it('at 390 px the matrix scrolls sideways instead of crushing its cells', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
    await page.goto(`${s.collector.url}/login?next=${encodeURIComponent(review)}`);
    await page.fill('input[name=name]', 'wang');
    await page.fill('input[name=password]', 'engineer-pass-1');
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login button[type=submit]')]);
    await page.goto(`${s.collector.url}${review}`);
    const box = await page.locator('.scroll').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(box.scroll).toBeGreaterThan(box.client);
    const cellWidth = await page.locator('#matrix .cell').first().evaluate((el) => el.getBoundingClientRect().width);
    expect(cellWidth).toBeGreaterThan(70);
    // the page itself does not scroll sideways: only the matrix does
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await shot(page, 'review-02-phone');
    await page.context().close();
  });

  it('sign-off and confirmation ask first, keep their remarks, audit them and show them on the record', async () => {
    const wang = await logInAs(browser, s.collector.url, 'wang', review);
    await wang.click('#sign');
    expect(await wang.locator('#sign-dialog').isVisible()).toBe(true);
    await wang.click('#sign-dialog button[data-close]'); // cancelled: nothing signed
    expect(await wang.locator('#sign-dialog').isVisible()).toBe(false);
    await wang.reload();
    expect(await wang.getAttribute('#status', 'data-status')).toBe('draft');

    await wang.click('#sign');
    await wang.fill('#sign-dialog textarea[name=remark]', '已与值班员核对,2号电源已报修');
    await shot(wang, 'review-03-sign-dialog');
    await Promise.all([wang.waitForURL(/review\?month=2026-11/), wang.click('#sign-submit')]);
    expect(await wang.getAttribute('#status', 'data-status')).toBe('signed');
    expect(await wang.textContent('#status')).toContain('已与值班员核对,2号电源已报修');
    expect(await wang.locator('#draft-banner').count()).toBe(0);
    await wang.context().close();

    // Signed: now the customer reads it, by page and by API, and confirms with a remark.
    expect((await apiAs(s.tokens.customer, '/api/v1/sites/acme/inspections/2026-11')).status).toBe(200);
    const li = await logInAs(browser, s.collector.url, 'li', review);
    expect(await li.locator('#matrix .rows [role=row]').count()).toBe(4);
    expect(await li.textContent('#status')).toContain('已与值班员核对');
    await li.click('#confirm');
    await li.fill('#confirm-dialog textarea[name=remark]', '<b>同意</b>');
    await Promise.all([li.waitForURL(/review\?month=2026-11/), li.click('#confirm-submit')]);
    expect(await li.getAttribute('#status', 'data-status')).toBe('confirmed');
    expect(await li.textContent('#status q.remark >> nth=1')).toBe('<b>同意</b>'); // shown as text, not markup
    await shot(li, 'review-04-confirmed');
    await li.context().close();

    const record = (await (await apiAs(s.tokens.engineer, '/api/v1/sites/acme/inspections/2026-11')).json()) as { signRemark: string; confirmRemark: string };
    expect(record.signRemark).toBe('已与值班员核对,2号电源已报修');
    expect(record.confirmRemark).toBe('<b>同意</b>');
    const log = (await new AuditLog(s.collector.store).forSite('acme')).map((e) => `${e.actor}:${e.action}:${e.detail ?? ''}`);
    expect(log).toContain('wang:inspection.sign:revision 1: 已与值班员核对,2号电源已报修');
    expect(log).toContain('li:inspection.confirm:revision 1: <b>同意</b>');
  });

  it('an amendment is a draft again: the customer keeps reading the signed revision, not the new draft', async () => {
    const amended = await s.collector.request('POST', '/api/v1/sites/acme/inspections/2026-11/amend', { token: s.tokens.engineer, body: { reason: '补录 db03 日志' } });
    expect(amended.status).toBe(201);
    const seen = (await (await apiAs(s.tokens.customer, '/api/v1/sites/acme/inspections/2026-11')).json()) as { revision: number; status: string };
    expect(seen).toMatchObject({ revision: 1, status: 'confirmed' });
    expect((await apiAs(s.tokens.customer, '/api/v1/sites/acme/inspections/2026-11?revision=2')).status).toBe(404);
    const li = await logInAs(browser, s.collector.url, 'li', review);
    expect(await li.getAttribute('#status', 'data-status')).toBe('confirmed');
    await li.context().close();
  });
});
