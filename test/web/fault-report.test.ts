import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_KINDS, TICKET_STATUSES, type Ticket } from '../../schemas/index.js';
import type { SeededSite } from '../reports/seed.js';
import { ARTIFACTS, logInAs, seededDashboard } from './fixtures/seeded-dashboard.js';

/**
 * The tickets page's 报障 form in headless Chromium: an engineer and a customer each report a
 * fault and land on its ticket; the form goes through the same action as POST /api/v1/tickets
 * (a customer gets the site's priority mapping, cannot name another site's device or a priority);
 * a refusal comes back on the page in the reader's language with what was typed; a fault already
 * open lands on its ticket.
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

async function allTickets(): Promise<Ticket[]> {
  const res = await s.collector.request('GET', '/api/v1/tickets?limit=9999', { token: s.tokens.admin });
  expect(res.status).toBe(200);
  const list = (await res.json()) as Ticket[];
  expect(list.length).toBeGreaterThan(0);
  return list;
}
const ticketOf = async (id: number): Promise<Ticket> => (await (await s.collector.request('GET', `/api/v1/tickets/${id}`, { token: s.tokens.engineer })).json()) as Ticket;
const ticketIdIn = (url: string): number => Number(/\/sites\/acme\/tickets\/(\d+)\?reported=/.exec(url)?.[1]);

/** Submits the form and waits for the page it answers with (a ticket, or the tickets page again). */
async function submit(page: Page): Promise<number> {
  const [res] = await Promise.all([page.waitForNavigation(), page.click('#report-form button[type=submit]')]);
  return res?.status() ?? 0;
}

/** A form post made by hand from the logged-in page (its cookie and CSRF token), as a forger would. */
async function forge(page: Page, path: string, fields: Record<string, string>): Promise<number> {
  return page.evaluate(
    async ({ path, fields }) => {
      const csrf = document.querySelector<HTMLInputElement>('#report-form input[name=_csrf]')?.value ?? '';
      const res = await fetch(path, { method: 'POST', headers: { accept: 'text/html' }, body: new URLSearchParams({ ...fields, _csrf: csrf }), redirect: 'manual' });
      return res.status;
    },
    { path, fields },
  );
}

