import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import type { RouteEntry } from '../../collector/app.js';
import { REPORT_KINDS } from '../../collector/reports/index.js';
import { hashPassword, OPAQUE_REPORT_ID, UsersRepository } from '../../collector/users/index.js';
import { CHECK_IDS, type Report } from '../../schemas/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { pdfText } from '../reports/seed.js';

/**
 * Confidentiality (service plan 3.4.5), walked from the route table so a route added later is
 * held to it too: a customer token and a logged-in customer read every GET route they may read
 * (API and pages), every report kind in every format (HTML, PDF through pdftotext, CSV, XLSX,
 * JSON), and find no address of the seeded devices — not in fields, reasons, commands, component
 * names, log lines, ticket symptoms, nor inside report ids built from an address by older sources
 * (`snmp-10.20.30.40-161-…`, `ssh-fd00_1234__42-…`, which customers see as aliases that still
 * open the report). An engineer reading the same routes finds the addresses.
 */
const V4 = '10.20.30.40';
const V6 = 'fd00:1234::42';
const NEEDLES = [V4, V6, 'fd00_1234__42', '10_20_30_40'];
const NOW = new Date('2026-11-20T10:30:00.000Z');
const AT = new Date('2026-11-20T10:00:00.000Z');
const SNMP_ID = `snmp-${V4}-161-20261120T100000-ab12cd`;
const SSH_ID = 'ssh-fd00_1234__42-1763632800000-abcd1234';
const FIELD_ID = `ssh-${V4.replaceAll('.', '_')}-1763632800001-ffff0000`;

let c: TestCollector;
const tokens = {} as Record<'customer' | 'engineer', string>;
let session = '';
const ids = { tickets: [] as number[], maintenance: [] as number[] };

/** An agent report of `hostname` whose every free text names an address. */
function addressed(id: string, hostname: string, at = AT): Report {
  const r = realisticReport({ id, hostname, at, site: 'acme' });
  r.identity.addresses = [V4, V6];
  r.gaps = [{ check: 'SXKR-003', reason: `no answer from ${V4}:161 after 3 tries`, command: `GET ifTable (${V6})` }];
  r.measurements.push(
    { check: 'SXKR-006', component: 'journal', metric: 'log.entry', value: `sshd: error: Failed password for root from ${V4} port 52114 ssh2`, command: `journalctl -p err --host ${V4}`, at: at.toISOString(), severity: 'error' },
    { check: 'SXKR-006', component: 'journal', metric: 'log.entry', value: `bgp: peer ${V6} down`, command: 'journalctl -p err', at: at.toISOString(), severity: 'critical' },
    { check: 'SXKR-003', component: `Vlan10 ${V4}`, metric: 'module.state', value: 'down', command: `snmpget ${V4} ifOperStatus.10`, at: at.toISOString(), status: 'fault' },
  );
  return r;
}

beforeAll(async () => {
  c = await startTestCollector({ silenceScanSeconds: 0 }, { now: () => NOW });
  tokens.customer = c.token('customer', 'acme');
  tokens.engineer = c.token('engineer', 'acme');
  for (const r of [addressed(SNMP_ID, 'core-sw1'), addressed(SSH_ID, 'db01')]) {
    const res = await c.request('POST', '/api/v1/reports', { token: tokens.engineer, body: r });
    expect(res.status, await res.text()).toBe(201);
  }
  // A field inspection uploaded by an older CLI, its id built from the address.
  const field = addressed(FIELD_ID, 'app01', new Date('2026-11-20T10:05:00.000Z'));
  const upload = await c.request('POST', '/api/v1/sites/acme/inspections/2026-11', { token: tokens.engineer, body: [{ report: field, results: evaluateReport(field) }] });
  expect(upload.status, await upload.text()).toBe(201);
  const tickets = (await (await c.request('GET', '/api/v1/tickets', { token: tokens.engineer })).json()) as { id: number; symptom: string }[];
  ids.tickets = tickets.map((t) => t.id);
  expect(tickets.some((t) => t.symptom.includes(V4) || t.symptom.includes(V6)), 'a ticket symptom carries an address').toBe(true);
  const at = (h: number) => new Date(NOW.getTime() + h * 3_600_000).toISOString();
  const m = await c.request('POST', '/api/v1/maintenance', {
    token: tokens.engineer,
    body: { site: 'acme', purpose: 'swap PSU', engineer: 'Zhang San', recorder: 'Li Si', rollbackPlan: 'restore the configuration backup', customerRepresentative: 'Chen Jingli', removableMedia: 'none', steps: ['swap'], hardwareChanges: 'PSU', softwareChanges: 'none', expectedDurationMinutes: 30, windowStart: at(30), windowEnd: at(31), devices: ['db01'] },
  });
  ids.maintenance = [((await m.json()) as { id: number }).id];
  await new UsersRepository(c.store).create({ name: 'li', role: 'customer', passwordHash: await hashPassword('customer-pass-1'), sites: ['acme'] });
  const login = await c.request('POST', '/login', { body: { name: 'li', password: 'customer-pass-1' } });
  session = login.headers.get('set-cookie')!.split(';')[0]!;
  // The customer reads a month's record once the engineer has signed it (a draft is a 404 for them).
  expect((await c.request('POST', '/api/v1/sites/acme/inspections/2026-11/sign', { token: tokens.engineer, body: {} })).status).toBe(200);
}, 90_000);

