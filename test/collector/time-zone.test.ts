import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inspection, Report } from '../../schemas/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { pdfText } from '../reports/seed.js';

/*
 * The site's time zone through a real collector and database (issue 11): months are cut at local
 * midnight, every printed time is local with its offset, the zone is set by an editor, validated
 * and audited. Times are set by the app's clock, never the wall clock.
 */
let c: TestCollector;
let clock = new Date('2026-11-30T12:00:00.000Z');
const t = {} as Record<'engineer' | 'customer' | 'admin', string>;

// 23:59:59 on 30 November and 00:00:00 on 1 December, China time (UTC+8).
const LAST_SECOND_OF_NOVEMBER = '2026-11-30T15:59:59.000Z';
const FIRST_SECOND_OF_DECEMBER = '2026-11-30T16:00:00.000Z';

beforeAll(async () => {
  c = await startTestCollector({}, { now: () => clock });
  t.engineer = c.token('engineer', 'acme', 'Zhang San');
  t.customer = c.token('customer', 'acme', 'Customer rep');
  t.admin = c.token('admin', null);
  await send('db01', LAST_SECOND_OF_NOVEMBER);
  await send('db02', FIRST_SECOND_OF_DECEMBER);
  clock = new Date('2026-11-30T17:30:00.000Z'); // 01:30 on 1 December in China
}, 60_000);
afterAll(async () => c?.stop());

async function send(hostname: string, at: string) {
  clock = new Date(at);
  const body: Report = realisticReport({ hostname, at: new Date(at) });
  const res = await c.request('POST', '/api/v1/reports', { token: c.agentFor('acme', hostname), body });
  expect(res.status).toBe(201);
}
async function call<T = any>(method: string, url: string, token: string, body?: unknown) {
  const res = await c.request(method, url, { token, body });
  return { status: res.status, body: (await res.json()) as T };
}
const filedIn = async (month: string) => {
  // The engineer's view: these months are drafts, which a customer cannot read until signed.
  const r = await call<Inspection>('GET', `/api/v1/sites/acme/inspections/${month}`, t.engineer);
  expect(r.status).toBe(200);
  return [...new Set(r.body.rows.filter((row) => row.reportId).map((row) => row.device))].sort();
};
async function products(format: 'html' | 'csv' | 'pdf' | 'xlsx'): Promise<string> {
  const res = await c.request('GET', `/api/v1/sites/acme/reports/products?format=${format}&lang=en`, { token: t.engineer });
  expect(res.status).toBe(200);
  if (format === 'html' || format === 'csv') return res.text();
  const buf = Buffer.from(await res.arrayBuffer());
  if (format === 'pdf') return pdfText(buf, c.dir, `products-${clock.getTime()}`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const cells: string[] = [];
  wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value)))));
  return cells.join('\n');
}

