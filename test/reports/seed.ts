/**
 * A seeded site for report and dashboard tests, written through the collector's own API:
 * agent reports (POST /api/v1/reports) for four servers at "acme" and one at "globex", the fault
 * tickets the ingest opens by itself, and one "device down" ticket taken through its whole
 * lifecycle with a service report and a replaced part. The collector's clock is moved by hand.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

export interface SeededSite {
  collector: TestCollector;
  clock: { now: Date };
  tokens: { agent: string; engineer: string; customer: string; admin: string; otherAgent: string };
  downTicketId: number;
}

export const T0 = new Date('2026-11-28T00:00:00.000Z');

async function ok(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function seedSite(): Promise<SeededSite> {
  const clock = { now: new Date('2026-11-01T00:00:00.000Z') };
  const collector = await startTestCollector({ silenceScanSeconds: 0 }, { now: () => clock.now });
  const tokens = {
    agent: collector.token('agent', 'acme'),
    engineer: collector.token('engineer', 'acme', 'Wang Gong'),
    customer: collector.token('customer', 'acme', 'Li Kehu'),
    admin: collector.token('admin', null, 'root'),
    otherAgent: collector.token('agent', 'globex'),
  };
  const post = async (token: string, at: string, options: Parameters<typeof realisticReport>[0]) => {
    clock.now = new Date(at);
    await ok(await collector.request('POST', '/api/v1/reports', { token, body: realisticReport({ at: new Date(at), ...options }) }), `report ${options?.hostname}`);
  };
  await post(collector.agentFor('acme', 'db01'), '2026-11-05T10:00:00.000Z', { hostname: 'db01', cpuAvg: 24 });
  await post(collector.agentFor('acme', 'db01'), '2026-11-20T10:00:00.000Z', { hostname: 'db01', cpuAvg: 30 });
  await post(collector.agentFor('acme', 'db02'), '2026-11-20T10:05:00.000Z', { hostname: 'db02', psuFault: true });
  await post(collector.agentFor('acme', 'db03'), '2026-11-20T10:10:00.000Z', { hostname: 'db03', logGap: true });
  await post(collector.agentFor('acme', 'app04'), '2026-11-20T10:15:00.000Z', { hostname: 'app04', cpuAvg: 62 });
  await post(collector.agentFor('globex', 'secret01'), '2026-11-20T10:20:00.000Z', { hostname: 'secret01' });

  // db03 went down on 10 November for 12 hours: reported by phone, handled on site, part swapped.
  const step = async (id: number, name: string, at: string, token = tokens.engineer) => {
    clock.now = new Date(at);
    await ok(await collector.request('POST', `/api/v1/tickets/${id}/${name}`, { token, body: {} }), `ticket ${id} ${name}`);
  };
  clock.now = new Date('2026-11-10T00:00:00.000Z');
  const created = (await ok(
    await collector.request('POST', '/api/v1/tickets', {
      token: tokens.engineer,
      body: { site: 'acme', device: 'db03', subject: 'down', symptom: '服务器宕机，无法 ping 通', suspectedCause: '电源模块故障', priority: 'P1' },
    }),
    'create ticket',
  )) as { id: number };
  const id = created.id;
  await step(id, 'respond', '2026-11-10T00:20:00.000Z');
  await step(id, 'on-site', '2026-11-10T01:30:00.000Z');
  clock.now = new Date('2026-11-10T03:00:00.000Z');
  await ok(
    await collector.request('POST', `/api/v1/tickets/${id}/service-reports`, {
      token: tokens.engineer,
      body: { arrivedAt: '2026-11-10T01:30:00.000Z', workDone: '更换电源模块，服务器重新上电', result: 'fixed', customerEvaluation: '满意' },
    }),
    'service report',
  );
  await ok(
    await collector.request('POST', `/api/v1/tickets/${id}/parts`, {
      token: tokens.engineer,
      body: { part: 'HPE 800W PSU', oldSerial: '5BXRK0ALD9A1OLD', newSerial: '5BXRK0ALD9A2NEW', replacedAt: '2026-11-10T03:00:00.000Z' },
    }),
    'part',
  );
  await step(id, 'resolve', '2026-11-10T12:00:00.000Z');
  await step(id, 'confirm', '2026-11-10T13:00:00.000Z', tokens.customer);
  await step(id, 'close', '2026-11-10T14:00:00.000Z');
  clock.now = T0;
  return { collector, clock, tokens, downTicketId: id };
}

/** A maintenance request of db01 by the engineer, awaiting the customer's approval; its id. */
export async function requestMaintenance(s: Pick<SeededSite, 'collector' | 'tokens'>): Promise<number> {
  const res = await s.collector.request('POST', '/api/v1/maintenance', {
    token: s.tokens.engineer,
    body: {
      site: 'acme', purpose: 'db01 BIOS 升级到 2.3', engineer: '王工', recorder: '张工', steps: ['备份配置', '升级 BIOS'], hardwareChanges: '', softwareChanges: 'BIOS 2.1 → 2.3',
      expectedDurationMinutes: 60, windowStart: '2026-12-02T14:00:00.000Z', windowEnd: '2026-12-02T16:00:00.000Z', devices: ['db01'], emergency: false,
      rollbackPlan: '回退到 2.1', customerRepresentative: '李工', removableMedia: 'virus-checked',
    },
  });
  return ((await ok(res, 'maintenance request')) as { id: number }).id;
}

/** pdftotext (poppler-utils) of a PDF, layout preserved. */
export function pdfText(pdf: Buffer, dir: string, name: string): string {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}
