import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../collector/reports/index.js';
import { pdfText, seedSite, type SeededSite } from './seed.js';

/**
 * Charts in the reports, read back from real bytes: the HTML carries the chart as inline SVG, the
 * PDF draws it as vectors whose text (axis labels, legend) pdftotext finds. The seeded acme site:
 * db01 reported on 5 and 20 November, the others on the 20th; db03 was down 12 hours on 10 November.
 */
let s: SeededSite;
beforeAll(async () => {
  s = await seedSite();
}, 60_000);
afterAll(async () => {
  await s?.collector.stop();
});

const get = (path: string) => s.collector.request('GET', path, { token: s.tokens.engineer });
const squeeze = (text: string) => text.replace(/[ \t]+/g, ' ');
async function pdfOf(path: string): Promise<{ bytes: Buffer; text: string }> {
  const res = await get(path);
  expect(res.status).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  return { bytes, text: squeeze(pdfText(bytes, s.collector.dir, path.replace(/\W+/g, '_'))) };
}
const svgsOf = (html: string) => html.match(/<figure class="chart"><svg [\s\S]*?<\/svg><\/figure>/g) ?? [];

describe('report charts', () => {
  it('performance HTML: CPU and memory by day as inline SVG, local dates, hover titles, no script', async () => {
    const res = await get('/api/v1/sites/acme/reports/performance?month=2026-11&lang=en');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    const svgs = svgsOf(html);
    expect(svgs).toHaveLength(2);
    expect(svgs[0]).toContain('aria-label="CPU utilisation by day (all devices)"');
    expect(svgs[0]).toContain('data-from="2026-11-01" data-to="2026-11-30"');
    for (const label of ['>daily mean<', '>daily peak<', '>limit 70%<', '>100%<', '>11-05<']) expect(svgs[0]).toContain(label);
    // one reading per local day: 5 November (db01) and 20 November (every device), midnight +08:00
    const titles = svgs[0]!.match(/<title>[^<]*<\/title>/g) ?? [];
    expect(titles).toHaveLength(2);
    expect(titles[0]).toContain('2026-11-05 00:00 +08:00');
    expect(titles[1]).toContain('2026-11-20 00:00 +08:00');
    expect(html).not.toMatch(/<script|<style>(?![\s\S]*?<\/style>\s*<\/head>)/);
    expect(svgs.join('')).not.toContain(' style=');
  });

  it('performance PDF: the charts are drawn, with their axis labels and legend as text', async () => {
    const { bytes, text } = await pdfOf('/api/v1/sites/acme/reports/performance?month=2026-11&format=pdf');
    expect(text).toContain('CPU 利用率趋势（全部设备，按天）');
    expect(text).toContain('内存利用率趋势（全部设备，按天）');
    for (const label of ['日平均', '日峰值', '阈值 70%', '100%', '11-05', '11-20']) expect(text).toContain(label);
    // The same report without its trend data has no chart: fewer bytes, none of the chart's words
    const res = await get('/api/v1/sites/acme/reports/performance?month=2026-11&format=json');
    const doc = (await res.json()) as Parameters<typeof renderPdf>[0];
    const bare = await renderPdf({ ...doc, sections: doc.sections.filter((x) => !x.chart) });
    const bareText = pdfText(bare, s.collector.dir, 'performance-bare');
    expect(bareText).not.toContain('日峰值');
    expect(bytes.length).toBeGreaterThan(bare.length + 2000);
  });

  it('health (quarter): availability by month and faults by check, in HTML and PDF', async () => {
    const html = await (await get('/api/v1/sites/acme/reports/health?quarter=2026-Q4')).text();
    const svgs = svgsOf(html);
    expect(svgs).toHaveLength(2);
    const [avail, faults] = svgs as [string, string];
    // October and November have begun (no downtime in October); December has not: no bar
    expect(avail.match(/<title>[^<]*<\/title>/g)).toEqual(['<title>2026-10 · 硬件可用率: 100%</title>', expect.stringMatching(/^<title>2026-11 · 硬件可用率: 99\.\d+%<\/title>$/)]);
    expect(avail).toContain('>2026-12<');
    // the quarter's three tickets: a CPU, a PSU and the device-down one
    expect(faults.match(/<title>[^<]*<\/title>/g)).toEqual(['<title>设备CPU利用率情况检查: 1 (33.3%)</title>', '<title>设备电源及风扇检查: 1 (33.3%)</title>', '<title>设备宕机: 1 (33.3%)</title>']);
    const { text } = await pdfOf('/api/v1/sites/acme/reports/health?quarter=2026-Q4&format=pdf');
    for (const label of ['硬件可用率（按月）', '故障单按检查项分布', '2026-10', '2026-12', '设备宕机: 1']) expect(text).toContain(label);
  });

  it('summary (half and annual): availability and fault distribution charts; CSV and XLSX leave charts out', async () => {
    for (const q of ['half=2026-H2', 'year=2026']) {
      const html = await (await get(`/api/v1/sites/acme/reports/summary?${q}`)).text();
      expect(svgsOf(html).map((x) => /aria-label="([^"]*)"/.exec(x)![1])).toEqual(['硬件可用率（按月）', '故障单按检查项分布']);
      const { text } = await pdfOf(`/api/v1/sites/acme/reports/summary?${q}&format=pdf`);
      expect(text).toContain('故障单按检查项分布');
    }
    const csv = await (await get('/api/v1/sites/acme/reports/summary?half=2026-H2&format=csv')).text();
    expect(csv).not.toMatch(/svg|<title>/);
  });
});
