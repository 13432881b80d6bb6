/**
 * bench/review — a site of 1,000 devices with a month of results (one realistic 60-measurement
 * agent report per device per day, ingested through the collector's own ingest path):
 *   - the review page's API time (the inspection record API, and the server-rendered review page),
 *   - the time to first full render of the review page in headless Chromium (matrix of 6,000 cells),
 *   - a device page with its server-drawn charts (30 and 90 days),
 *   - the monthly inspection report's generation time (HTML and PDF), the performance report's (PDF, with charts).
 *
 *   npx tsx bench/review.ts [--devices 1000] [--days 30] [--runs 5]
 *
 * Floor (issue 7): the page under 1 s, the report under 10 s.
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { TokensRepository } from '../collector/index.js';
import { hashPassword, UsersRepository } from '../collector/users/index.js';
import { realisticReport, startTestCollector } from '../test/helpers/collector.js';

const { values: args } = parseArgs({ options: { devices: { type: 'string', default: '1000' }, days: { type: 'string', default: '30' }, runs: { type: 'string', default: '5' } } });
const DEVICES = Number(args.devices);
const DAYS = Number(args.days);
const RUNS = Number(args.runs);
const MONTH = '2026-11';

const clock = { now: new Date('2026-11-01T00:00:00Z') };
const c = await startTestCollector({ silenceScanSeconds: 0, durability: 'normal' }, { now: () => clock.now });
// 1,000 devices through one token: the field CLI's engineer token (an agent token reports for one device).
const engineer = (await new TokensRepository(c.app.store).create({ name: 'bench-engineer', role: 'engineer', site: 'bench' })).row;
const principal = { tokenId: engineer.id, name: engineer.name, role: 'engineer' as const, site: 'bench' };

const t0 = performance.now();
for (let day = 0; day < DAYS; day++) {
  const at = new Date(Date.UTC(2026, 10, 1 + day, 10));
  clock.now = at;
  const batch: Promise<unknown>[] = [];
  for (let d = 0; d < DEVICES; d++) {
    const hostname = `srv${String(d).padStart(4, '0')}`;
    // a few devices misbehave, as on a real site: a failed PSU, a busy CPU, an unreadable log
    batch.push(c.app.ingest(realisticReport({ hostname, at, site: 'bench', cpuAvg: 10 + ((d * 7 + day) % 35), psuFault: d % 97 === 0, logGap: d % 101 === 0 }), principal, at));
  }
  await Promise.all(batch);
}
const seedS = (performance.now() - t0) / 1000;
clock.now = new Date('2026-11-30T12:00:00Z');
const reports = DEVICES * DAYS;
console.log(`seeded ${DEVICES} devices × ${DAYS} days = ${reports} reports (${reports * 60} measurements) in ${seedS.toFixed(1)} s`);

await new UsersRepository(c.app.store).create({ name: 'bench-engineer', role: 'engineer', passwordHash: await hashPassword('bench-password'), sites: [] });
const token = c.token('engineer', 'bench');
const login = await fetch(`${c.url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench-engineer', password: 'bench-password' }) });
const cookie = login.headers.getSetCookie().find((c) => c.startsWith('xj_session='))!.split(';')[0]!;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(label: string, fn: () => Promise<number | void>): Promise<number> {
  const ms: number[] = [];
  let size = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    size = (await fn()) ?? 0;
    ms.push(performance.now() - start);
  }
  const m = median(ms);
  console.log(`${label.padEnd(58)} median ${m.toFixed(0).padStart(6)} ms  (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}${size ? `, ${(size / 1024).toFixed(0)} KiB` : ''})`);
  return m;
}
const fetchLen = async (path: string, headers: Record<string, string>) => {
  const res = await fetch(`${c.url}${path}`, { headers });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.arrayBuffer()).byteLength;
};

const api = await time(`API GET /api/v1/sites/bench/inspections/${MONTH}`, () => fetchLen(`/api/v1/sites/bench/inspections/${MONTH}`, { authorization: `Bearer ${token}` }));
const pageMs = await time(`page GET /sites/bench/review?month=${MONTH} (server render)`, () => fetchLen(`/sites/bench/review?month=${MONTH}`, { cookie }));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const [name, value] = cookie.split('=') as [string, string];
await context.addCookies([{ name, value, url: c.url }]);
const page = await context.newPage();
const render = await time(`Chromium: navigation → load with the full ${DEVICES}-row matrix`, async () => {
  await page.goto(`${c.url}/sites/bench/review?month=${MONTH}`, { waitUntil: 'load' });
  const rows = await page.locator('#matrix .rows [role=row]').count();
  if (rows !== DEVICES) throw new Error(`matrix has ${rows} rows, expected ${DEVICES}`);
});
const paint = await page.evaluate(() => {
  const p = performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint');
  const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
  return { fcp: p?.startTime ?? NaN, load: n.loadEventEnd };
});
console.log(`${'Chromium (last run): first contentful paint / load event'.padEnd(58)} ${paint.fcp.toFixed(0)} ms / ${paint.load.toFixed(0)} ms`);
// The device page draws its charts on the server (ECharts SSR): a month of one device, and 90 days.
const device30 = await time('page GET /sites/bench/devices/srv0000 (charts, 30 days)', () => fetchLen('/sites/bench/devices/srv0000?range=30', { cookie }));
const device90 = await time('page GET /sites/bench/devices/srv0000 (charts, 90 days)', () => fetchLen('/sites/bench/devices/srv0000?range=90', { cookie }));
await browser.close();

const html = await time(`report: monthly inspection, HTML (${DEVICES} devices)`, () => fetchLen(`/api/v1/sites/bench/reports/inspection?month=${MONTH}`, { cookie }));
const pdf = await time(`report: monthly inspection, PDF (${DEVICES} devices)`, () => fetchLen(`/api/v1/sites/bench/reports/inspection?month=${MONTH}&format=pdf`, { cookie }));
const perf = await time(`report: monthly performance, PDF`, () => fetchLen(`/api/v1/sites/bench/reports/performance?month=${MONTH}&format=pdf`, { cookie }));

console.log('\nfigure                         ours        floor');
console.log(`review page (server render)    ${pageMs.toFixed(0).padStart(6)} ms   1000 ms  ${pageMs < 1000 ? 'ok' : 'OVER'}`);
console.log(`review page (Chromium load)    ${render.toFixed(0).padStart(6)} ms   1000 ms  ${render < 1000 ? 'ok' : 'OVER'}`);
console.log(`device page, 30 days           ${device30.toFixed(0).padStart(6)} ms   1000 ms  ${device30 < 1000 ? 'ok' : 'OVER'}`);
console.log(`device page, 90 days           ${device90.toFixed(0).padStart(6)} ms   1000 ms  ${device90 < 1000 ? 'ok' : 'OVER'}`);
console.log(`inspection API                 ${api.toFixed(0).padStart(6)} ms   1000 ms  ${api < 1000 ? 'ok' : 'OVER'}`);
console.log(`monthly report PDF             ${pdf.toFixed(0).padStart(6)} ms  10000 ms  ${pdf < 10000 ? 'ok' : 'OVER'}`);
console.log(`monthly report HTML            ${html.toFixed(0).padStart(6)} ms  10000 ms  ${html < 10000 ? 'ok' : 'OVER'}`);
console.log(`performance report PDF         ${perf.toFixed(0).padStart(6)} ms  10000 ms  ${perf < 10000 ? 'ok' : 'OVER'}`);
await c.stop();
