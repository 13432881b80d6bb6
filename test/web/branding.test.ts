import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, inflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCollectorConfig } from '../../collector/index.js';
import { hashPassword, UsersRepository } from '../../collector/users/index.js';
import { realisticReport, startTestCollector, tempDir, type TestCollector } from '../helpers/collector.js';
import { pdfText } from '../reports/seed.js';
import { launchChromium } from './fixtures/seeded-dashboard.js';

/*
 * The service company's name and logo (config `branding`) on the log-in page, in every page's
 * header and on the report covers; an SVG logo is served as an image that runs nothing; a bad
 * logo stops the configuration from loading with the file and the reason. Without branding, the
 * product's own name only.
 */
const COMPANY = '华信数据服务有限公司';
const dir = tempDir();
let browser: Browser;
let png: Buffer;
let branded: TestCollector;
let plain: TestCollector;
const pngPath = join(dir, 'logo.png');
const svgPath = join(dir, 'logo.svg');
/** An SVG that would run a script and set a cookie if it were ever inlined or opened as a document. */
const HOSTILE_SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20" onload="document.title=\'pwned\'"><script>document.title="pwned"</script><rect width="80" height="20" fill="#1d4ed8"/></svg>\n';

beforeAll(async () => {
  browser = await launchChromium();
  // A real PNG: Chromium's own picture of a blue box.
  const page = await browser.newPage({ viewport: { width: 120, height: 40 } });
  await page.setContent('<body style="margin:0;background:#1d4ed8"></body>');
  png = await page.screenshot({ type: 'png' });
  await page.close();
  writeFileSync(pngPath, png);
  writeFileSync(svgPath, HOSTILE_SVG);
  branded = await startTestCollector({ branding: { company: COMPANY, logo: pngPath } });
  plain = await startTestCollector();
  // A device at acme, so that its reports exist.
  for (const c of [branded, plain]) {
    const res = await c.request('POST', '/api/v1/reports', { token: c.agentFor('acme', 'db01'), body: realisticReport({ hostname: 'db01' }) });
    expect(res.status, await res.clone().text()).toBe(201);
  }
  await new UsersRepository(branded.store).create({ name: 'wang', role: 'engineer', passwordHash: await hashPassword('engineer-pass-1'), sites: ['acme'] });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await branded?.stop();
  await plain?.stop();
});

