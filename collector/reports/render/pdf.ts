import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PDFKitDocument from 'pdfkit';
import type SvgToPdf from 'svg-to-pdfkit';
import { renderChart, type ChartSpec } from '../../charts/index.js';
import { XunjianError, type Verdict } from '../../../schemas/index.js';
import { cellText, cellTone, type ReportDocument, type Table } from '../document.js';
import { formatTime, word } from '../labels.js';
import { coverLines, dateWord } from './cover.js';
import { NO_BRANDING, type Branding } from '../../branding.js';

/**
 * pdfkit and svg-to-pdfkit are loaded with the first PDF (both are CommonJS, so this is the module
 * an import would give): ~0.4 s of CPU that every command paid at start, though most draw none.
 */
let lib: { PDFDocument: typeof PDFKitDocument; SVGtoPDF: typeof SvgToPdf } | undefined;
function pdfLib(): NonNullable<typeof lib> {
  if (!lib) {
    const require = createRequire(import.meta.url);
    lib = { PDFDocument: require('pdfkit') as typeof PDFKitDocument, SVGtoPDF: require('svg-to-pdfkit') as typeof SvgToPdf };
  }
  return lib;
}

/**
 * PDFs are made on the server with pdfkit (no browser). Chinese needs a CJK font embedded:
 * Debian's fonts-noto-cjk ships Noto Sans CJK as a TrueType collection; pdfkit (fontkit) picks
 * the Simplified Chinese face out of it by PostScript name and embeds only the glyphs used.
 */
export const CJK_FONT = {
  regular: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  bold: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc',
  regularFace: 'NotoSansCJKsc-Regular',
  boldFace: 'NotoSansCJKsc-Bold',
};

let fontCache: { regular: Buffer; bold: Buffer } | undefined;
function fonts(): { regular: Buffer; bold: Buffer } {
  if (fontCache) return fontCache;
  if (!existsSync(CJK_FONT.regular)) {
    throw new XunjianError('FONT', `the CJK font ${CJK_FONT.regular} is missing: install the Debian package fonts-noto-cjk`);
  }
  const regular = readFileSync(CJK_FONT.regular);
  const bold = existsSync(CJK_FONT.bold) ? readFileSync(CJK_FONT.bold) : regular;
  fontCache = { regular, bold };
  return fontCache;
}

const TONE_COLOUR: Record<Verdict, string> = { normal: '#166534', abnormal: '#b91c1c', unknown: '#b45309' };
const PAD = 3;
const FONT_SIZE = 8;
/** A cell never grows taller than this; longer text is cut with an ellipsis (the HTML has it all). */
const MAX_CELL_HEIGHT = 200;

type Pdf = PDFKit.PDFDocument;

function drawTable(pdf: Pdf, table: Table): void {
  const left = pdf.page.margins.left;
  const usable = pdf.page.width - left - pdf.page.margins.right;
  const total = table.columns.reduce((s, c) => s + (c.width ?? 1), 0);
  const widths = table.columns.map((c) => ((c.width ?? 1) / total) * usable);
  const bottom = () => pdf.page.height - pdf.page.margins.bottom;

  const rowHeight = (texts: string[], bold: boolean) => {
    pdf.font(bold ? 'bold' : 'regular').fontSize(FONT_SIZE);
    let h = 0;
    texts.forEach((t, i) => {
      if (t) h = Math.max(h, pdf.heightOfString(t, { width: widths[i]! - 2 * PAD }));
    });
    return Math.min(MAX_CELL_HEIGHT, Math.max(h, FONT_SIZE + 2)) + 2 * PAD;
  };

  const drawRow = (texts: string[], colours: (string | undefined)[], bold: boolean, fill?: string) => {
    const h = rowHeight(texts, bold);
    const y = pdf.y;
    let x = left;
    texts.forEach((t, i) => {
      const w = widths[i]!;
      if (fill) pdf.rect(x, y, w, h).fill(fill);
      pdf.rect(x, y, w, h).lineWidth(0.5).strokeColor('#888').stroke();
      pdf
        .font(bold || colours[i] === TONE_COLOUR.abnormal ? 'bold' : 'regular')
        .fontSize(FONT_SIZE)
        .fillColor(colours[i] ?? '#111')
        .text(t, x + PAD, y + PAD, {
          width: w - 2 * PAD,
          height: h - 2 * PAD,
          ellipsis: true,
          align: table.columns[i]?.align === 'right' ? 'right' : 'left',
          lineBreak: true,
        });
      x += w;
    });
    pdf.fillColor('#111');
    pdf.x = left;
    pdf.y = y + h;
  };

  const header = table.columns.map((c) => c.label);
  const drawHeader = () => drawRow(header, [], true, '#eeeeee');
  if (pdf.y + rowHeight(header, true) * 2 > bottom()) pdf.addPage();
  drawHeader();
  for (const row of table.rows) {
    const texts = row.map(cellText);
    const colours = row.map((c) => {
      const tone = cellTone(c);
      return tone ? TONE_COLOUR[tone] : undefined;
    });
    if (pdf.y + rowHeight(texts, false) > bottom()) {
      pdf.addPage();
      drawHeader();
    }
    drawRow(texts, colours, false);
  }
  pdf.moveDown(0.5);
}

