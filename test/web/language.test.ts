import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../schemas/index.js';
import { pdfText, seedSite, type SeededSite } from '../reports/seed.js';

/**
 * Results are stored in Chinese (the collector's default evaluation language). An English page or
 * report re-derives the expected text (检查期待结果) from the check catalogue and the thresholds the
 * result was judged against, so no Chinese is left in that column; the Chinese page keeps Chinese.
 * Pages are read with a bearer token (the dashboard accepts one as well as a session).
 */
const CJK = /[\u4e00-\u9fff]/;
const DEVICES = ['db01', 'db02', 'db03', 'app04'];
let s: SeededSite;

beforeAll(async () => {
  s = await seedSite();
  // A site override: the English text must carry avgMax 70 % (the applied value), not the default 50 %.
  const patch = await s.collector.request('PATCH', '/api/v1/sites/acme', { token: s.tokens.engineer, body: { thresholds: { site: { 'SXKR-001': { avgMax: 70 } } } } });
  expect(patch.status).toBe(200);
  // db01 reports again after the change, so its CPU row was judged against 70 %.
  const { realisticReport } = await import('../helpers/collector.js');
  const res = await s.collector.request('POST', '/api/v1/reports', { token: s.collector.agentFor('acme', 'db01'), body: realisticReport({ hostname: 'db01', at: new Date('2026-11-27T10:00:00.000Z') }) });
  expect(res.status).toBe(201);
  // The customer reads a month's record once the engineer has signed it (a draft is a 404 for them).
  expect((await s.collector.request('POST', '/api/v1/sites/acme/inspections/2026-11/sign', { token: s.tokens.engineer, body: {} })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await s?.collector.stop();
});

async function page(path: string, token = s.tokens.customer): Promise<string> {
  const res = await s.collector.request('GET', path, { token });
  const text = await res.text();
  expect(res.status, `${path}: ${text.slice(0, 200)}`).toBe(200);
  return text;
}

const unescape = (html: string) => html.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');

/** The text after "<b>label:</b>" in a cell's detail. */
function field(html: string, label: string): string | undefined {
  const m = new RegExp(`<b>${label}:</b> ([^<]*)</p>`).exec(html);
  return m ? unescape(m[1]!) : undefined;
}

describe('English pages and reports show the catalogue English, not the stored Chinese', () => {
  it('the review cell of every device and check: expected, actual and reason without Chinese in English, Chinese in Chinese', async () => {
    for (const device of DEVICES) {
      for (const check of CHECK_IDS) {
        const path = `/sites/acme/cell?month=2026-11&device=${device}&check=${check}&fragment=1`;
        const en = await page(`${path}&lang=en`);
        const expected = field(en, 'Expected');
        expect(expected, `${device} ${check}`).toBeTruthy();
        expect(expected, `${device} ${check}`).not.toMatch(CJK);
        expect(field(en, 'Reason') ?? '', `${device} ${check}`).not.toMatch(CJK);
        const zh = await page(`${path}&lang=zh`);
        expect(field(zh, '期待结果'), `${device} ${check}`).toMatch(CJK);
      }
    }
    const cpu = await page('/sites/acme/cell?month=2026-11&device=db01&check=SXKR-001&fragment=1&lang=en');
    expect(field(cpu, 'Expected')).toBe('CPU average ≤ 70 % and maximum ≤ 70 % over the window');
    const log = await page('/sites/acme/cell?month=2026-11&device=db03&check=SXKR-006&fragment=1&lang=en');
    expect(log).toContain('not measured');
  });

  it('the device page lists the latest results with an English expected column', async () => {
    for (const device of DEVICES) {
      const en = await page(`/sites/acme/devices/${device}?lang=en`);
      const cells = [...en.matchAll(/<td class="expected">([^<]*)<\/td>/g)].map((m) => unescape(m[1]!));
      expect(cells, device).toHaveLength(6);
      for (const c of cells) expect(c, device).not.toMatch(CJK);
      const zh = await page(`/sites/acme/devices/${device}?lang=zh`);
      const zhCells = [...zh.matchAll(/<td class="expected">([^<]*)<\/td>/g)].map((m) => m[1]!);
      expect(zhCells.every((c) => CJK.test(c)), device).toBe(true);
    }
  });

  it('the monthly inspection report in English has no Chinese in the expected column (JSON and PDF), the Chinese one has', async () => {
    type Doc = { sections: { heading: string; table?: { columns: { label: string }[]; rows: unknown[][] } }[] };
    const text = (v: unknown) => (v && typeof v === 'object' ? String((v as { text: string }).text) : String(v ?? ''));
    const expectedColumn = (doc: Doc, label: string) =>
      doc.sections.flatMap((sec) => {
        const i = sec.table?.columns.findIndex((c) => c.label === label) ?? -1;
        return i < 0 ? [] : sec.table!.rows.map((r) => text(r[i]));
      });
    const en = JSON.parse(await page('/api/v1/sites/acme/reports/inspection?month=2026-11&format=json&lang=en')) as Doc;
    const enExpected = expectedColumn(en, 'Expected');
    expect(enExpected).toHaveLength(24);
    for (const e of enExpected) expect(e).not.toMatch(CJK);
    expect(enExpected).toContain('CPU average ≤ 70 % and maximum ≤ 70 % over the window');
    // db02 was judged before the override: its row keeps the thresholds of its result, not today's.
    expect(enExpected).toContain('CPU average ≤ 50 % and maximum ≤ 70 % over the window');
    const zh = JSON.parse(await page('/api/v1/sites/acme/reports/inspection?month=2026-11&format=json&lang=zh')) as Doc;
    const zhExpected = expectedColumn(zh, '期待结果');
    expect(zhExpected).toHaveLength(24);
    expect(zhExpected.every((e) => CJK.test(e))).toBe(true);

    // The whole English PDF: the seed's devices report nothing in Chinese, so no Chinese is left at all.
    const res = await s.collector.request('GET', '/api/v1/sites/acme/reports/inspection?month=2026-11&format=pdf&lang=en', { token: s.tokens.engineer });
    const pdf = pdfText(Buffer.from(await res.arrayBuffer()), s.collector.dir, 'inspection-en');
    expect(pdf).toContain('Expected');
    expect(pdf).not.toMatch(CJK);
  });

  it('a ticket opened by the ingest names its check in the page language', async () => {
    const en = await page('/sites/acme/tickets?lang=en', s.tokens.engineer);
    expect(en).toContain('SXKR-004 Power supplies and fans: ');
    expect(en).not.toContain('设备电源及风扇检查');
    const zh = await page('/sites/acme/tickets?lang=zh', s.tokens.engineer);
    expect(zh).toContain('SXKR-004 设备电源及风扇检查: ');
  });
});