describe('site time zone', () => {
  it('defaults to Asia/Shanghai for a site nobody configured', async () => {
    const site = await call('GET', '/api/v1/sites/acme', t.customer);
    expect(site.body.timeZone).toBe('Asia/Shanghai');
  });

  it('files 23:59:59 China time on 30 November in November and 00:00:00 on 1 December in December', async () => {
    expect(await filedIn('2026-11')).toEqual(['db01']);
    expect(await filedIn('2026-12')).toEqual(['db02']);
  });

  it('cuts the default month and quarter of a report at local midnight', async () => {
    clock = new Date('2026-09-30T16:30:00.000Z'); // 00:30 on 1 October in China, still Q3 in UTC
    const health = await call<{ period: string }>('GET', '/api/v1/sites/acme/reports/health?format=json', t.engineer);
    expect(health.body.period).toBe('2026-Q4');
    clock = new Date('2026-11-30T17:30:00.000Z');
    const perf = await call<{ period: string }>('GET', '/api/v1/sites/acme/reports/performance?format=json', t.engineer);
    expect(perf.body.period).toBe('2026-12');
  });

  it("a log entry's time in SXKR-006's result reads local, with the offset", async () => {
    const at = '2026-11-30T16:30:00.000Z'; // 00:30 on 1 December in China
    // Its own site (default zone): the other tests count acme's devices.
    const body: Report = realisticReport({ hostname: 'log01', at: new Date(at), site: 'logs' });
    body.measurements.push({ check: 'SXKR-006', component: 'journal', metric: 'log.entry', value: 'kernel: EXT4-fs error', command: 'journalctl -p err', at, severity: 'error' });
    const res = await c.request('POST', '/api/v1/reports', { token: c.agentFor('logs', 'log01'), body });
    expect(res.status).toBe(201);
    const stored = await call<{ results: { check: string; result: { components: { reason?: string; actual: string }[] } }[] }>('GET', '/api/v1/sites/logs/devices/log01/results', t.admin);
    const log = stored.body.results.find((r) => r.check === 'SXKR-006')!.result.components.find((x) => x.reason)!;
    expect(log.reason).toContain('2026-12-01T00:30+08:00');
    expect(log.actual).toContain('2026-12-01T00:30+08:00 error: kernel: EXT4-fs error');
    expect(JSON.stringify(log)).not.toContain('16:30');
  });

  it.each(['html', 'pdf', 'csv', 'xlsx'] as const)('prints local time with its offset in %s', async (format) => {
    // A narrow PDF column wraps a time onto the next line, between its neighbours' lines: compare
    // with whitespace squeezed, and in the PDF let a few of the neighbours' words come between.
    const text = (await products(format)).replace(/\s+/g, ' ');
    const local = (day: string, time: string) => new RegExp(`${day}(?: \\S+){0,4} ${time} \\+08:00`);
    expect(text).toMatch(format === 'pdf' ? local('2026-11-30', '23:59') : /2026-11-30 23:59 \+08:00/); // db01 last seen
    expect(text).toMatch(format === 'pdf' ? local('2026-12-01', '00:00') : /2026-12-01 00:00 \+08:00/); // db02 last seen
    expect(text).not.toContain('UTC');
    if (format !== 'csv') expect(text).toContain('2026-12-01 01:30 +08:00'); // generated (the CSV is one table)
  });

  it('the product list API: JSON keeps ISO instants, its CSV prints local time with the offset', async () => {
    const json = await call<{ products: { hostname: string; lastSeen: string }[] }>('GET', '/api/v1/sites/acme/products', t.engineer);
    expect(json.body.products.find((p) => p.hostname === 'db02')?.lastSeen).toBe('2026-11-30T16:00:00.000Z');
    const csv = await (await c.request('GET', '/api/v1/sites/acme/products?format=csv', { token: t.engineer })).text();
    expect(csv).toContain('2026-12-01 00:00 +08:00');
    expect(csv).not.toContain('T16:00:00');
  });

  it('refuses a zone Intl does not know with a 400 that names it, and changes nothing', async () => {
    for (const zone of ['Mars/Olympus', '+08:00', 'Asia/Shanghai\n']) {
      const res = await call('PATCH', '/api/v1/sites/acme', t.engineer, { timeZone: zone });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('timeZone');
    }
    expect((await call('PATCH', '/api/v1/sites/acme', t.customer, { timeZone: 'Europe/London' })).status).toBe(403);
    expect((await call('GET', '/api/v1/sites/acme', t.customer)).body.timeZone).toBe('Asia/Shanghai');
  });

  it('an engineer moves the site to Europe/London: audited, and the same instants land in other months and print in GMT', async () => {
    const res = await call('PATCH', '/api/v1/sites/acme', t.engineer, { timeZone: 'europe/london' });
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe('Europe/London');
    const audit = await call<{ entries: { action: string; actor: string; detail: string | null }[] }>('GET', '/api/v1/sites/acme/audit', t.admin);
    const entry = audit.body.entries.find((e) => e.action === 'site.update');
    expect(entry).toMatchObject({ actor: 'Zhang San' });
    expect(entry?.detail).toContain('Europe/London');
    // 16:00:00Z is still 30 November in London.
    expect(await filedIn('2026-11')).toEqual(['db01', 'db02']);
    expect(await filedIn('2026-12')).toEqual([]);
    const csv = await products('csv');
    expect(csv).toContain('2026-11-30 16:00 +00:00');
    expect(csv).not.toContain('+08:00');
  });
});
