import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { pdfText } from '../reports/seed.js';

/**
 * Confidentiality clause (3.4.5) against a real collector: a customer's token reads its site
 * through every JSON route, the product list in every format and the monthly report, and finds
 * neither the device's address nor the SNMP target address inside a gap's command, nor the
 * site's threshold settings. An engineer's token finds them.
 */
const DEVICE_IP = '10.1.2.3';
const TARGET_IP = '10.9.8.7';
const NOW = new Date('2026-11-20T10:30:00.000Z');
let c: TestCollector;
let tokens: { agent: string; engineer: string; customer: string };
let reportId: string;

beforeAll(async () => {
  c = await startTestCollector({ silenceScanSeconds: 0 }, { now: () => NOW });
  tokens = { agent: c.token('agent', 'acme'), engineer: c.token('engineer', 'acme'), customer: c.token('customer', 'acme') };
  const report = realisticReport({ hostname: 'db01', at: new Date('2026-11-20T10:00:00.000Z'), logGap: true });
  report.gaps = [{ check: 'SXKR-006', reason: `no answer from ${TARGET_IP}:161 after 3 tries`, command: `GET sysDescr.0 sysObjectID.0 (${TARGET_IP}:161)` }];
  reportId = report.id;
  expect((await c.request('POST', '/api/v1/reports', { token: tokens.agent, body: report })).status).toBe(201);
  const patch = await c.request('PATCH', '/api/v1/sites/acme', { token: tokens.engineer, body: { thresholds: { site: { 'SXKR-001': { avgMax: 77 } } } } });
  expect(patch.status).toBe(200);
  // The customer reads a month's record once the engineer has signed it (a draft is a 404 for them).
  expect((await c.request('POST', '/api/v1/sites/acme/inspections/2026-11/sign', { token: tokens.engineer, body: {} })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await c?.stop();
});

const JSON_PATHS = [
  '/api/v1/sites',
  '/api/v1/sites/acme',
  '/api/v1/sites/acme/devices',
  '/api/v1/sites/acme/devices/db01',
  '/api/v1/sites/acme/devices/db01/results',
  '/api/v1/sites/acme/devices/db01/results/SXKR-006',
  '/api/v1/sites/acme/devices/db01/reports',
  () => `/api/v1/reports/${reportId}`,
  () => `/api/v1/reports/${reportId}/measurements`,
  '/api/v1/sites/acme/products',
  '/api/v1/sites/acme/products?format=csv',
  '/api/v1/sites/acme/inspections/2026-11',
  '/api/v1/sites/acme/reports/products?format=json',
  '/api/v1/sites/acme/reports/products?format=csv',
  '/api/v1/sites/acme/reports/products',
  '/api/v1/sites/acme/reports/inspection?month=2026-11&format=json',
  '/api/v1/sites/acme/reports/inspection?month=2026-11&format=csv&table=1',
  '/api/v1/sites/acme/reports/inspection?month=2026-11',
];

async function bodyOf(path: string, token: string): Promise<string> {
  const res = await c.request('GET', path, { token });
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 200)}`).toBe(200);
  return text;
}

async function xlsxText(path: string, token: string): Promise<string> {
  const res = await c.request('GET', path, { token });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const cells: string[] = [];
  wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
  return cells.join('\n');
}

async function pdfOf(path: string, token: string): Promise<string> {
  const res = await c.request('GET', path, { token });
  expect(res.status).toBe(200);
  return pdfText(Buffer.from(await res.arrayBuffer()), c.dir, `conf-${path.replace(/\W+/g, '_')}-${token.slice(0, 6)}`);
}

describe('confidentiality: addresses and configuration only for engineers and admins', () => {
  it('a customer token finds no address and no threshold setting in any JSON route, CSV or printable report', async () => {
    for (const p of JSON_PATHS) {
      const path = typeof p === 'function' ? p() : p;
      const text = await bodyOf(path, tokens.customer);
      expect(text, path).not.toContain(DEVICE_IP);
      expect(text, path).not.toContain(TARGET_IP);
      expect(text, path).not.toContain('"avgMax":77');
    }
  });

  it('the customer product list has no address column; XLSX and PDF read back without addresses', async () => {
    const products = JSON.parse(await bodyOf('/api/v1/sites/acme/products', tokens.customer)) as { products: Record<string, unknown>[] };
    expect(products.products).toHaveLength(1);
    expect(products.products[0]).not.toHaveProperty('addresses');
    expect(products.products[0]!.serial).toBe('CZDB0101');
    expect(await bodyOf('/api/v1/sites/acme/products?format=csv', tokens.customer)).not.toContain('地址');
    const xlsx = await xlsxText('/api/v1/sites/acme/reports/products?format=xlsx', tokens.customer);
    expect(xlsx).toContain('CZDB0101');
    expect(xlsx).not.toContain(DEVICE_IP);
    const pdf = await pdfOf('/api/v1/sites/acme/reports/products?format=pdf', tokens.customer);
    expect(pdf).toContain('CZDB0101');
    expect(pdf).not.toContain(DEVICE_IP);
    const inspection = await xlsxText('/api/v1/sites/acme/reports/inspection?month=2026-11&format=xlsx', tokens.customer);
    expect(inspection).toContain('SXKR-006');
    expect(inspection).not.toContain(TARGET_IP);
  });

  it('the customer sees the gap reworded, not dropped: the address is replaced by [hidden]', async () => {
    const json = JSON.parse(await bodyOf(`/api/v1/reports/${reportId}`, tokens.customer)) as { gaps: { command: string }[]; identity: { addresses: string[] } };
    expect(json.identity.addresses).toEqual([]);
    expect(json.gaps[0]!.command).toBe('GET sysDescr.0 sysObjectID.0 ([hidden])');
  });

  it('dashboard pages (read with the token) hide the address and the gap command from a customer only', async () => {
    const cell = '/sites/acme/cell?month=2026-11&device=db01&check=SXKR-006&fragment=1';
    const customerCell = await bodyOf(cell, tokens.customer);
    expect(customerCell).toContain('GET sysDescr.0 sysObjectID.0 ([hidden])');
    expect(customerCell).not.toContain(TARGET_IP);
    expect(await bodyOf(cell, tokens.engineer)).toContain(TARGET_IP);
    expect(await bodyOf('/sites/acme/devices/db01', tokens.customer)).not.toContain(DEVICE_IP);
    expect(await bodyOf('/sites/acme/devices/db01', tokens.engineer)).toContain(DEVICE_IP);
  });

  it('SNMP targets (hosts and credentials) are refused to a customer', async () => {
    const res = await c.request('GET', '/api/v1/sites/acme/snmp-targets', { token: tokens.customer });
    expect(res.status).toBe(403);
  });

  it('an engineer token sees the addresses, the gap command and the threshold settings', async () => {
    expect(await bodyOf('/api/v1/sites/acme/devices/db01', tokens.engineer)).toContain(DEVICE_IP);
    expect(await bodyOf('/api/v1/sites/acme/products?format=csv', tokens.engineer)).toContain(DEVICE_IP);
    expect(await bodyOf(`/api/v1/reports/${reportId}`, tokens.engineer)).toContain(TARGET_IP);
    expect(await bodyOf('/api/v1/sites/acme', tokens.engineer)).toContain('"avgMax":77');
    expect(await bodyOf('/api/v1/sites/acme/inspections/2026-11', tokens.engineer)).toContain(TARGET_IP);
    expect(await xlsxText('/api/v1/sites/acme/reports/products?format=xlsx', tokens.engineer)).toContain(DEVICE_IP);
    expect(await pdfOf('/api/v1/sites/acme/reports/products?format=pdf', tokens.engineer)).toContain(DEVICE_IP);
  });
});