/** Logo height on the cover, in points (about 10 mm). */
const LOGO_HEIGHT = 28;

/** The widest a logo may be on the cover, in points; a wider one is scaled down to it. */
const LOGO_MAX_WIDTH = 160;

/**
 * An SVG's own size from its root element: width and height in user units (px or none), else its
 * viewBox; a logo that states neither is drawn as a 3:1 box.
 */
function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/i.exec(svg)?.[0] ?? '';
  const attr = (name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(root)?.[1]?.trim();
  const length = (v: string | undefined) => (v && /^\d+(?:\.\d+)?(?:px)?$/.test(v) ? parseFloat(v) : undefined);
  const box = attr('viewBox')?.split(/[\s,]+/).map(Number);
  const w = length(attr('width')) ?? (box?.length === 4 ? box[2] : undefined);
  const h = length(attr('height')) ?? (box?.length === 4 ? box[3] : undefined);
  return w && h && w > 0 && h > 0 && Number.isFinite(w) && Number.isFinite(h) ? { width: w, height: h } : { width: 3 * LOGO_HEIGHT, height: LOGO_HEIGHT };
}

/**
 * The service company on the cover: the logo in a box LOGO_HEIGHT high (at most LOGO_MAX_WIDTH
 * wide, its proportions kept) — PNG or JPEG as an image, SVG as vectors by svg-to-pdfkit — and the
 * company's name beside it.
 */
function drawBrand(pdf: Pdf, brand: Branding): void {
  if (!brand.logo && !brand.company) return;
  const left = pdf.page.margins.left;
  const top = pdf.y;
  let x = left;
  if (brand.logo) {
    const svg = brand.logo.type === 'image/svg+xml' ? brand.logo.bytes.toString('utf8') : null;
    // openImage (in pdfkit, not in its types) gives the image's size, to put the name beside it.
    const image = svg === null ? (pdf as unknown as { openImage(src: Buffer): { width: number; height: number } }).openImage(brand.logo.bytes) : null;
    const size = image ?? svgSize(svg!);
    const scale = Math.min(LOGO_HEIGHT / size.height, LOGO_MAX_WIDTH / size.width);
    const width = size.width * scale;
    if (image) pdf.image(image as unknown as Buffer, left, top, { fit: [width, LOGO_HEIGHT] });
    else drawSvgLogo(pdf, svg!, size, left, top, scale);
    x += width + 8;
  }
  if (brand.company) pdf.font('bold').fontSize(12).fillColor('#111').text(brand.company, x, top + (LOGO_HEIGHT - 12) / 2, { lineBreak: false });
  pdf.x = left;
  pdf.y = top + LOGO_HEIGHT + 6;
}

/**
 * An SVG logo at its own size, scaled into the cover's box. It reaches nothing outside itself: an
 * <image> may only be a data: PNG or JPEG (never a path on the collector's disk or a URL), and
 * svg-to-pdfkit follows no other document and runs no script.
 */
function drawSvgLogo(pdf: Pdf, svg: string, size: { width: number; height: number }, left: number, top: number, scale: number): void {
  pdf.save();
  pdf.translate(left, top).scale(scale);
  pdfLib().SVGtoPDF(pdf, svg, 0, 0, {
    width: size.width,
    height: size.height,
    fontCallback: (_family, bold) => (bold ? 'bold' : 'regular'),
    imageCallback: (link) => (/^data:image\/(?:png|jpeg);base64,/i.test(link) ? link : ''),
    warningCallback: () => undefined,
  });
  pdf.restore();
}

const CHART = { width: 720, height: 280 };

/**
 * A chart as vectors (svg-to-pdfkit draws ECharts' SVG with pdfkit's own operators), scaled to the
 * text width, its text in the embedded CJK font; on a new page when it would not fit.
 */
