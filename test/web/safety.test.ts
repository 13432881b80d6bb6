import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../collector/users/index.js';
import { pathWith } from '../collector/fixtures/routes.js';
import { CookieJar, requestFrom } from '../helpers/http.js';
import type { SeededSite } from '../reports/seed.js';
import { ARTIFACTS, PASSWORD, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * The dashboard's safety findings of issue 10, each through a real collector (and Chromium where a
 * browser is what is attacked): markup in an audit actor's name, one action layer for the API and
 * the pages, maintenance for devices that do not exist, SLA changes audited, Cache-Control.
 */
const EVIL = '<img src=x onerror="document.title=\'xss\'">';
let s: SeededSite;
let browser: Browser;

beforeAll(async () => {
  ({ site: s, browser } = await seededDashboard());
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await s?.collector.stop();
});

/** A person's session as a script holds it: both cookies and the CSRF token the JSON log-in returns. */
async function session(name: 'wang' | 'li'): Promise<{ jar: CookieJar; csrf: string }> {
  const jar = new CookieJar();
  const res = await requestFrom(`${s.collector.url}/login`, {
    method: 'POST',
    jar,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: PASSWORD[name] }),
  });
  expect(res.status).toBe(200);
  return { jar, csrf: (JSON.parse(res.body) as { csrf: string }).csrf };
}

