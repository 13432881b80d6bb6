import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, UsersRepository } from '../../collector/users/index.js';
import { requestMaintenance, type SeededSite } from '../reports/seed.js';
import { PASSWORD, seededDashboard } from './fixtures/seeded-dashboard.js';

/*
 * Every dashboard page and every HTML report, as each role that sees it, in Chinese and English:
 * axe-core finds no serious or critical violation, and at phone width (390 px) nothing makes the
 * page scroll sideways (wide tables scroll inside their own container). With XUNJIAN_SCREENSHOTS=1
 * each page is also photographed at 1440 px and 390 px into test-artifacts/screenshots/ (git-ignored)
 * for a person to look at: about 250 captures that nobody reads in CI, a fifth of the sweep's time.
 */

export const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const PHOTOGRAPH = process.env.XUNJIAN_SCREENSHOTS === '1';
const WIDE = 1440;
const PHONE = 390;
/** Sub-pixel rounding of a layout; a real overflow is tens of pixels. */
const TOLERANCE = 2;

type Role = 'admin' | 'engineer' | 'customer';
const PEOPLE: Record<Role, { name: string; password: string }> = {
  admin: { name: 'root', password: 'admin-pass-1234' },
  engineer: { name: 'wang', password: PASSWORD.wang },
  customer: { name: 'li', password: PASSWORD.li },
};

let s: SeededSite;
let browser: Browser;
let maintenanceId: number;