describe('报障 form in Chromium', () => {
  it('an engineer reports a fault of a device on record with a priority and lands on the new ticket', async () => {
    const eng = await logInAs(browser, s.collector.url, 'wang', '/sites/acme/tickets?lang=zh');
    expect(await eng.locator('#report-form select[name=priority]').count()).toBe(1);
    await eng.selectOption('#report-form select[name=device]', 'db01');
    await eng.selectOption('#report-form select[name=subject]', 'SXKR-002');
    await eng.fill('#report-form textarea[name=symptom]', '内存占用持续 95%，应用响应慢');
    await eng.fill('#report-form textarea[name=suspectedCause]', '应用内存泄漏');
    await eng.selectOption('#report-form select[name=priority]', 'P2');
    await eng.screenshot({ path: join(ARTIFACTS, '30-report-form-engineer.png'), fullPage: true });
    expect(await submit(eng)).toBe(200);
    const id = ticketIdIn(eng.url());
    expect(eng.url()).toContain('reported=new');
    expect(await eng.textContent('#reported')).toContain(`#${id}`);
    expect(await ticketOf(id)).toMatchObject({ site: 'acme', device: 'db01', subject: 'SXKR-002', priority: 'P2', status: 'open', symptom: '内存占用持续 95%，应用响应慢', suspectedCause: '应用内存泄漏' });
    expect((await ticketOf(id)).events[0]).toMatchObject({ event: 'open', by: 'wang' });
    // The action's audit entry, as for the API.
    const audit = (await (await s.collector.request('GET', '/api/v1/sites/acme/audit?limit=20', { token: s.tokens.engineer })).json()) as { entries: { actor: string; action: string; subject: string | null }[] };
    expect(audit.entries).toContainEqual(expect.objectContaining({ actor: 'wang', action: 'ticket.open', subject: `#${id}` }));
    await eng.context().close();
  });

  it("a customer reports a device not on record, gets the site's priority mapping and lands on the ticket; no priority to choose, no address, no other site's device", async () => {
    const cust = await logInAs(browser, s.collector.url, 'li', '/sites/acme/tickets?lang=zh');
    expect(await cust.locator('#report-form select[name=priority]').count()).toBe(0);
    expect(await cust.textContent('#report-priority-rule')).toContain('服务合同');
    const options = await cust.locator('#report-form select[name=device] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(expect.arrayContaining(['db01', 'db02', 'db03', 'app04', '__other__', '__none__']));
    expect(options).not.toContain('secret01');
    const html = await cust.content();
    expect(html).not.toContain('10.1.2.3');
    expect(html).not.toContain('secret01');

    await cust.selectOption('#report-form select[name=device]', '__other__');
    await cust.fill('#report-form input[name=otherName]', 'printer-3f');
    await cust.selectOption('#report-form select[name=otherKind]', 'storage');
    await cust.fill('#report-form textarea[name=symptom]', '三楼存储柜告警灯常亮');
    expect(await submit(cust)).toBe(200);
    const id = ticketIdIn(cust.url());
    expect(await cust.textContent('#reported')).toContain('已提交报障');
    // The mapping's priority for a fault reported by a person (manual → P3), opened by the customer.
    expect(await ticketOf(id)).toMatchObject({ device: 'printer-3f', deviceKind: 'storage', subject: 'manual', priority: 'P3', emergency: false, openedBy: 'li' });
    await cust.context().close();
  });

  it("refuses a customer's forged post naming another site's device, another site or a priority: nothing created", async () => {
    const cust = await logInAs(browser, s.collector.url, 'li', '/sites/acme/tickets?lang=zh');
    const before = (await allTickets()).length;
    const fault = { subject: 'manual', symptom: '伪造的报障' };
    expect(await forge(cust, '/sites/acme/tickets?lang=zh', { ...fault, device: 'secret01' })).toBe(400);
    expect(await forge(cust, '/sites/globex/tickets?lang=zh', { ...fault, device: 'secret01' })).toBe(403);
    expect(await forge(cust, '/sites/acme/tickets?lang=zh', { ...fault, device: 'db01', priority: 'P1' })).toBe(403);
    // A post without the CSRF token is refused like every other form.
    const noCsrf = await cust.evaluate(async () => (await fetch('/sites/acme/tickets', { method: 'POST', body: new URLSearchParams({ device: 'db01', symptom: 'x' }), redirect: 'manual' })).status);
    expect(noCsrf).toBe(403);
    expect((await allTickets()).length).toBe(before);
    // Not entered by hand at acme either: the action never ran.
    const onRecord = async (host: string) => (await s.collector.request('GET', `/api/v1/sites/acme/devices/${host}/firmware`, { token: s.tokens.engineer })).status;
    expect(await onRecord('db01')).toBe(200);
    expect(await onRecord('secret01')).toBe(404);
    await cust.context().close();
  });

  it('an empty symptom comes back on the page in Chinese and in English, with what was typed kept; never a 5xx', async () => {
    const eng = await logInAs(browser, s.collector.url, 'wang', '/sites/acme/tickets?lang=zh');
    const before = (await allTickets()).length;
    await eng.selectOption('#report-form select[name=device]', '__other__');
    await eng.fill('#report-form input[name=otherName]', 'core-sw9');
    await eng.selectOption('#report-form select[name=otherKind]', 'switch');
    // Spaces pass the browser's `required`; the action refuses them.
    await eng.fill('#report-form textarea[name=symptom]', '   ');
    await eng.fill('#report-form textarea[name=suspectedCause]', '上联光模块老化');
    await eng.selectOption('#report-form select[name=priority]', 'P1');
    expect(await submit(eng)).toBe(400);
    expect(await eng.textContent('#report-errors')).toContain('请填写故障现象');
    expect(await eng.inputValue('#report-form select[name=device]')).toBe('__other__');
    expect(await eng.inputValue('#report-form input[name=otherName]')).toBe('core-sw9');
    expect(await eng.inputValue('#report-form select[name=otherKind]')).toBe('switch');
    expect(await eng.inputValue('#report-form textarea[name=suspectedCause]')).toBe('上联光模块老化');
    expect(await eng.inputValue('#report-form select[name=priority]')).toBe('P1');
    await eng.screenshot({ path: join(ARTIFACTS, '31-report-form-refused-zh.png'), fullPage: true });

    // In English, the browser's own check taken away: an empty symptom and "other" without a name.
    await eng.goto(`${s.collector.url}/sites/acme/tickets?lang=en`);
    await eng.evaluate(() => document.querySelector('#report-form textarea[name=symptom]')?.removeAttribute('required'));
    await eng.selectOption('#report-form select[name=device]', '__other__');
    await eng.fill('#report-form textarea[name=suspectedCause]', 'fibre <b>module</b>');
    expect(await submit(eng)).toBe(400);
    expect(await eng.textContent('#report-errors')).toContain('type the device’s name');
    expect(await eng.inputValue('#report-form textarea[name=suspectedCause]')).toBe('fibre <b>module</b>');
    await eng.fill('#report-form input[name=otherName]', 'core-sw9');
    await eng.evaluate(() => document.querySelector('#report-form textarea[name=symptom]')?.removeAttribute('required'));
    expect(await submit(eng)).toBe(400);
    expect(await eng.textContent('#report-errors')).toContain('Describe the symptom');
    // A device name the action's name rule refuses is named as such.
    await eng.fill('#report-form input[name=otherName]', '=cmd|x');
    await eng.fill('#report-form textarea[name=symptom]', 'down');
    expect(await submit(eng)).toBe(400);
    expect(await eng.textContent('#report-errors')).toContain('A device name is printable characters');
    expect((await allTickets()).length).toBe(before);
    await eng.context().close();
  });

  it('a <script> in the symptom is shown as text, on the ticket and in the list', async () => {
    const eng = await logInAs(browser, s.collector.url, 'wang', '/sites/acme/tickets?lang=zh');
    const symptom = '<script>window.__injected = 1</script><img src=x onerror="window.__injected = 2">';
    await eng.selectOption('#report-form select[name=device]', 'app04');
    await eng.fill('#report-form textarea[name=symptom]', symptom);
    expect(await submit(eng)).toBe(200);
    expect(await eng.textContent('body')).toContain(symptom);
    expect(await eng.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
    await eng.goto(`${s.collector.url}/sites/acme/tickets?lang=zh`);
    expect(await eng.textContent('#tickets')).toContain('<script>');
    expect(await eng.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
    await eng.context().close();
  });

  it('reporting a fault that is already open lands on the open ticket and says so; nothing new opened', async () => {
    // The seeded db02 reported a failed power supply: its SXKR-004 ticket is open.
    const open = (await allTickets()).find((tk) => tk.device === 'db02' && tk.subject === 'SXKR-004' && tk.status !== 'closed');
    expect(open).toBeDefined();
    const before = (await allTickets()).length;
    const cust = await logInAs(browser, s.collector.url, 'li', '/sites/acme/tickets?lang=zh');
    await cust.selectOption('#report-form select[name=device]', 'db02');
    await cust.selectOption('#report-form select[name=subject]', 'SXKR-004');
    await cust.fill('#report-form textarea[name=symptom]', '电源指示灯红色');
    expect(await submit(cust)).toBe(200);
    expect(ticketIdIn(cust.url())).toBe(open!.id);
    expect(await cust.getAttribute('#reported', 'data-reported')).toBe('existing');
    expect(await cust.textContent('#reported')).toContain(`已有未关闭的故障单 #${open!.id}`);
    expect((await allTickets()).length).toBe(before);
    await cust.context().close();
  });

  it('every field of the form has its label, and the form fits at 1440 and 390 px (screenshots)', async () => {
    for (const who of ['wang', 'li'] as const) {
      const page = await logInAs(browser, s.collector.url, who, '/sites/acme/tickets?lang=zh');
      const unlabelled = await page.locator('#report-form :is(input:not([type=hidden]), select, textarea)').evaluateAll((els) =>
        els.filter((e) => !(e as HTMLInputElement).labels?.length).map((e) => e.getAttribute('name')),
      );
      expect(unlabelled, who).toEqual([]);
      for (const width of [1440, 390]) {
        await page.setViewportSize({ width, height: 900 });
        await page.locator('#report-fault').screenshot({ path: join(ARTIFACTS, `33-report-form-${who}-${width}.png`) });
        // Nothing of the form is cut off at phone width: it fits the viewport.
        const box = await page.locator('#report-form').boundingBox();
        expect(box!.x + box!.width, `${who} at ${width}px`).toBeLessThanOrEqual(width);
      }
      await page.context().close();
    }
  });

  it('the Chinese form has no enum word in it, for the engineer and the customer', async () => {
    const codes = [...DEVICE_KINDS.filter((k) => k !== 'ups'), ...TICKET_STATUSES, 'manual', 'down', 'other', 'none', 'engineer', 'customer'];
    const enumWord = new RegExp(`(?<![\\w.-])(?:${codes.join('|')})(?![\\w.-])`, 'i');
    for (const who of ['wang', 'li'] as const) {
      const page = await logInAs(browser, s.collector.url, who, '/sites/acme/tickets?lang=zh');
      // What a person reads: the text, and every option of the selects (innerText leaves closed selects out).
      const words = await page.locator('#report-fault').evaluate((el) => [(el as HTMLElement).innerText, ...[...el.querySelectorAll('option')].map((o) => o.textContent ?? '')].join('\n'));
      expect(words).toContain('报障');
      expect(words, who).not.toMatch(enumWord);
      await page.context().close();
    }
  });
});