function drawChart(pdf: Pdf, spec: ChartSpec, frame: { zone: string; lang: 'zh' | 'en' }): void {
  const left = pdf.page.margins.left;
  const width = Math.min(pdf.page.width - left - pdf.page.margins.right, 520);
  const height = (width * CHART.height) / CHART.width;
  if (pdf.y + height > pdf.page.height - pdf.page.margins.bottom) pdf.addPage();
  const y = pdf.y;
  pdfLib().SVGtoPDF(pdf, renderChart(spec, { ...frame, ...CHART }), left, y, {
    width,
    height,
    fontCallback: (_family, bold) => (bold ? 'bold' : 'regular'),
    warningCallback: () => undefined,
  });
  pdf.x = left;
  pdf.y = y + height + 4;
}

/** The report as a PDF (A4; landscape for wide forms) with the CJK font embedded. */
export function renderPdf(doc: ReportDocument, brand: Branding = NO_BRANDING): Promise<Buffer> {
  const f = fonts();
  const pdf = new (pdfLib().PDFDocument)({
    size: 'A4',
    layout: doc.landscape ? 'landscape' : 'portrait',
    margins: { top: 36, bottom: 36, left: 32, right: 32 },
    info: { Title: `${doc.title} ${doc.site} ${doc.period}`, Creator: 'Xunjian', Producer: 'Xunjian (pdfkit)' },
    bufferPages: false,
  });
  pdf.registerFont('regular', f.regular, CJK_FONT.regularFace);
  pdf.registerFont('bold', f.bold, CJK_FONT.boldFace);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const left = pdf.page.margins.left;
  const lang = doc.lang;

  drawBrand(pdf, brand);
  pdf.font('bold').fontSize(16).text(doc.title, left);
  drawCover(pdf, doc);
  pdf
    .font('regular')
    .fontSize(9)
    .fillColor('#444')
    .text(
      `${word(lang, 'site')}: ${doc.siteTitle ? `${doc.siteTitle} (${doc.site})` : doc.site}    ${word(lang, 'period')}: ${doc.period}    ${word(lang, 'generatedAt')}: ${formatTime(doc.generatedAt, doc.timeZone)}`,
    )
    .fillColor('#111');
  pdf.moveDown(0.5);
  // Headline figures, one per line: "设备数量: 12" — what a reader (and pdftotext) finds first.
  for (const fact of doc.facts) {
    pdf.font('regular').fontSize(10).fillColor('#111').text(`${fact.label}: `, { continued: true });
    pdf.font('bold').fillColor(fact.tone && fact.tone !== 'normal' ? TONE_COLOUR[fact.tone] : '#111').text(fact.value);
  }
  pdf.fillColor('#111');

  for (const section of doc.sections) {
    if (section.pageBreak || pdf.y > pdf.page.height - pdf.page.margins.bottom - 60) pdf.addPage();
    else pdf.moveDown(0.6);
    pdf.x = left;
    pdf.font('bold').fontSize(11).text(section.heading, left);
    pdf.moveDown(0.2);
    for (const p of section.paragraphs ?? []) pdf.font('regular').fontSize(9).text(p, left);
    if (section.table) {
      pdf.moveDown(0.2);
      drawTable(pdf, section.table);
    }
    if (section.chart) drawChart(pdf, section.chart, { zone: doc.timeZone, lang: doc.lang });
  }
  drawSignatures(pdf, doc);
  pdf.end();
  return done;
}

/** The cover's customer name and contract number (render/cover.ts), under the title. */
function drawCover(pdf: Pdf, doc: ReportDocument): void {
  const left = pdf.page.margins.left;
  for (const line of coverLines(doc)) {
    pdf.font('regular').fontSize(10).fillColor('#444').text(`${line.label}: `, left, undefined, { continued: true });
    pdf.font('bold').fillColor(line.missing ? TONE_COLOUR.unknown : '#111').text(line.value);
  }
  pdf.fillColor('#111');
}

/** The signature block, kept together on one page: name and time when signed, else lines to sign on paper. */
function drawSignatures(pdf: Pdf, doc: ReportDocument): void {
  if (!doc.signatures) return;
  const left = pdf.page.margins.left;
  if (pdf.y > pdf.page.height - pdf.page.margins.bottom - 40 - 30 * doc.signatures.length) pdf.addPage();
  pdf.moveDown(1.5);
  for (const s of doc.signatures) {
    pdf.font('regular').fontSize(10).text(`${s.label}: ${s.name ?? '________________'}    ${dateWord(doc.lang)}: ${s.at ?? '________________'}`, left);
    pdf.moveDown(0.8);
  }
}
