import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../schemas/index.js';
import { detectSilence } from '../../collector/tickets/silence.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/**
 * The equipment record kept by hand (issue 11): devices put on record by a person, a person's
 * entry beside what the device reports, firmware history, upgrade recommendation, the product
 * list, roles and sites. A real collector on a real SQLite file.
 */
describe('equipment record', () => {
  let c: TestCollector;
  let engineer: string;
  let admin: string;
  let customer: string;
  let otherEngineer: string;
  const at = (h: number) => new Date(Date.UTC(2026, 10, 28, h));
  const send = (r: Report) => c.request('POST', '/api/v1/reports', { token: c.agentFor(r.site ?? 'acme', r.identity.hostname), body: r });
  const withIdentity = (r: Report, identity: Partial<Report['identity']>): Report => ({ ...r, identity: { ...r.identity, ...identity } });
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await c.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };

  beforeAll(async () => {
    c = await startTestCollector({}, { now: () => at(12) });
    engineer = c.token('engineer', 'acme');
    admin = c.token('admin', null);
    customer = c.token('customer', 'acme');
    otherEngineer = c.token('engineer', 'globex');
    // db01 reports twice, with a firmware (kernel) change between the reports.
    expect((await send(realisticReport({ id: 'eq-db01-1', at: at(1) }))).status).toBe(201);
    expect((await send(withIdentity(realisticReport({ id: 'eq-db01-2', at: at(2) }), { version: '5.14.0-503' }))).status).toBe(201);
    // globex has a device of its own.
    expect((await send(realisticReport({ id: 'eq-globex-1', site: 'globex', hostname: 'gx-db', at: at(1) }))).status).toBe(201);
  });
  afterAll(async () => c?.stop());

  it('an engineer puts a tape library on record by hand; it is unknown and not monitored, never normal', async () => {
    const made = await call('POST', '/api/v1/sites/acme/devices', engineer, {
      hostname: 'tape-lib-1',
      kind: 'tape',
      vendor: 'IBM',
      model: 'TS4300',
      serial: '78-A1234',
      firmware: '1.2.0',
      location: '3F 机房 A-07',
      warrantyUntil: '2027-06-30',
      contractUntil: '2027-12-31',
      notes: '每季度清洁磁头',
      role: 'backup',
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      hostname: 'tape-lib-1', kind: 'tape', manual: true, monitored: false, serial: '78-A1234', model: 'TS4300', firmware: '1.2.0',
      entered: { serial: '78-A1234', model: 'TS4300', firmware: '1.2.0', vendor: 'IBM' },
      reported: { serial: null, model: null, version: null }, location: '3F 机房 A-07', warrantyUntil: '2027-06-30', contractUntil: '2027-12-31', role: 'backup',
      recordBy: 'engineer-acme',
    });
    const list = await call('GET', '/api/v1/sites/acme/devices', customer);
    const tape = list.body.devices.find((d: { hostname: string }) => d.hostname === 'tape-lib-1');
    expect(tape).toMatchObject({ verdict: 'unknown', monitored: false });
    expect(tape.reason).toMatch(/not monitored/);
    // Storage arrays and air conditioning are kinds too; admin may add at any site.
    expect((await call('POST', '/api/v1/sites/acme/devices', admin, { hostname: 'ac-1', kind: 'aircon', model: 'Liebert PEX' })).status).toBe(201);
    expect((await call('POST', '/api/v1/sites/acme/devices', engineer, { hostname: 'stor-1', kind: 'storage' })).status).toBe(201);
  });

  it('refuses bad input with a 4xx and a message: names, kinds, dates, duplicates', async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ hostname: 'bad/name', kind: 'tape' }, 400, /hostname/],
      [{ hostname: '=cmd()', kind: 'tape' }, 400, /hostname/],
      [{ hostname: 'x1', kind: 'toaster' }, 400, /kind/],
      [{ hostname: 'x1', kind: 'tape', warrantyUntil: '2027-13-01' }, 400, /warrantyUntil/],
      [{ hostname: 'x1', kind: 'tape', serial: 'A\u202eB' }, 400, /serial/],
      [{ hostname: 'x1', kind: 'tape', colour: 'red' }, 400, /colour/],
      [{ hostname: 'tape-lib-1', kind: 'tape' }, 409, /already on record/],
    ];
    for (const [body, status, message] of cases) {
      const res = await call('POST', '/api/v1/sites/acme/devices', engineer, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.message).toMatch(message);
    }
    expect((await call('PATCH', '/api/v1/sites/acme/devices/tape-lib-1', engineer, { contractUntil: 'soon' })).status).toBe(400);
    // A reporting device's kind is what it reports.
    const kind = await call('PATCH', '/api/v1/sites/acme/devices/db01', engineer, { kind: 'storage' });
    expect(kind.status).toBe(409);
    expect(kind.body.message).toMatch(/reports its kind/);
  });

  it('a customer reads the record but may not add or edit; another site is refused, its device a missing one', async () => {
    expect((await call('GET', '/api/v1/sites/acme/devices/tape-lib-1', customer)).body.serial).toBe('78-A1234');
    expect((await call('POST', '/api/v1/sites/acme/devices', customer, { hostname: 'c1', kind: 'tape' })).status).toBe(403);
    expect((await call('PATCH', '/api/v1/sites/acme/devices/tape-lib-1', customer, { notes: 'x' })).status).toBe(403);
    expect((await call('PUT', '/api/v1/sites/acme/devices/tape-lib-1/upgrade', customer, { needed: true, reason: 'x' })).status).toBe(403);
    expect((await call('POST', '/api/v1/sites/acme/devices', otherEngineer, { hostname: 'c1', kind: 'tape' })).status).toBe(403);
    // Another site's device asked for under this site's name is a missing device.
    expect((await call('GET', '/api/v1/sites/acme/devices/gx-db', engineer)).status).toBe(404);
    expect((await call('PATCH', '/api/v1/sites/acme/devices/gx-db', engineer, { serial: 'X' })).status).toBe(404);
    expect((await call('GET', '/api/v1/sites/acme/devices/gx-db/firmware', engineer)).status).toBe(404);
    expect((await call('POST', '/api/v1/sites/acme/devices/gx-db/firmware', engineer, { firmware: '1' })).status).toBe(404);
  });

  it("keeps a person's serial beside the reported one and flags the difference; a report never overwrites it", async () => {
    const edited = await call('PATCH', '/api/v1/sites/acme/devices/db01', engineer, { serial: 'CZJ-9999', location: '2F A-03', model: 'ProLiant DL380 Gen10' });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ serial: 'CZJ-9999', entered: { serial: 'CZJ-9999' }, reported: { serial: 'CZDB0101' }, differences: ['serial'] });
    // The next report carries the measured serial again: the entered one stays.
    expect((await send(withIdentity(realisticReport({ id: 'eq-db01-3', at: at(3) }), { version: '5.14.0-503' }))).status).toBe(201);
    const after = await call('GET', '/api/v1/sites/acme/devices/db01', customer);
    expect(after.body).toMatchObject({ serial: 'CZJ-9999', entered: { serial: 'CZJ-9999' }, reported: { serial: 'CZDB0101' }, differences: ['serial'], manual: false, monitored: true });
    // Same value written another way is no difference.
    expect((await call('PATCH', '/api/v1/sites/acme/devices/db01', engineer, { serial: 'czdb 0101' })).body.differences).toEqual([]);
    expect((await call('PATCH', '/api/v1/sites/acme/devices/db01', engineer, { serial: 'CZJ-9999' })).body.differences).toEqual(['serial']);
  });

  it('records firmware history from two reports with different versions, and by hand with who and when', async () => {
    const h = await call('GET', '/api/v1/sites/acme/devices/db01/firmware', customer);
    expect(h.status).toBe(200);
    expect(h.body.history.map((s: { version: string; origin: string; source: string }) => [s.version, s.origin, s.source])).toEqual([
      ['5.14.0-503', 'report', 'agent'],
      ['5.14.0-427', 'report', 'agent'],
    ]);
    // Stamped when the collector took the report in (its clock), not the device's own time.
    expect(h.body.history[0].at).toBe(at(12).toISOString());
    const byHand = await call('POST', '/api/v1/sites/acme/devices/tape-lib-1/firmware', engineer, { firmware: '1.3.1', at: at(5).toISOString(), note: '厂商工程师现场升级' });
    expect(byHand.status, JSON.stringify(byHand.body)).toBe(201);
    expect(byHand.body.history[0]).toMatchObject({ version: '1.3.1', origin: 'person', by: 'engineer-acme', at: at(5).toISOString(), note: '厂商工程师现场升级' });
    expect((await call('GET', '/api/v1/sites/acme/devices/tape-lib-1', engineer)).body.firmware).toBe('1.3.1');
    expect((await call('POST', '/api/v1/sites/acme/devices/tape-lib-1/firmware', engineer, { firmware: '' })).status).toBe(400);
  });

  it('recommends an upgrade below the model baseline, and a person may say so with a reason', async () => {
    const base = await call('PUT', '/api/v1/sites/acme/firmware-baselines', engineer, { model: 'TS4300', firmware: '1.4.0' });
    expect(base.status, JSON.stringify(base.body)).toBe(200);
    const rec = await call('GET', '/api/v1/sites/acme/devices/tape-lib-1/firmware', customer);
    expect(rec.body.recommendation).toMatchObject({ status: 'upgrade', baseline: '1.4.0', firmware: '1.3.1' });
    expect((await call('PUT', '/api/v1/sites/acme/devices/db01/upgrade', engineer, { needed: true })).status).toBe(400);
    const verdict = await call('PUT', '/api/v1/sites/acme/devices/db01/upgrade', engineer, { needed: true, reason: '内核安全公告 RHSA-2026:1234' });
    expect(verdict.status).toBe(200);
    expect(verdict.body.recommendation).toMatchObject({ status: 'upgrade', verdict: { needed: true, by: 'engineer-acme' } });
    expect(verdict.body.upgrade).toMatchObject({ needed: true, reason: '内核安全公告 RHSA-2026:1234', at: at(12).toISOString() });
  });

  it('the product list (CSV and XLSX) carries the manual device, not monitored, and both serials of db01 flagged', async () => {
    const csv = await c.request('GET', '/api/v1/sites/acme/reports/products?format=csv', { token: engineer });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    const tapeLine = text.split(/\r?\n/).find((l) => l.includes('tape-lib-1'))!;
    expect(tapeLine).toContain('78-A1234');
    expect(tapeLine).toContain('3F 机房 A-07');
    expect(tapeLine).toContain('未监测');
    expect(tapeLine).not.toMatch(/(^|,)正常(,|$)/);
    expect(tapeLine).toContain('建议升级');
    const dbLine = text.split(/\r?\n/).find((l) => l.startsWith('') && l.includes(',db01,'))!;
    expect(dbLine).toContain('⚠ 登记: CZJ-9999 / 实测: CZDB0101');

    const xlsx = await c.request('GET', '/api/v1/sites/acme/reports/products?format=xlsx&lang=en', { token: customer });
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const sheet = wb.worksheets.find((w) => w.name !== wb.worksheets[0]!.name)!;
    const rows: string[][] = [];
    sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    const header = rows[0]!;
    const tape = rows.find((r) => r.includes('tape-lib-1'))!;
    expect(tape, JSON.stringify(rows)).toBeDefined();
    expect(tape[header.indexOf('Serial')]).toBe('78-A1234');
    expect(tape[header.indexOf('Working state')]).toBe('unknown · not monitored');
    expect(tape[header.indexOf('Location')]).toBe('3F 机房 A-07');
    expect(rows.find((r) => r.includes('db01'))![header.indexOf('Serial')]).toBe('⚠ entered: CZJ-9999 / measured: CZDB0101');
    const figures = new Map<string, string>();
    wb.worksheets[0]!.eachRow((r) => figures.set(String(r.getCell(1).value), String(r.getCell(2).value)));
    expect(figures.get('Devices entered by hand')).toBe('3');
    expect(figures.get('Devices recommended an upgrade')).toBe('2');
  });

  it('a manual ticket can be logged for a device put on record by hand', async () => {
    const t = await call('POST', '/api/v1/tickets', engineer, { site: 'acme', device: 'ac-1', symptom: '空调高温告警' });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    expect(t.body).toMatchObject({ device: 'ac-1', deviceModel: 'Liebert PEX' });
  });

  it('the silence scan does not flag a device put on record by hand, even with a site interval', async () => {
    expect((await call('PATCH', '/api/v1/sites/acme', admin, { expectedIntervalS: 60 })).status).toBe(200);
    expect((await call('PATCH', '/api/v1/sites/acme/devices/stor-1', engineer, { expectedIntervalS: 60 })).status).toBe(200);
    const changed = (await detectSilence(c.store, new Date(at(12).getTime() + 86_400_000)));
    const hosts = changed.map((x) => x.hostname);
    expect(hosts).toContain('db01'); // the reporting device is watched (the scan can fail)
    expect(hosts).not.toContain('stor-1');
    expect(hosts).not.toContain('tape-lib-1');
    expect(hosts).not.toContain('ac-1');
  });

  it('every change to the record is audited', async () => {
    const actions = (await c.store.all<{ action: string; subject: string }>("SELECT action, subject FROM audit_log WHERE site = 'acme' AND (action LIKE 'device.%' OR action = 'firmware.baseline') ORDER BY id")).map((r) => `${r.action} ${r.subject}`);
    expect(actions).toEqual(expect.arrayContaining(['device.create tape-lib-1', 'device.update db01', 'device.firmware tape-lib-1', 'device.upgrade db01', 'firmware.baseline TS4300']));
  });
});
