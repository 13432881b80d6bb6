import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, UsersRepository } from '../../collector/users/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/**
 * The sites overview (`/`) through a real collector on the app's clock, never wall time: a month
 * whose record is unsigned after the configured day of the next month is flagged (here
 * `signOffDueDay: 3`), and the devices without a result this month are counted and listed.
 */
let c: TestCollector;
let clock = new Date('2026-11-10T02:00:00.000Z');
let session: string;
let engineer: string;

beforeAll(async () => {
  c = await startTestCollector({ signOffDueDay: 3, silenceScanSeconds: 0 }, { now: () => clock });
  engineer = c.token('engineer', 'acme', 'Zhang San');
  for (const [site, hostname] of [['acme', 'db01'], ['acme', 'db02'], ['globex', 'db09']] as const) {
    await report(site, hostname);
  }
  await new UsersRepository(c.store).create({ name: 'wang', role: 'engineer', passwordHash: await hashPassword('engineer-pass-1'), sites: ['acme', 'globex'] });
  const login = await c.request('POST', '/login', { body: { name: 'wang', password: 'engineer-pass-1' } });
  session = login.headers.get('set-cookie')!.split(';')[0]!;
}, 60_000);
afterAll(async () => c?.stop());

async function report(site: string, hostname: string) {
  const res = await c.request('POST', '/api/v1/reports', { token: c.agentFor(site, hostname), body: realisticReport({ hostname, at: clock }) });
  expect(res.status).toBe(201);
}
async function page(path: string): Promise<string> {
  const res = await c.request('GET', path, { headers: { cookie: session } });
  expect(res.status).toBe(200);
  return res.text();
}
/** A site's row of the overview: the unsigned month it flags ('' for none) and its devices without a result this month. */
async function overviewRow(site: string) {
  const row = new RegExp(`<tr data-site="${site}">([^]*?)</tr>`).exec(await page('/'))?.[1];
  expect(row, `row of ${site}`).toBeDefined();
  return {
    unsigned: /data-unsigned="([^"]*)"/.exec(row!)![1],
    withoutResult: Number(/data-without-result="(\d+)"/.exec(row!)![1]),
    link: /data-without-result="\d+"><a href="([^"]+)"/.exec(row!)![1],
  };
}

describe('sites overview', () => {
  it('inside the month, nothing is overdue and every device has its result', async () => {
    expect(await overviewRow('acme')).toEqual({ unsigned: '', withoutResult: 0, link: '/sites/acme/unreported' });
  });

  it('early in the next month: the devices without a result this month, listed behind the count; no flag before the due day', async () => {
    clock = new Date('2026-12-02T12:00:00.000Z');
    expect(await overviewRow('acme')).toMatchObject({ unsigned: '', withoutResult: 2 });
    await report('acme', 'db01');
    expect((await overviewRow('acme')).withoutResult).toBe(1);
    const list = await page('/sites/acme/unreported');
    expect(list).toContain('data-device="db02"');
    expect(list).not.toContain('data-device="db01"');
  });

  it('after the due day, the unsigned month is flagged until its record is signed', async () => {
    clock = new Date('2026-12-04T00:30:00.000Z');
    expect((await overviewRow('acme')).unsigned).toBe('2026-11');
    expect((await overviewRow('globex')).unsigned).toBe('2026-11');
    const signed = await c.request('POST', '/api/v1/sites/acme/inspections/2026-11/sign', { token: engineer });
    expect(signed.status).toBe(200);
    expect((await overviewRow('acme')).unsigned).toBe('');
    expect((await overviewRow('globex')).unsigned).toBe('2026-11');
  });
});
