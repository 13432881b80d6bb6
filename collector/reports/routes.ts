import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Lang } from '../../schemas/index.js';
import { assertViewerSite, requireViewer } from '../users/index.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { REPORT_KINDS, tablesOf, type ReportKind } from './document.js';
import { renderCsv } from './render/csv.js';
import { renderHtml } from './render/html.js';
import { renderPdf } from './render/pdf.js';
import { renderXlsx } from './render/xlsx.js';
import { loadReport, reportSources } from './sources.js';
import { ReportKindParams, ReportQuery } from '../../schemas/reports.js';

const SiteOnly = Type.Object({ site: Type.String({ minLength: 1, maxLength: 100 }) });

const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * GET /api/v1/sites/:site/reports — the reports available; GET …/reports/:kind — one report as
 * printable HTML (default), PDF, CSV (one table: ?table=n), XLSX (every table) or the document as JSON. Readers are
 * people with a session or bearer tokens of engineers, customers (own site) and admins.
 */
export const reportRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const sources = reportSources(app.repos);

  app.get('/api/v1/sites/:site/reports', { schema: { tags: ['reports'], summary: 'The reports of a site', params: SiteOnly } }, async (request) => {
    const viewer = requireViewer(request);
    assertViewerSite(viewer, request.params.site);
    const base = `/api/v1/sites/${encodeURIComponent(request.params.site)}/reports`;
    return {
      site: request.params.site,
      reports: REPORT_KINDS.map((kind) => ({
        kind,
        period: kind === 'health' ? 'quarter' : kind === 'summary' ? 'half=YYYY-H1|H2 or year=YYYY' : kind === 'products' ? 'now' : kind === 'faults' ? 'month or ticket' : 'month',
        html: `${base}/${kind}`,
        pdf: `${base}/${kind}?format=pdf`,
        csv: `${base}/${kind}?format=csv`,
        xlsx: `${base}/${kind}?format=xlsx`,
      })),
    };
  });

  app.get(
    '/api/v1/sites/:site/reports/:kind',
    {
      schema: {
        tags: ['reports'],
        summary: 'One report: inspection (month), products, performance (month), faults (month or ticket), health (quarter)',
        params: ReportKindParams,
        querystring: ReportQuery,
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request);
      const { site, kind } = request.params;
      assertViewerSite(viewer, site);
      const q: Static<typeof ReportQuery> = request.query;
      const lang: Lang = q.lang ?? 'zh';
      const doc = await loadReport(sources, kind as ReportKind, {
        site,
        lang,
        now: app.clock(),
        ...(q.month ? { month: q.month } : {}),
        ...(q.quarter ? { quarter: q.quarter } : {}),
        ...(q.ticket ? { ticket: Number(q.ticket) } : {}),
        ...(q.half ? { half: q.half } : {}),
        ...(q.year ? { year: q.year } : {}),
        shown: app.redactorFor(viewer.role),
        signedOnly: viewer.role === 'customer',
      });
      const format = q.format ?? 'html';
      const filename = `${kind}-${site}-${doc.period}`.replace(/[^\w.-]+/g, '_');
      if (format === 'json') return { ...doc, tables: tablesOf(doc).length };
      if (format === 'pdf') {
        const pdf = await renderPdf(doc, app.branding);
        return reply.type(CONTENT_TYPES.pdf).header('content-disposition', `inline; filename="${filename}.pdf"`).send(pdf);
      }
      if (format === 'xlsx') {
        return reply.type(CONTENT_TYPES.xlsx).header('content-disposition', `attachment; filename="${filename}.xlsx"`).send(await renderXlsx(doc));
      }
      if (format === 'csv') {
        return reply
          .type(CONTENT_TYPES.csv)
          .header('content-disposition', `attachment; filename="${filename}.csv"`)
          .send(renderCsv(doc, q.table ? Number(q.table) : 0));
      }
      return reply.type(CONTENT_TYPES.html).header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'").send(renderHtml(doc, app.branding));
    },
  );
};