afterAll(async () => c?.stop());

/** GET routes a customer may be answered on: API routes open to the customer role, and pages. */
const customerReadable = (r: RouteEntry) =>
  r.method === 'GET' &&
  (r.auth ? r.auth.roles.includes('customer') : !/^\/(docs|static|login|healthz|metrics)\b/.test(r.url) && !r.url.includes('*'));

/** The report ids the reader was shown, read back from the routes that list them. */
async function shownReportIds(headers: Record<string, string>): Promise<string[]> {
  const found = new Set<string>();
  for (const host of ['core-sw1', 'db01']) {
    const res = (await (await fetch(`${c.url}/api/v1/sites/acme/devices/${host}/reports`, { headers })).json()) as { reports: { id: string }[] };
    for (const r of res.reports) found.add(r.id);
  }
  const rows = (await (await fetch(`${c.url}/api/v1/sites/acme/inspections/2026-11`, { headers })).json()) as { rows: { reportId: string | null }[] };
  for (const r of rows.rows) if (r.reportId) found.add(r.reportId);
  return [...found];
}

/** Every concrete path of a route: each path parameter over every seeded value, plus the queries that matter. */
function pathsOf(route: RouteEntry, reportIds: string[]): string[] {
  const values: Record<string, string[]> = {
    site: ['acme'],
    hostname: ['core-sw1', 'db01', 'app01'],
    host: ['core-sw1', 'db01', 'app01'],
    month: ['2026-11'],
    check: [...CHECK_IDS],
    kind: [...REPORT_KINDS],
    id: route.url.includes('/tickets/') ? ids.tickets.map(String) : route.url.includes('/maintenance/') ? ids.maintenance.map(String) : reportIds,
  };
  let paths = [route.url];
  for (const name of route.url.match(/:(\w+)/g) ?? []) {
    const options = values[name.slice(1)] ?? [];
    paths = paths.flatMap((p) => options.map((v) => p.replace(name, encodeURIComponent(v))));
  }
  if (route.url === '/api/v1/sites/:site/reports/:kind') {
    paths = paths.flatMap((p) => ['html', 'pdf', 'csv', 'xlsx', 'json'].map((f) => `${p}?month=2026-11&quarter=2026-Q4&half=2026-H2&format=${f}`));
    paths.push(...ids.tickets.map((t) => `/api/v1/sites/acme/reports/faults?ticket=${t}&format=json`));
  }
  if (route.url === '/sites/:site/cell') paths = ['core-sw1', 'db01', 'app01'].flatMap((d) => CHECK_IDS.map((k) => `/sites/acme/cell?month=2026-11&device=${d}&check=${k}`));
  if (route.url === '/api/v1/sites/:site/products') paths.push('/api/v1/sites/acme/products?format=csv');
  if (route.url === '/sites/:site/review') paths = ['/sites/acme/review?month=2026-11'];
  return paths;
}

async function textOf(res: Response, name: string): Promise<string> {
  const type = res.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await res.arrayBuffer());
  if (type.includes('pdf')) return pdfText(bytes, c.dir, name);
  if (type.includes('spreadsheetml')) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
    return cells.join('\n');
  }
  return bytes.toString('utf8');
}