/** A dashboard form post with the session's token; the answer is the page's redirect. */
const formPost = (who: { jar: CookieJar; csrf: string }, path: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...fields, _csrf: who.csrf })) for (const x of [v].flat()) body.append(k, x);
  return requestFrom(`${s.collector.url}${path}`, { method: 'POST', jar: who.jar, body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
};
/** The refusal a redirect carries: its key and arguments (`error`, `error.<name>`), never its text. */
const errorOf = (location: unknown) => Object.fromEntries([...new URL(String(location), 'http://x').searchParams].filter(([k]) => k === 'error' || k.startsWith('error.')));

describe('dashboard safety', () => {
  it('an audit actor named with markup is shown as text in Chromium, never as an element', async () => {
    const evil = s.collector.token('engineer', 'acme', EVIL);
    const notes = await s.collector.request('PUT', '/api/v1/sites/acme/inspections/2026-11/notes', { token: evil, body: { notes: 'checked' } });
    expect(notes.status).toBe(200);
    expect((await new AuditLog(s.collector.store).forSite('acme', 5)).some((e) => e.actor === EVIL)).toBe(true);

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${s.collector.url}/login?next=/sites/acme/reports`);
    await page.fill('input[name=name]', 'wang');
    await page.fill('input[name=password]', PASSWORD.wang);
    await Promise.all([page.waitForURL(/\/sites\/acme\/reports/), page.click('#login button[type=submit]')]);
    await expect.poll(() => page.locator('#audit').count()).toBe(1);
    expect(await page.locator('#audit img').count()).toBe(0);
    expect(await page.locator('#audit td', { hasText: EVIL }).count()).toBeGreaterThan(0);
    expect(await page.title()).not.toBe('xss');
    await page.screenshot({ path: join(ARTIFACTS, 'safety-audit-actor.png'), fullPage: true });
    await context.close();
  });

  it('a page of another origin cannot log the browser in (log-in CSRF): its form post is refused', async () => {
    // The attacker's page, served from another port, posts the attacker's own credentials to /login.
    const evil = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<form id="f" method="post" action="${s.collector.url}/login"><input name="name" value="wang"><input name="password" value="${PASSWORD.wang}"></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // the victim has visited the collector before (the log-in page set its CSRF cookie)
      await page.goto(`${s.collector.url}/login`);
      const answer = page.waitForResponse((r) => r.url() === `${s.collector.url}/login` && r.request().method() === 'POST');
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      expect((await answer).status()).toBe(403);
      expect((await context.cookies()).some((c) => c.name === 'xj_session')).toBe(false);
    } finally {
      await context.close();
      await new Promise((r) => evil.close(r));
    }
  });

  it('a customer cannot sign a month through the API nor through the page: one rule, one message', async () => {
    const api = await s.collector.request('POST', '/api/v1/sites/acme/inspections/2026-11/sign', { token: s.tokens.customer });
    expect(api.status).toBe(403);
    const li = await session('li');
    const viaPage = await formPost(li, '/sites/acme/review/2026-11/sign', {});
    expect(viaPage.status).toBe(303);
    expect(errorOf(viaPage.headers.location)).toEqual({ error: 'roleNeeded', 'error.roles': 'engineer,admin' });
    const shown = await requestFrom(`${s.collector.url}${String(viaPage.headers.location)}`, { jar: li.jar });
    expect(shown.body).toContain('操作未完成：此操作需要服务工程师或管理员角色。');
    // the same rule refused the API: role first (token check), then the action's own message
    const asSession = await requestFrom(`${s.collector.url}/api/v1/sites/acme/inspections/2026-11/sign`, {
      method: 'POST', jar: li.jar, headers: { 'x-csrf-token': li.csrf },
    });
    expect(asSession.status).toBe(401); // the API takes bearer tokens, not the dashboard's cookie
    const record = (await (await s.collector.request('GET', '/api/v1/sites/acme/inspections/2026-11', { token: s.tokens.engineer })).json()) as { status: string };
    expect(record.status).toBe('draft');
    expect((await new AuditLog(s.collector.store).forSite('acme', 50)).filter((e) => e.action === 'inspection.sign')).toEqual([]);
  });

  it('a customer cannot move a ticket step the engineer owns, through either path', async () => {
    const api = await s.collector.request('POST', `/api/v1/tickets/${s.downTicketId}/respond`, { token: s.tokens.customer, body: {} });
    expect(api.status).toBe(403);
    const open = (await (await s.collector.request('GET', '/api/v1/tickets?site=acme&status=open', { token: s.tokens.engineer })).json()) as { id: number }[];
    expect(open.length).toBeGreaterThan(0);
    const li = await session('li');
    const viaPage = await formPost(li, `/sites/acme/tickets/${open[0]!.id}/step/respond`, { note: 'not mine to do' });
    expect(errorOf(viaPage.headers.location)).toEqual({ error: 'roleNeeded', 'error.roles': 'engineer,admin' });
    const after = (await (await s.collector.request('GET', `/api/v1/tickets/${open[0]!.id}`, { token: s.tokens.engineer })).json()) as { status: string };
    expect(after.status).toBe('open');
  });

  it('a maintenance request naming devices the site does not have is a 400 listing them, from the API and the page', async () => {
    const body = {
      site: 'acme', purpose: 'Replace PSU 2', engineer: 'wang', recorder: 'zhao', rollbackPlan: 'restore the configuration backup', customerRepresentative: 'Chen Jingli', removableMedia: 'none', steps: ['swap the PSU'], hardwareChanges: 'PSU', softwareChanges: '',
      expectedDurationMinutes: 60, windowStart: '2026-12-05T10:00:00.000Z', windowEnd: '2026-12-05T11:00:00.000Z', devices: ['db01', 'ghost-1', 'ghost-2'],
    };
    const api = await s.collector.request('POST', '/api/v1/maintenance', { token: s.tokens.engineer, body });
    expect(api.status).toBe(400);
    expect(await api.json()).toMatchObject({ error: 'unknown_devices', message: 'no such device at site acme: ghost-1, ghost-2' });
    const wang = await session('wang');
    const viaPage = await formPost(wang, '/sites/acme/maintenance', {
      purpose: body.purpose, engineer: 'wang', recorder: 'zhao', rollbackPlan: body.rollbackPlan, customerRepresentative: 'Chen Jingli', removableMedia: 'none', steps: 'swap the PSU', expectedDurationMinutes: '60',
      windowStart: '2026-12-05T10:00', windowEnd: '2026-12-05T11:00', devices: ['db01', 'ghost-1', 'ghost-2'],
    });
    expect(errorOf(viaPage.headers.location)).toEqual({ error: 'unknownDevices', 'error.hosts': 'ghost-1,ghost-2' });
    const stored = (await (await s.collector.request('GET', '/api/v1/maintenance?site=acme', { token: s.tokens.engineer })).json()) as unknown[];
    expect(stored).toEqual([]);
  });

  it('every change of the SLA profile and its priority rules is in the audit log, before and after', async () => {
    const rules = { priorityRules: [{ subject: 'SXKR-005', kind: 'server', priority: 'P2' }], responseHours: 1 };
    const put = await s.collector.request('PUT', '/api/v1/sites/acme/sla', { token: s.tokens.admin, body: rules });
    expect(put.status).toBe(200);
    const again = await s.collector.request('PUT', '/api/v1/sites/acme/sla', { token: s.tokens.admin, body: { priorityRules: [] } });
    expect(again.status).toBe(200);
    const entries = (await new AuditLog(s.collector.store).forSite('acme', 50)).filter((e) => e.action === 'sla.set');
    expect(entries).toHaveLength(2);
    expect(JSON.parse(entries[0]!.detail!)).toEqual({ before: rules, after: { priorityRules: [] } });
    expect(JSON.parse(entries[1]!.detail!)).toEqual({ before: {}, after: rules });
    expect(entries[0]).toMatchObject({ actor: 'root', role: 'admin' });
    // an engineer may not change it, and a refused change writes nothing
    expect((await s.collector.request('PUT', '/api/v1/sites/acme/sla', { token: s.tokens.engineer, body: rules })).status).toBe(403);
    expect((await new AuditLog(s.collector.store).forSite('acme', 50)).filter((e) => e.action === 'sla.set')).toHaveLength(2);
  });

  it('answers every route of the route table with Cache-Control: no-store (the static files excepted)', async () => {
    const wang = await session('wang');
    const routes = s.collector.app.routeTable;
    expect(routes.length).toBeGreaterThan(60);
    const wrong: string[] = [];
    for (const route of routes) {
      const path = pathWith(route.url);
      // reads as an admin (site data), writes without a token (the 401 names nothing, but is not kept either), pages with a session
      const res = route.url.startsWith('/api/') || route.method !== 'GET'
        ? await s.collector.request(route.method, path, route.method === 'GET' ? { token: s.tokens.admin } : {})
        : await requestFrom(`${s.collector.url}${path}`, { jar: wang.jar });
      const status = 'status' in res ? res.status : 0;
      const header = res instanceof Response ? res.headers.get('cache-control') : (res.headers['cache-control'] as string | undefined);
      const expected = route.url.startsWith('/static/') ? 'public, max-age=300' : 'no-store';
      if (header !== expected) wrong.push(`${route.method} ${route.url} → ${status} ${header}`);
    }
    expect(wrong).toEqual([]);
    // a printable report, a CSV export and a page, explicitly
    for (const path of ['/api/v1/sites/acme/reports/inspection?month=2026-11', '/api/v1/sites/acme/reports/products?format=csv', '/api/v1/sites/acme/reports/inspection?month=2026-11&format=pdf']) {
      expect((await s.collector.request('GET', path, { token: s.tokens.customer })).headers.get('cache-control')).toBe('no-store');
    }
  });
});
