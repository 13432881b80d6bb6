import type { FastifyPluginAsync } from 'fastify';
import { Report, ReportParams } from '../../../../schemas/index.js';
import { assertSite, principalOf, READERS, REPORTERS } from '../../../auth.js';
import { notFound } from '../../../errors.js';
import { reportJson, resultJson } from '../../../repositories/index.js';
import type { TypeBoxProvider } from '../../../type-provider.js';

/** Ingest (POST /api/v1/reports) and reading one report back. */
export const reportsRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();

  app.post(
    '/api/v1/reports',
    {
      config: { auth: { roles: REPORTERS } },
      schema: {
        tags: ['ingest'],
        summary: 'Store and evaluate one report (idempotent by report id)',
        description:
          '201 `{ stored: true, id, device, verdicts }` once evaluated and committed; 200 `{ duplicate: true }` for an id already stored. ' +
          '400 names the offending field, 401/403 for token problems, 413 over the body limit, 415 for a non-JSON body.',
        body: Report,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const started = process.hrtime.bigint();
      const outcome = await app.ingest(request.body, principal, app.clock());
      const core = app.coreMetrics;
      if (outcome.duplicate) {
        core.reportsDuplicate.inc();
        return reply.status(200).send({ duplicate: true, id: outcome.reportId });
      }
      core.ingestSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
      core.reportsIngested.inc();
      core.measurementsIngested.inc(undefined, request.body.measurements.length);
      if (outcome.stripped) core.deviceTextStripped.inc(undefined, outcome.stripped);
      return reply.status(201).send({
        stored: true,
        id: outcome.reportId,
        device: { site: outcome.device.site, hostname: outcome.device.hostname },
        verdicts: Object.fromEntries(outcome.results.map((r) => [r.check, r.verdict])),
      });
    },
  );

  // A customer asks by the alias it was shown (users/report-aliases.ts); anyone may ask by the id.
  const loadReport = async (id: string, site: string | null) => {
    const report = (await app.repos.reports.get(id)) ?? (await app.repos.reports.get(await app.reportIds.stored(id)));
    const device = report && (await app.repos.devices.getById(report.deviceId));
    if (!report || !device) throw notFound(`no report ${id}`);
    if (site !== null && device.site !== site) throw notFound(`no report ${id}`);
    return { report, device };
  };

  app.get(
    '/api/v1/reports/:id',
    { config: { auth: { roles: READERS } }, schema: { tags: ['reports'], summary: 'A report and its six results', params: ReportParams } },
    async (request) => {
      const principal = principalOf(request);
      const { report, device } = await loadReport(request.params.id, principal.site);
      assertSite(principal, device.site);
      const shown = app.redactorFor(principal.role);
      return {
        ...shown.report(reportJson(report)),
        site: device.site,
        hostname: device.hostname,
        results: (await app.repos.results.forReport(report)).map((r) => shown.storedResult(resultJson(r))),
      };
    },
  );

  app.get(
    '/api/v1/reports/:id/measurements',
    {
      config: { auth: { roles: READERS } },
      schema: { tags: ['reports'], summary: 'The raw measurements of a report (empty once retention pruned them)', params: ReportParams },
    },
    async (request) => {
      const principal = principalOf(request);
      const { report } = await loadReport(request.params.id, principal.site);
      const shown = app.redactorFor(principal.role);
      return { id: shown.reportId(report.reportId), pruned: report.measurementsPruned, measurements: (await app.repos.reports.measurements(report.id)).map((m) => shown.measurement(m)) };
    },
  );
};
