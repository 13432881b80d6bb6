import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticReport } from '../helpers/collector.js';
import type { SeededSite } from '../reports/seed.js';
import { logInAs, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * The device page's ECharts charts in Chromium: local-time axes and hover titles under the page's
 * CSP, the 7/30/90-day range, a refused range, and a hostile host name escaped inside the SVG.
 * The seeded db01 reported at 10:00 UTC on 5 and 20 November (18:00 in Asia/Shanghai, the site's zone).
 */
let s: SeededSite;
let browser: Browser;
let page: Page;
const HOSTILE = '<script>alert(1)<script>';
const NOW = new Date('2026-11-25T00:00:00.000Z');
const csp: string[] = [];

beforeAll(async () => {
  ({ site: s, browser } = await seededDashboard());
  s.clock.now = new Date('2026-11-21T10:00:00.000Z');
  const res = await s.collector.request('POST', '/api/v1/reports', { token: s.collector.agentFor('acme', HOSTILE), body: realisticReport({ at: s.clock.now, hostname: HOSTILE, cpuAvg: 41 }) });
  expect(res.status).toBeLessThan(300);
  s.clock.now = NOW;
  page = await logInAs(browser, s.collector.url, 'wang');
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await s?.collector.stop();
});

const texts = (selector: string) => page.locator(selector).allTextContents();

describe('device page charts', () => {
  it('draws CPU, memory, temperature and check history with local-time axes, units, legend and hover titles (30 days by default)', async () => {
    const res = await page.goto(`${s.collector.url}/sites/acme/devices/db01?lang=en`);
    expect(res?.status()).toBe(200);
    for (const id of ['chart-cpu', 'chart-memory', 'chart-temperature', 'chart-checks']) expect(await page.locator(`#${id} svg[role=img]`).count()).toBe(1);
    // 30 days back from 25 November 08:00 Shanghai
    expect(await page.getAttribute('#chart-cpu svg', 'data-from')).toBe('2026-10-26');
    expect(await page.getAttribute('#chart-cpu svg', 'data-to')).toBe('2026-11-25');
    const labels = await texts('#chart-cpu svg text');
    // value axis with its unit, local dates on the time axis (ticks at the site's midnights), the legend with the limit
    expect(labels).toEqual(expect.arrayContaining(['0%', '100%', '11-05', '11-25', 'db01', 'Limit 70%', 'CPU utilisation · db01']));
    // Hover: one native title per reading, in the site's local time (10:00 UTC is 18:00 +08:00)
    const titles = await texts('#chart-cpu svg rect.hover title');
    expect(titles).toHaveLength(2);
    expect(titles[0]).toContain('2026-11-05 18:00 +08:00');
    expect(titles[1]).toMatch(/2026-11-20 18:00 \+08:00\ndb01: 30\.0%/);
    // The title shows when the pointer rests on the column: it is hit-testable and on top
    const box = (await page.locator('#chart-cpu svg rect.hover').nth(1).boundingBox())!;
    const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.closest('rect.hover')?.querySelector('title')?.textContent ?? '', [box.x + box.width / 2, box.y + box.height / 2]);
    expect(hit).toContain('2026-11-20 18:00');
    // Check history: a row per check, the worst verdict of each local day, titled
    const rows = (await texts('#chart-checks svg text')).filter((x) => x.startsWith('SXKR-'));
    expect(rows).toHaveLength(6);
    const history = await texts('#chart-checks svg title');
    expect(history.length).toBeGreaterThanOrEqual(12); // six checks on two days
    expect(history.join('\n')).toContain('2026-11-20');
    // No inline style or script was needed: the strict CSP reported nothing
    expect(await page.locator('#chart-cpu svg [style], #chart-cpu svg style').count()).toBe(0);
    expect(csp).toEqual([]);
    await page.screenshot({ path: 'test-artifacts/web/device-charts-30.png', fullPage: true });
  });

  it('range 7 / 90 change the span the charts cover; the selector marks the current one', async () => {
    await page.goto(`${s.collector.url}/sites/acme/devices/db01?lang=en&range=7`);
    expect(await page.getAttribute('#chart-cpu svg', 'data-from')).toBe('2026-11-18');
    expect(await page.getAttribute('#chart-checks svg', 'data-from')).toBe('2026-11-18');
    expect(await page.locator('#chart-cpu svg rect.hover').count()).toBe(1); // 5 November is outside
    expect(await page.getAttribute('#range a[aria-current=page]', 'data-range')).toBe('7');
    await page.click('#range a[data-range="90"]');
    await expect.poll(() => page.getAttribute('#chart-cpu svg', 'data-from')).toBe('2026-08-27');
    expect(await page.locator('#chart-cpu svg rect.hover').count()).toBe(2);
    expect(await page.getAttribute('#range a[aria-current=page]', 'data-range')).toBe('90');
  });

  it('any other range is a 400 page in the reader language, not a chart of something else', async () => {
    for (const bad of ['8', 'abc', '30.0', '-7', '7&range=30']) {
      const res = await page.goto(`${s.collector.url}/sites/acme/devices/db01?lang=en&range=${bad}`);
      expect(res?.status(), bad).toBe(400);
      expect(res?.headers()['content-type']).toContain('text/html');
      expect(await page.textContent('body')).toContain('The range can only be 7, 30 or 90 days');
    }
  });

  it('a host name with <script> is text inside the SVG, never markup', async () => {
    const res = await page.goto(`${s.collector.url}/sites/acme/devices/${encodeURIComponent(HOSTILE)}?lang=en&range=7`);
    expect(res?.status()).toBe(200);
    const body = await res!.text();
    const svg = body.slice(body.indexOf('<figure class="chart" id="chart-cpu"'), body.indexOf('</figure>', body.indexOf('id="chart-cpu"')));
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;script&gt;');
    expect(svg).not.toContain('<script>');
    expect(await page.locator('script:not([src])').count()).toBe(0);
    expect(await texts('#chart-cpu svg text')).toContain(HOSTILE); // the legend reads the name as written
    expect((await texts('#chart-cpu svg rect.hover title'))[0]).toContain(`${HOSTILE}: 41.0%`);
  });
});
