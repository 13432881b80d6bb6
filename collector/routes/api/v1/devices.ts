import type { FastifyPluginAsync } from 'fastify';
import { overallVerdict } from '../../../../checks/index.js';
import { DeviceParams, DevicePatch, HistoryParams, PageQuery, SiteParams } from '../../../../schemas/index.js';
import { assertSite, EDITORS, principalOf, READERS } from '../../../auth.js';
import { badRequest, notFound } from '../../../errors.js';
import { decodeCursor, deviceJson, encodeCursor, reportJson, resultJson } from '../../../repositories/index.js';
import { auditBy, changeDetail } from '../../../identity/index.js';
import type { TypeBoxProvider } from '../../../type-provider.js';

const DEFAULT_PAGE = 50;

/** Devices of a site (the equipment record), their latest results and history. */
export const devicesRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();

  const requireDevice = (site: string, hostname: string) => {
    const device = app.repos.devices.get(site, hostname);
    if (!device) throw notFound(`no device ${hostname} at site ${site}`);
    return device;
  };

  app.get(
    '/api/v1/sites/:site/devices',
    { config: { auth: { roles: READERS } }, schema: { tags: ['devices'], summary: 'Devices of a site with their overall verdict', params: SiteParams } },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      const shown = app.redactorFor(principal.role);
      const devices = app.repos.devices.listBySite(request.params.site).map((d) => {
        const latest = app.repos.results.latest(d.id);
        return { ...shown.device(deviceJson(d)), verdict: latest.length ? overallVerdict(latest.map((r) => r.result)) : 'unknown' };
      });
      return { site: request.params.site, devices };
    },
  );

  app.get(
    '/api/v1/sites/:site/devices/:hostname',
    { config: { auth: { roles: READERS } }, schema: { tags: ['devices'], params: DeviceParams } },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      return app.redactorFor(principal.role).device(deviceJson(requireDevice(request.params.site, request.params.hostname)));
    },
  );

  app.patch(
    '/api/v1/sites/:site/devices/:hostname',
    {
      config: { auth: { roles: EDITORS } },
      schema: { tags: ['devices'], summary: 'Edit role, notes, expected report interval, thresholds', params: DeviceParams, body: DevicePatch },
    },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      const device = requireDevice(request.params.site, request.params.hostname);
      const updated = app.db.transaction(() => {
        const row = app.repos.devices.update(device.id, request.body)!;
        auditBy(app.db, principal, { action: 'device.update', site: device.site, subject: device.hostname, detail: changeDetail(request.body) }, app.clock().getTime());
        return row;
      })();
      return deviceJson(updated);
    },
  );

  app.get(
    '/api/v1/sites/:site/devices/:hostname/results',
    {
      config: { auth: { roles: READERS } },
      schema: { tags: ['results'], summary: 'The latest result of each of the six checks', params: DeviceParams },
    },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      const device = requireDevice(request.params.site, request.params.hostname);
      const latest = app.repos.results.latest(device.id);
      const shown = app.redactorFor(principal.role);
      return {
        site: device.site,
        hostname: device.hostname,
        verdict: latest.length ? overallVerdict(latest.map((r) => r.result)) : 'unknown',
        results: latest.map((r) => shown.storedResult(resultJson(r))),
      };
    },
  );

  app.get(
    '/api/v1/sites/:site/devices/:hostname/results/:check',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['results'],
        summary: 'History of one check, newest first; follow `next` for older pages',
        params: HistoryParams,
        querystring: PageQuery,
      },
    },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      const shown = app.redactorFor(principal.role);
      const device = requireDevice(request.params.site, request.params.hostname);
      const cursor = request.query.cursor !== undefined ? decodeCursor(request.query.cursor) : undefined;
      if (request.query.cursor !== undefined && !cursor) throw badRequest('bad_cursor', 'cursor is not one this API returned');
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const page = app.repos.results.history(device.id, request.params.check, limit, cursor);
      const last = page[page.length - 1];
      return { results: page.map((r) => shown.storedResult(resultJson(r))), next: page.length === limit && last ? encodeCursor(last) : null };
    },
  );

  app.get(
    '/api/v1/sites/:site/devices/:hostname/reports',
    {
      config: { auth: { roles: READERS } },
      schema: { tags: ['reports'], summary: 'Reports of a device, newest window first', params: DeviceParams, querystring: PageQuery },
    },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      const shown = app.redactorFor(principal.role);
      const device = requireDevice(request.params.site, request.params.hostname);
      const before = request.query.cursor !== undefined ? Number(request.query.cursor) : undefined;
      if (before !== undefined && !Number.isSafeInteger(before)) throw badRequest('bad_cursor', 'cursor is not one this API returned');
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const page = app.repos.reports.listByDevice(device.id, limit, before);
      const last = page[page.length - 1];
      return { reports: page.map((r) => shown.report(reportJson(r))), next: page.length === limit && last ? String(last.windowEnd) : null };
    },
  );
};