/** A vector logo in a colour nothing else in a report uses, and an <image> naming a file on the collector's disk. */
const LOGO_SVG = (png: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="30" viewBox="0 0 240 60"><path d="M10 50 L40 10 L70 50 Z" fill="#123456"/><rect x="90" y="10" width="140" height="40" fill="#123456"/><image x="0" y="0" width="20" height="20" xlink:href="${png}"/></svg>`;
/** #123456 as pdfkit sets it as the fill colour. */
const LOGO_FILL = /0\.0705\d* 0\.2039\d* 0\.3372\d* (?:rg|scn)/;

/** The PDF's streams (page content, images), inflated where they are compressed. */
function pdfStreams(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const raw = pdf.subarray(start, text.indexOf('endstream', start));
    try {
      out.push(inflateSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }).toString('latin1'));
    } catch {
      out.push(raw.toString('latin1'));
    }
  }
  return out.join('\n');
}

describe('branding', () => {
  it('the company name and logo are on the log-in page and in the header of every page after it', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${branded.url}/login?lang=zh`);
    expect(await page.locator('main .product .brand .company').textContent()).toBe(COMPANY);
    expect(await page.locator('header .brand .company').textContent()).toBe(COMPANY);
    expect(await page.locator('header .brand .product-name').textContent()).toBe('巡检');
    // The logo loaded (an image the browser decoded), not a broken link.
    const widths = await page.locator('img.logo').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
    expect(widths).toEqual([120, 120]);
    await page.fill('input[name=name]', 'wang');
    await page.fill('input[name=password]', 'engineer-pass-1');
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login button[type=submit]')]);
    expect(await page.locator('header .brand .company').textContent()).toBe(COMPANY);
    expect(await page.locator('header img.logo').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(120);
    // An error page too (its frame is the same).
    await page.goto(`${branded.url}/no/such/page?lang=en`);
    expect(await page.locator('header .brand .company').textContent()).toBe(COMPANY);
    await page.context().close();
  });

  it('the logo is served as the image it is, with a policy that lets it run nothing', async () => {
    const res = await fetch(`${branded.url}/branding/logo`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(`${plain.url}/branding/logo`)).status).toBe(404);
  });

  it('an SVG logo is an image: served as image/svg+xml under a sandbox, never inlined, its script never runs', async () => {
    const svg = await startTestCollector({ branding: { logo: svgPath } });
    try {
      const res = await fetch(`${svg.url}/branding/logo`);
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
      expect(res.headers.get('content-security-policy')).toMatch(/sandbox/);
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${svg.url}/login?lang=en`);
      expect(await page.locator('svg').count()).toBe(0);
      // Without a company name the image itself carries the name a screen reader reads.
      expect(await page.locator('header img.logo').getAttribute('alt')).toBe('Company logo');
      expect(await page.locator('header img.logo').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(80);
      expect(await page.title()).not.toContain('pwned');
      // Opened by itself, the SVG's own script is stopped by the policy.
      await page.goto(`${svg.url}/branding/logo`);
      expect(await page.title()).not.toBe('pwned');
      await page.context().close();
    } finally {
      await svg.stop();
    }
  });

  it('the report covers name the company, with the logo in the HTML and in the PDF', async () => {
    const token = branded.token('engineer', 'acme', 'Wang Gong');
    const htmlRes = await branded.request('GET', '/api/v1/sites/acme/reports/products?lang=zh', { token });
    expect(htmlRes.status).toBe(200);
    expect(htmlRes.headers.get('content-security-policy')).toContain('img-src data:');
    const body = await htmlRes.text();
    expect(body).toContain(`<span class="company">${COMPANY}</span>`);
    expect(body).toContain(`<img src="data:image/png;base64,${png.toString('base64')}"`);
    const pdfRes = await branded.request('GET', '/api/v1/sites/acme/reports/products?lang=zh&format=pdf', { token });
    expect(pdfRes.status).toBe(200);
    const pdf = Buffer.from(await pdfRes.arrayBuffer());
    expect(pdfText(pdf, dir, 'branded')).toContain(COMPANY);
    // pdfimages (poppler-utils) lists the images the PDF holds: the 120 × 40 logo.
    const images = execFileSync('pdfimages', ['-list', join(dir, 'branded.pdf')], { encoding: 'utf8' });
    expect(images).toMatch(/^\s*1\s+\d+\s+image\s+120\s+40\s/m);
  });

  it('the PDF cover draws the logo: a PNG as an image, an SVG as paths in its own colour, nothing from outside it', async () => {
    const logoPath = join(dir, 'vector-logo.svg');
    writeFileSync(logoPath, LOGO_SVG(pngPath));
    const vector = await startTestCollector({ branding: { company: COMPANY, logo: logoPath } });
    try {
      expect((await vector.request('POST', '/api/v1/reports', { token: vector.agentFor('acme', 'db01'), body: realisticReport({ hostname: 'db01' }) })).status).toBe(201);
      const pdfOf = async (c: TestCollector) => {
        const res = await c.request('GET', '/api/v1/sites/acme/reports/products?lang=zh&format=pdf', { token: c.token('engineer', 'acme', 'Wang Gong') });
        expect(res.status).toBe(200);
        return Buffer.from(await res.arrayBuffer());
      };
      const [withSvg, withPng, without] = await Promise.all([pdfOf(vector), pdfOf(branded), pdfOf(plain)]);
      const [svgStreams, pngStreams, plainStreams] = [pdfStreams(withSvg), pdfStreams(withPng), pdfStreams(without)];
      // SVG: the logo's shapes are filled in its colour, as vector paths (a move, lines, a close; a rectangle).
      expect(svgStreams).toMatch(LOGO_FILL);
      const drawn = svgStreams.slice(svgStreams.search(LOGO_FILL), svgStreams.search(LOGO_FILL) + 400);
      expect(drawn).toMatch(/\bm\b[^]*\bl\b/);
      expect(plainStreams).not.toMatch(LOGO_FILL);
      expect(pngStreams).not.toMatch(LOGO_FILL);
      // The <image> naming a PNG on the collector's disk was not read into the PDF: no image at all.
      expect(withSvg.toString('latin1')).not.toMatch(/\/Subtype \/Image/);
      expect(pdfText(withSvg, dir, 'svg-logo')).toContain(COMPANY);
      // PNG: an image XObject, painted on the cover (Do); the plain report has none.
      expect(withPng.toString('latin1')).toMatch(/\/Subtype \/Image/);
      expect(pngStreams).toMatch(/\/I\d+ Do/);
      expect(without.toString('latin1')).not.toMatch(/\/Subtype \/Image/);
      expect(plainStreams).not.toMatch(/\/I\d+ Do/);
    } finally {
      await vector.stop();
    }
  });

  it('without branding: the product name only, no logo, no company on pages or reports', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${plain.url}/login?lang=zh`);
    expect(await page.locator('header .brand').textContent()).toBe('巡检');
    expect(await page.locator('img').count()).toBe(0);
    await page.context().close();
    const body = await (await plain.request('GET', '/api/v1/sites/acme/reports/products?lang=zh', { token: plain.token('engineer', 'acme', 'Wang Gong') })).text();
    expect(body).not.toContain('class="brand"');
    expect(body).not.toContain('<img');
  });

  it('a bad logo stops the configuration from loading, naming the file and the reason', () => {
    const config = (branding: object) => {
      const file = join(dir, `collector-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify({ branding }));
      return () => loadCollectorConfig({ config: file }, {});
    };
    expect(config({ logo: join(dir, 'missing.png') })).toThrow(/branding\.logo .*missing\.png: cannot be read \(ENOENT\)/);
    writeFileSync(join(dir, 'big.png'), Buffer.concat([png, Buffer.alloc(300 * 1024)]));
    expect(config({ logo: join(dir, 'big.png') })).toThrow(/big\.png: is 3\d\d KB; a logo may be at most 256 KB/);
    writeFileSync(join(dir, 'page.png'), '<html><script>alert(1)</script></html>');
    expect(config({ logo: join(dir, 'page.png') })).toThrow(/page\.png: is not a PNG, JPEG or SVG image/);
    writeFileSync(join(dir, 'logo-svg.png'), HOSTILE_SVG);
    expect(config({ logo: join(dir, 'logo-svg.png') })).toThrow(/holds image\/svg\+xml but its name does not end in \.svg/);
    expect(config({ logo: dir })).toThrow(/is not a file/);
    // Named relative to the configuration file: found beside it; a good logo loads.
    expect(config({ company: COMPANY, logo: 'logo.png' })()).toMatchObject({ branding: { company: COMPANY, logo: pngPath } });
  });
});