beforeAll(async () => {
  ({ site: s, browser } = await seededDashboard());
  if (PHOTOGRAPH) mkdirSync(SCREENSHOTS, { recursive: true });
  await new UsersRepository(s.collector.store).create({ name: 'root', role: 'admin', passwordHash: await hashPassword(PEOPLE.admin.password), sites: [] });
  maintenanceId = await requestMaintenance(s);
  // A signed month: the customer's matrix and its cells are readable only once signed.
  expect((await s.collector.request('POST', '/api/v1/sites/acme/inspections/2026-11/sign', { token: s.tokens.engineer, body: {} })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.collector.stop();
});

/** The pages a role reaches, by name (the screenshot's) and path; the reports are added from the reports page's links. */
function pagesOf(role: Role): [string, string][] {
  const pages: [string, string][] = [
    ['overview', '/'],
    ['review', '/sites/acme/review?month=2026-11'],
    ['cell', '/sites/acme/cell?month=2026-11&device=db02&check=SXKR-004'],
    ['device', '/sites/acme/devices/db02'],
    ['tickets', '/sites/acme/tickets'],
    ['ticket', `/sites/acme/tickets/${s.downTicketId}`],
    ['maintenance', '/sites/acme/maintenance'],
    ['maintenance-request', `/sites/acme/maintenance/${maintenanceId}`],
    ['reports', '/sites/acme/reports'],
    ['equipment', '/sites/acme/equipment'],
    ['error-404', '/no/such/page'],
    ['error-400', '/sites/acme/review?month=2026-13'],
  ];
  if (role !== 'customer') pages.push(['notify', '/sites/acme/notify'], ['channels', '/notify/channels'], ['unreported', '/sites/acme/unreported']);
  if (role === 'customer') pages.push(['error-403', '/sites/globex/review']);
  return pages;
}

interface Finding {
  page: string;
  what: string;
}

/**
 * axe's serious and critical violations on the page, one line per rule with the elements it names.
 * axe-core itself, every rule, in the page (no page has frames): @axe-core/playwright's analyze()
 * opened a second page for each run and sent back every passing node, 3.3 s a page against 0.9 s.
 * The page has axe already: every context of the sweep loads it as an init script (`withAxe`).
 */
async function axeFindings(page: Page, name: string): Promise<Finding[]> {
  const violations = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations));
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      page: name,
      what: `${v.impact} ${v.id}: ${v.help}\n      ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('').trim() ?? ''}`).join('\n      ')}`,
    }));
}

/** What makes the page wider than the phone: the document's width and the widest elements outside scroll containers. */
async function overflowAt(page: Page, width: number): Promise<string | null> {
  return page.evaluate(({ width, tolerance }) => {
    const doc = document.scrollingElement ?? document.documentElement;
    if (doc.scrollWidth <= width + tolerance) return null;
    const scrolls = (el: Element | null): boolean => {
      for (let e = el?.parentElement ?? null; e; e = e.parentElement) {
        const o = getComputedStyle(e).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    const wide = [...document.body.querySelectorAll('*')]
      .filter((e) => e.getBoundingClientRect().right > width + tolerance && !scrolls(e))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ').join('.')}` : ''} (right ${Math.round(e.getBoundingClientRect().right)})`);
    return `scrollWidth ${doc.scrollWidth}: ${wide.join(', ')}`;
  }, { width, tolerance: TOLERANCE });
}

/** Checks and photographs the page at `path` at both widths; what fails is added to `findings`. */
async function visit(page: Page, name: string, path: string, findings: Finding[]): Promise<void> {
  await page.setViewportSize({ width: WIDE, height: 900 });
  const res = await page.goto(`${s.collector.url}${path}`);
  expect(res, path).not.toBeNull();
  const found = await axeFindings(page, name);
  // Printed as found, so that a run cut short still tells what it saw.
  if (found.length) console.log(readable(found));
  findings.push(...found);
  if (PHOTOGRAPH) await page.screenshot({ path: join(SCREENSHOTS, `${name}-${WIDE}.png`) });
  await page.setViewportSize({ width: PHONE, height: 844 });
  const overflow = await overflowAt(page, PHONE);
  if (overflow) {
    console.log(`  ${name}: overflows at ${PHONE} px: ${overflow}`);
    findings.push({ page: name, what: `overflows at ${PHONE} px: ${overflow}` });
  }
  if (PHOTOGRAPH) await page.screenshot({ path: join(SCREENSHOTS, `${name}-${PHONE}.png`) });
}

const readable = (findings: Finding[]) => findings.map((f) => `  ${f.page}: ${f.what}`).join('\n');

/**
 * A browser context whose every page carries axe-core from its first script on. Sent with each
 * visit instead (page.evaluate of its 550 kB), it took 0.3 s a page, 42 of the sweep's 120 s; loaded
 * with the page it adds about 0.1 s to the page's load.
 */
async function withAxe(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addInitScript({ content: axe.source });
  return context;
}

async function logIn(role: Role, lang: 'zh' | 'en'): Promise<Page> {
  const context = await withAxe({ viewport: { width: WIDE, height: 900 } });
  await context.addCookies([{ name: 'xj_lang', value: lang, url: s.collector.url }]);
  const page = await context.newPage();
  await page.goto(`${s.collector.url}/login?lang=${lang}`);
  await page.fill('input[name=name]', PEOPLE[role].name);
  await page.fill('input[name=password]', PEOPLE[role].password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login button[type=submit]')]);
  return page;
}

describe('accessibility and phone width', () => {
  for (const lang of ['zh', 'en'] as const) {
    it(`the log-in page and a refused log-in (${lang})`, async () => {
      const page = await (await withAxe()).newPage();
      const findings: Finding[] = [];
      await visit(page, `login-${lang}`, `/login?lang=${lang}`, findings);
      await page.setViewportSize({ width: WIDE, height: 900 });
      await page.fill('input[name=name]', 'li');
      await page.fill('input[name=password]', 'not her password');
      await page.click('#login button[type=submit]');
      await page.waitForSelector('#login .error');
      findings.push(...(await axeFindings(page, `login-refused-${lang}`)));
      await page.context().close();
      expect(findings, `\n${readable(findings)}\n`).toEqual([]);
    }, 60_000);

    for (const role of ['admin', 'engineer', 'customer'] as const) {
      it(`every page and report the ${role} reads (${lang})`, async () => {
        const page = await logIn(role, lang);
        const findings: Finding[] = [];
        const pages = pagesOf(role);
        for (const [name, path] of pages) await visit(page, `${role}-${lang}-${name}`, path, findings);
        // The HTML reports, as the reports page's forms offer them to this reader (each form's defaults: the current period, printable HTML).
        await page.goto(`${s.collector.url}/sites/acme/reports`);
        const reports = await page.locator('main form.report-form').evaluateAll((forms) =>
          (forms as HTMLFormElement[]).map((f) => {
            const query = new URLSearchParams([...new FormData(f)].map(([k, v]) => [k, String(v)]));
            query.set('format', 'html');
            return `${f.getAttribute('action')!}?${query}`;
          }),
        );
        expect(reports.length).toBeGreaterThan(3);
        for (const href of new Set(reports)) {
          const kind = /\/reports\/(\w+)/.exec(href)![1]!;
          await visit(page, `${role}-${lang}-report-${kind}`, href, findings);
        }
        await page.context().close();
        expect(findings, `\n${readable(findings)}\n`).toEqual([]);
      }, 420_000);
    }
  }
});