/** Reads every path; returns the addresses found (path: needle) and how many answers were read. */
async function walk(headers: Record<string, string>, idsFrom = headers): Promise<{ leaks: string[]; read: string[]; reportIds: string[] }> {
  const reportIds = await shownReportIds(idsFrom);
  const leaks: string[] = [];
  const read: string[] = [];
  let n = 0;
  for (const route of c.app.routeTable.filter(customerReadable)) {
    for (const path of pathsOf(route, reportIds)) {
      const res = await fetch(`${c.url}${path}`, { headers, redirect: 'manual' });
      if (res.status !== 200) {
        expect(res.status, `${path}: ${await res.text()}`).toBeLessThan(500);
        continue;
      }
      const text = await textOf(res, `walk-${n++}`);
      read.push(path);
      for (const needle of NEEDLES) if (text.toLowerCase().includes(needle.toLowerCase())) leaks.push(`${path}: ${needle}`);
      if (text.includes('ssh-fd00') || text.includes(`snmp-${V4}`)) leaks.push(`${path}: an id built from an address`);
    }
  }
  return { leaks, read, reportIds };
}

describe('no address of a seeded device reaches a customer', () => {
  /** The walk read what matters: pages, and every report kind in every format. */
  function readTheEssentials(read: string[]) {
    for (const must of ['/sites/acme/devices/db01', '/sites/acme/review?month=2026-11', '/sites/acme/cell?month=2026-11&device=db01&check=SXKR-006', `/sites/acme/tickets/${ids.tickets[0]}`]) {
      expect(read).toContain(must);
    }
    for (const f of ['html', 'pdf', 'csv', 'xlsx', 'json']) {
      for (const kind of REPORT_KINDS) expect(read).toContain(`/api/v1/sites/acme/reports/${kind}?month=2026-11&quarter=2026-Q4&half=2026-H2&format=${f}`);
    }
  }

  it('a customer token reads every API route, page and report format without one; report ids are aliases that open the report', async () => {
    const { leaks, read, reportIds } = await walk({ authorization: `Bearer ${tokens.customer}` });
    expect(leaks).toEqual([]);
    expect(reportIds.length).toBe(3);
    for (const id of reportIds) expect(id).toMatch(OPAQUE_REPORT_ID);
    // The two reports the collector received open by their alias (the field upload's form has no stored report).
    expect(reportIds.filter((id) => read.includes(`/api/v1/reports/${id}`) && read.includes(`/api/v1/reports/${id}/measurements`)).length).toBe(2);
    for (const must of ['/api/v1/sites/acme/devices/core-sw1/results', '/api/v1/sites/acme/devices/db01/results/SXKR-006', '/api/v1/sites/acme/inspections/2026-11', `/api/v1/tickets/${ids.tickets[0]}`, '/api/v1/tickets']) {
      expect(read).toContain(must);
    }
    readTheEssentials(read);
  }, 300_000);

  it('a logged-in customer reads every page and report format without one', async () => {
    const { leaks, read } = await walk({ cookie: session }, { authorization: `Bearer ${tokens.customer}` });
    expect(leaks).toEqual([]);
    readTheEssentials(read);
  }, 300_000);

  it('a customer reporting a fault that is already open gets that ticket back without an address; an engineer gets it whole', async () => {
    const all = (await (await c.request('GET', '/api/v1/tickets', { token: tokens.engineer })).json()) as { id: number; device: string; subject: string; symptom: string }[];
    const open = all.find((t) => t.subject !== 'manual' && (t.symptom.includes(V4) || t.symptom.includes(V6)));
    expect(open, 'an open ticket whose symptom names an address').toBeDefined();
    const report = { site: 'acme', device: open!.device, subject: open!.subject, symptom: '机房告警灯亮' };
    const asCustomer = await c.request('POST', '/api/v1/tickets', { token: tokens.customer, body: report });
    const customerText = await asCustomer.text();
    expect(asCustomer.status, customerText).toBe(200);
    expect((JSON.parse(customerText) as { id: number }).id).toBe(open!.id);
    for (const needle of [V4, V6]) expect(customerText).not.toContain(needle);
    const asEngineer = await c.request('POST', '/api/v1/tickets', { token: tokens.engineer, body: report });
    const engineerText = await asEngineer.text();
    expect(asEngineer.status, engineerText).toBe(200);
    expect([V4, V6].some((needle) => engineerText.includes(needle))).toBe(true);
  });

  it('an engineer reading the same routes finds the addresses and the original ids (the walk can fail)', async () => {
    const { leaks, reportIds } = await walk({ authorization: `Bearer ${tokens.engineer}` });
    expect(reportIds).toEqual(expect.arrayContaining([SNMP_ID, SSH_ID, FIELD_ID]));
    for (const needle of [V4, V6]) expect(leaks.some((l) => l.endsWith(`: ${needle}`))).toBe(true);
    expect(leaks.filter((l) => l.includes('/reports/inspection?') && l.endsWith(V4)).length).toBeGreaterThan(0);
  }, 300_000);
});
