import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeededSite } from '../reports/seed.js';
import { ARTIFACTS, logInAs, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * The reports page's period pickers in headless Chromium against a real collector (issue 15): every
 * kind has its select (month, quarter, half year, contract year, ticket), the current local period
 * selected, past periods chosen without typing a URL; no date or month input (Chromium would show
 * them in the browser's locale); the opened report carries the chosen period, the plan's sections,
 * the cover's customer and contract number and the signature block; a bad period is a 4xx.
 */
let s: SeededSite;
let browser: Browser;
let wang: Page;

beforeAll(async () => {
  ({ site: s, browser } = await seededDashboard());
  await s.collector.app.repos.sites.update('acme', { title: '爱客银行数据中心', contractNo: 'HT-2026-017' });
  wang = await logInAs(browser, s.collector.url, 'wang', '/sites/acme/reports');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await s?.collector.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
const selected = (page: Page, form: string, name: string) => page.locator(`#report-${form} select[name=${name}]`).inputValue();

/** Opens a form's report in the same tab and returns the opened URL. */
async function open(page: Page, form: string): Promise<URL> {
  await Promise.all([page.waitForURL(/\/api\/v1\/sites\/acme\/reports\//), page.click(`#report-${form} button[type=submit]`)]);
  return new URL(page.url());
}

describe('reports page: a period picker for every kind', () => {
  it('each kind offers its periods, the current local one selected; no date or month inputs', async () => {
    await wang.goto(`${s.collector.url}/sites/acme/reports?lang=zh`);
    // The seed's clock: 2026-11-28 08:00 in Shanghai.
    expect(await selected(wang, 'inspection', 'month')).toBe('2026-11');
    expect(await selected(wang, 'performance', 'month')).toBe('2026-11');
    expect(await selected(wang, 'faults', 'month')).toBe('2026-11');
    expect(await selected(wang, 'health', 'quarter')).toBe('2026-Q4');
    expect(await selected(wang, 'half', 'half')).toBe('2026-H2');
    expect(await selected(wang, 'annual', 'year')).toBe('2026');
    expect(await wang.locator('#report-fault-ticket select[name=ticket] option').count()).toBeGreaterThan(0);
    expect(await wang.locator('#report-products select[name=format]').count()).toBe(1);
    // Two years back at least, in words of the page's language.
    const months = await wang.locator('#report-inspection select[name=month] option').allTextContents();
    expect(months[0]).toBe('2026年11月');
    expect(months).toContain('2024年12月');
    expect(await wang.locator('#report-health select[name=quarter] option').allTextContents()).toContain('2025年第3季度');
    expect(await wang.locator('input[type=date], input[type=month], input[type=week], input[type=datetime-local]').count()).toBe(0);
    await wang.setViewportSize({ width: 1440, height: 900 });
    await shot(wang, 'reports-picker-1440');
    await wang.setViewportSize({ width: 390, height: 844 });
    await shot(wang, 'reports-picker-390');
    await wang.setViewportSize({ width: 1280, height: 900 });
  });

  it('a past quarter is chosen from the list and its health report opens with the plan’s sections, cover and signatures', async () => {
    await wang.goto(`${s.collector.url}/sites/acme/reports?lang=zh`);
    await wang.selectOption('#report-health select[name=quarter]', '2026-Q3');
    const url = await open(wang, 'health');
    expect(url.searchParams.get('quarter')).toBe('2026-Q3');
    expect(url.searchParams.get('lang')).toBe('zh');
    const body = await wang.textContent('body');
    expect(await wang.textContent('.meta')).toContain('2026-Q3');
    for (const heading of ['硬件状态', '运行环境(温度、电源、风扇)', '磁盘缓存(控制器、缓存、电池)', '硬件可用率', '故障分布(按检查项与设备类型)', '维修类型', '优化建议']) {
      expect(await wang.locator('h2', { hasText: heading }).count(), heading).toBe(1);
    }
    expect(await wang.locator('[data-cover=customer]').textContent()).toBe('爱客银行数据中心');
    expect(await wang.locator('[data-cover=contractNo]').textContent()).toBe('HT-2026-017');
    expect(await wang.locator('.signatures [data-signature]').count()).toBe(2);
    expect(body).toContain('客户代表签字');
    await shot(wang, 'report-health-2026-Q3');
  });

  it('the monthly report of a past month, as a PDF, chosen with the format select', async () => {
    await wang.goto(`${s.collector.url}/sites/acme/reports?lang=zh`);
    await wang.selectOption('#report-inspection select[name=month]', '2026-10');
    await wang.selectOption('#report-inspection select[name=format]', 'pdf');
    const action = await wang.locator('#report-inspection').getAttribute('action');
    const query = new URLSearchParams(await wang.locator('#report-inspection').evaluate((f) => [...new FormData(f as HTMLFormElement)].map(([k, v]) => `${k}=${String(v)}`).join('&')));
    expect(action).toBe('/api/v1/sites/acme/reports/inspection');
    expect(Object.fromEntries(query)).toEqual({ month: '2026-10', lang: 'zh', format: 'pdf' });
    const res = await wang.request.get(`${s.collector.url}${action}?${query}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('application/pdf');
    expect(res.headers()['content-disposition']).toContain('2026-10');
  });

  it('the annual summary covers the contract year from the site’s contract start', async () => {
    await s.collector.app.repos.notify.setSettings('acme', { contractStart: '04-01' }, 'test', Date.now());
    await wang.goto(`${s.collector.url}/sites/acme/reports?lang=zh`);
    expect(await selected(wang, 'annual', 'year')).toBe('2026');
    expect(await wang.locator('#report-annual select[name=year] option:checked').textContent()).toBe('2026合同年度 (2026-04-01 ~ 2027-03-31)');
    await wang.selectOption('#report-annual select[name=year]', '2025');
    await open(wang, 'annual');
    const body = (await wang.textContent('body'))!;
    expect(body).toContain('本报告覆盖合同年度 2025-04-01 至 2026-03-31');
    expect(await wang.locator('h2', { hasText: '会议记录' }).count()).toBe(1);
    expect(body).toContain('巡检系统不记录会议纪要');
    expect(await wang.locator('.signatures [data-signature]').count()).toBe(2);
    await s.collector.app.repos.notify.setSettings('acme', {}, 'test', Date.now());
  });

  it('one ticket’s fault report from the ticket select, signed by who resolved and confirmed it', async () => {
    await wang.goto(`${s.collector.url}/sites/acme/reports?lang=zh`);
    await wang.selectOption('#report-fault-ticket select[name=ticket]', String(s.downTicketId));
    const url = await open(wang, 'fault-ticket');
    expect(url.searchParams.get('ticket')).toBe(String(s.downTicketId));
    expect(await wang.textContent('.meta')).toContain(`#${s.downTicketId}`);
    // The seed's down ticket: resolved by the engineer, confirmed by the customer's representative.
    expect(await wang.locator('.signatures [data-signature]').allTextContents()).toEqual([
      expect.stringMatching(/^服务方工程师: Wang Gong日期: 2026-11-10 \d\d:\d\d \+08:00$/),
      expect.stringMatching(/^客户代表签字: Li Kehu日期: 2026-11-10 \d\d:\d\d \+08:00$/),
    ]);
  });

  it('the English page offers English periods', async () => {
    await wang.goto(`${s.collector.url}/sites/acme/reports?lang=en`);
    expect(await wang.locator('#report-inspection select[name=month] option:checked').textContent()).toBe('Nov 2026');
    expect(await wang.locator('#report-half select[name=half] option:checked').textContent()).toBe('2026 second half');
    expect(await wang.locator('#report-inspection input[name=lang]').inputValue()).toBe('en');
  });

  it('a period named in the page’s query is selected; a malformed one is a 400 page, and the report routes answer 400 too', async () => {
    await wang.goto(`${s.collector.url}/sites/acme/reports?month=2026-08&quarter=2026-Q1`);
    expect(await selected(wang, 'inspection', 'month')).toBe('2026-08');
    expect(await selected(wang, 'health', 'quarter')).toBe('2026-Q1');
    for (const bad of ['month=2026-13', 'quarter=2026-Q5', 'half=2026-H3', 'year=26', 'month=%3Cscript%3E']) {
      const res = await wang.goto(`${s.collector.url}/sites/acme/reports?${bad}`);
      expect(res?.status(), bad).toBe(400);
      expect(await wang.locator('script', { hasText: 'alert' }).count()).toBe(0);
    }
    for (const bad of ['inspection?month=2026-13', 'performance?month=2026-1', 'faults?month=x', 'faults?ticket=0', 'health?quarter=2026-Q0', 'summary?half=2026-H0', 'summary?year=99999', 'summary?year=2026-01']) {
      const res = await s.collector.request('GET', `/api/v1/sites/acme/reports/${bad}`, { token: s.tokens.engineer });
      expect(res.status, bad).toBe(400);
    }
  });
});
