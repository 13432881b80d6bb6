import type { Report } from '../../schemas/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/** Sites, devices, latest results, history, reports, product list, docs, health and metrics. */
describe('read API and the equipment record', () => {
  let c: TestCollector;
  /** Reports go in with the agent token of their own device (an agent token speaks for one device). */
  const asAgent = (body: Report) => ({ token: c.agentFor(body.site ?? 'acme', body.identity.hostname), body });
  let agent: string;
  let engineer: string;
  let customer: string;
  let otherCustomer: string;
  const hour = (h: number) => new Date(Date.UTC(2026, 10, 28, h));

  beforeAll(async () => {
    c = await startTestCollector();
    agent = c.token('agent', 'acme');
    engineer = c.token('engineer', 'acme');
    customer = c.token('customer', 'acme');
    otherCustomer = c.token('customer', 'globex');
    // Five hourly reports of db01: CPU rising; the 3rd has a PSU fault; one of web01.
    for (let h = 1; h <= 5; h++) {
      const res = await c.request('POST', '/api/v1/reports', {
        token: agent,
        body: realisticReport({ id: `rpt-db01-${h}`, at: hour(h), cpuAvg: 10 * h, psuFault: h === 3 }),
      });
      expect(res.status).toBe(201);
    }
    // A late spool flush: an older window arriving last must not become "latest".
    expect((await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ id: 'rpt-db01-0', at: hour(0), psuFault: true })))).status).toBe(201);
    expect((await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ id: 'rpt-web01-1', hostname: 'web01', at: hour(1), logGap: true })))).status).toBe(201);
  });
  afterAll(async () => c?.stop());

  const get = async (path: string, token = engineer) => {
    const res = await c.request('GET', path, { token });
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text(), res };
  };

  it('lists only the sites a token may see', async () => {
    expect((await get('/api/v1/sites')).body.sites.map((s: { name: string }) => s.name)).toEqual(['acme']);
    expect((await get('/api/v1/sites', otherCustomer)).body.sites).toEqual([]);
    expect((await get('/api/v1/sites/acme', otherCustomer)).status).toBe(403);
    expect((await get('/api/v1/sites/acme/devices', otherCustomer)).status).toBe(403);
    expect((await get('/api/v1/sites', agent)).status).toBe(403);
    expect((await c.request('GET', '/api/v1/sites')).status).toBe(401);
  });

  it('lists devices with their overall verdict', async () => {
    const { body } = await get('/api/v1/sites/acme/devices', customer);
    expect(body.devices.map((d: { hostname: string; verdict: string }) => [d.hostname, d.verdict])).toEqual([
      ['db01', 'abnormal'], // CPU avg 50/max 70 at hour 5 → SXKR-001 avg 50 ≤ 50 but cores above
      ['web01', 'unknown'],
    ]);
  });

  it('gives the latest result of each of the six checks, by report window', async () => {
    const { body } = await get('/api/v1/sites/acme/devices/db01/results');
    expect(body.results.map((r: { check: string }) => r.check)).toEqual(['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']);
    expect(new Set(body.results.map((r: { report: string }) => r.report))).toEqual(new Set(['rpt-db01-5']));
    const psu = body.results.find((r: { check: string }) => r.check === 'SXKR-004');
    expect(psu.verdict).toBe('normal');
    expect(psu.result.commands).toEqual(['ipmitool sdr type "Power Supply"', 'ipmitool sdr type Fan']);
    const web = (await get('/api/v1/sites/acme/devices/web01/results')).body;
    const log = web.results.find((r: { check: string }) => r.check === 'SXKR-006');
    expect(log.verdict).toBe('unknown');
    expect(log.result.reason).toMatch(/permission denied/);
  });

  it('pages the history of one check, newest first', async () => {
    const first = await get('/api/v1/sites/acme/devices/db01/results/SXKR-004?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { report: string }) => r.report)).toEqual(['rpt-db01-5', 'rpt-db01-4']);
    const second = await get(`/api/v1/sites/acme/devices/db01/results/SXKR-004?limit=2&cursor=${first.body.next}`);
    expect(second.body.results.map((r: { report: string; verdict: string }) => [r.report, r.verdict])).toEqual([['rpt-db01-3', 'abnormal'], ['rpt-db01-2', 'normal']]);
    const third = await get(`/api/v1/sites/acme/devices/db01/results/SXKR-004?limit=2&cursor=${second.body.next}`);
    expect(third.body.results.map((r: { report: string }) => r.report)).toEqual(['rpt-db01-1', 'rpt-db01-0']);
    const last = await get(`/api/v1/sites/acme/devices/db01/results/SXKR-004?limit=2&cursor=${third.body.next}`);
    expect(last.body).toEqual({ results: [], next: null });
  });

  it('refuses bad paging and unknown checks with 400, unknown things with 404', async () => {
    const badCheck = await get('/api/v1/sites/acme/devices/db01/results/SXKR-000');
    expect(badCheck.status).toBe(400);
    expect(badCheck.body.message).toMatch(/\/params\/check/);
    const badLimit = await get('/api/v1/sites/acme/devices/db01/results/SXKR-001?limit=0');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.message).toMatch(/\/querystring\/limit/);
    expect((await get('/api/v1/sites/acme/devices/db01/results/SXKR-001?cursor=abc')).body.error).toBe('bad_cursor');
    expect((await get('/api/v1/sites/acme/devices/nope/results')).status).toBe(404);
    expect((await get('/api/v1/reports/rpt-unknown-1')).status).toBe(404);
    const notFound = await get('/api/v1/nothing-here');
    expect(notFound.status).toBe(404);
    expect(notFound.body.error).toBe('not_found');
  });

  it('lists the reports of a device and returns a report with its six results', async () => {
    const page = await get('/api/v1/sites/acme/devices/db01/reports?limit=3');
    expect(page.body.reports.map((r: { id: string }) => r.id)).toEqual(['rpt-db01-5', 'rpt-db01-4', 'rpt-db01-3']);
    const next = await get(`/api/v1/sites/acme/devices/db01/reports?limit=3&cursor=${page.body.next}`);
    expect(next.body.reports.map((r: { id: string }) => r.id)).toEqual(['rpt-db01-2', 'rpt-db01-1', 'rpt-db01-0']);
    const one = await get('/api/v1/reports/rpt-db01-3', customer);
    expect(one.body).toMatchObject({ site: 'acme', hostname: 'db01', measurementCount: 60 });
    expect(one.body.results).toHaveLength(6);
    // An id that is not opaque may hold an address: a customer is shown an alias, which opens the same report.
    expect(one.body.id).toMatch(/^report-[0-9a-f-]{36}$/);
    expect((await get(`/api/v1/reports/${one.body.id}`, customer)).body).toEqual(one.body);
    expect((await get(`/api/v1/reports/${one.body.id}`, engineer)).body.id).toBe('rpt-db01-3');
    expect((await get('/api/v1/reports/rpt-db01-3', otherCustomer)).status).toBe(404);
  });

  it('edits a device (role, notes, interval, thresholds) and the next evaluation uses them', async () => {
    const patch = await c.request('PATCH', '/api/v1/sites/acme/devices/db01', {
      token: engineer,
      body: { role: 'core', notes: 'rack A3, U12', expectedIntervalS: 300, thresholds: { 'SXKR-002': { usedMax: 50 } } },
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ role: 'core', reportedRole: null, notes: 'rack A3, U12', expectedIntervalS: 300, effectiveIntervalS: 300 });
    const res = await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ id: 'rpt-db01-6', at: hour(6), cpuAvg: 5 })));
    expect((await res.json()).verdicts['SXKR-002']).toBe('abnormal');
    const memory = (await get('/api/v1/sites/acme/devices/db01/results')).body.results.find((r: { check: string }) => r.check === 'SXKR-002');
    expect(memory.result.threshold.usedMax).toEqual({ value: 50, from: 'device' });

    expect((await c.request('PATCH', '/api/v1/sites/acme/devices/db01', { token: customer, body: { notes: 'x' } })).status).toBe(403);
    const bad = await c.request('PATCH', '/api/v1/sites/acme/devices/db01', { token: engineer, body: { thresholds: { 'SXKR-002': { usedMax: 150 } } } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/\/body\/thresholds\/SXKR-002\/usedMax/);
    expect((await c.request('PATCH', '/api/v1/sites/acme/devices/db01', { token: engineer, body: {} })).status).toBe(400);
  });

  it('edits a site: role-level thresholds apply to its devices', async () => {
    const patch = await c.request('PATCH', '/api/v1/sites/acme', {
      token: engineer,
      body: { title: 'ACME Bank, data centre 2', expectedIntervalS: 600, thresholds: { roles: { core: { 'SXKR-001': { avgMax: 4 } } } } },
    });
    expect(patch.status).toBe(200);
    expect((await patch.json()).title).toBe('ACME Bank, data centre 2');
    const res = await c.request('POST', '/api/v1/reports', asAgent(realisticReport({ id: 'rpt-db01-7', at: hour(7), cpuAvg: 5 })));
    expect((await res.json()).verdicts['SXKR-001']).toBe('abnormal');
    const web = (await get('/api/v1/sites/acme/devices/web01')).body;
    expect(web.effectiveIntervalS).toBe(600);
  });

  // Addresses are for the service company's people: an engineer's list (a customer's: confidentiality.test.ts).
  it('exports the product list as JSON and as CSV', async () => {
    const json = await get('/api/v1/sites/acme/products', engineer);
    expect(json.body.products).toHaveLength(2);
    expect(json.body.products[0]).toMatchObject({ hostname: 'db01', kind: 'server', role: 'core', vendor: 'HPE', model: 'ProLiant DL380 Gen10', serial: 'CZDB0101', version: '5.14.0-427', addresses: '10.1.2.3' });
    const csv = await get('/api/v1/sites/acme/products?format=csv', engineer);
    expect(csv.res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (csv.body as string).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('设备名称 hostname,设备类型 kind,角色 role,厂商 vendor,型号 model,序列号 serial,操作系统 os,版本 version,地址 addresses,运行状态 state,首次发现 firstSeen,最近上报 lastSeen');
    expect(lines[1]).toMatch(/^db01,server,core,HPE,ProLiant DL380 Gen10,CZDB0101,Rocky Linux 9\.4,5\.14\.0-427,10\.1\.2\.3,abnormal,/);
    expect(lines).toHaveLength(3);
    expect((await get('/api/v1/sites/globex/products', otherCustomer)).status).toBe(404);
  });

  it('serves OpenAPI at /docs, health and Prometheus metrics without a token', async () => {
    const docs = await get('/docs/json', '');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/reports', '/api/v1/sites/{site}/devices/{hostname}/results/{check}', '/api/v1/sites/{site}/products']));
    expect(docs.body.paths['/api/v1/reports'].post.requestBody.content['application/json'].schema.properties.measurements.type).toBe('array');
    expect((await c.request('GET', '/docs')).status).toBeLessThan(400);
    expect((await get('/healthz', '')).body).toEqual({ status: 'ok', schemaVersion: expect.any(Number) });
    const metrics = (await get('/metrics', '')).body as string;
    expect(metrics).toMatch(/^xunjian_reports_ingested_total 9$/m);
    expect(metrics).toMatch(/^xunjian_measurements_ingested_total 520$/m);
    expect(metrics).toMatch(/^xunjian_ingest_duration_seconds_count 9$/m);
  });
});
