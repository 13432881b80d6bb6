import type { FastifyPluginAsync } from 'fastify';
import { overallVerdict } from '../../../../checks/index.js';
import { DeviceParams, DeviceRecordPatch, HistoryParams, PageQuery, SiteParams } from '../../../../schemas/index.js';
import { assertSite, EDITORS, principalOf, READERS } from '../../../auth.js';
import { badRequest, notFound } from '../../../errors.js';
import { decodeCursor, deviceJson, encodeCursor, reportJson, resultJson } from '../../../repositories/index.js';
import { EquipmentActions } from '../../../equipment/index.js';
import { actorOf } from '../../../users/index.js';
import type { TypeBoxProvider } from '../../../type-provider.js';

const DEFAULT_PAGE = 50;
/** Why a device put on record by hand has no verdict: never normal, unknown with the reason. */
const NOT_MONITORED = 'not monitored: nothing reports for this device (on record by hand)';

/** Devices of a site (the equipment record), their latest results and history. */
export const devicesRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const equipment = new EquipmentActions(app);

  const requireDevice = async (site: string, hostname: string) => {
    const device =await  await app.repos.devices.get(site, hostname);
    if (!device) throw notFound(`no device ${hostname} at site ${site}`);
    return device;
  };

  app.get(
    '/api/v1/sites/:site/devices',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['devices'],
        summary: 'Devices of a site with their overall verdict',
        description:
          'A device without results is `unknown`; one nothing reports for (`monitored: false`, e.g. put on record by hand) says so in `reason`. ' +
          "`entered` (a person's record) and `reported` (what the device says) are both kept; `differences` names the fields where they disagree.",
        params: SiteParams,
      },
    },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      const shown = app.redactorFor(principal.role);
      const devices = [];
      for (const d of await app.repos.devices.listBySite(request.params.site)) {
        const latest = await app.repos.results.latest(d.id);
        const verdict = latest.length ? overallVerdict(latest.map((r) => r.result)) : 'unknown';
        devices.push({ ...shown.device(deviceJson(d)), verdict, ...(d.monitored ? {} : { reason: NOT_MONITORED }) });
      }
      return { site: request.params.site, devices };
    },
  );

  app.get(
    '/api/v1/sites/:site/devices/:hostname',
    { config: { auth: { roles: READERS } }, schema: { tags: ['devices'], params: DeviceParams } },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      return app.redactorFor(principal.role).device(deviceJson((await requireDevice(request.params.site, request.params.hostname))));
    },
  );

  app.patch(
    '/api/v1/sites/:site/devices/:hostname',
    {
      config: { auth: { roles: EDITORS } },
      schema: {
        tags: ['devices'],
        summary: 'Edit the record: model, serial, firmware, location, warranty/contract dates, notes, role, kind; report interval, thresholds',
        description:
          "Entered values are a person's and are kept beside what the device reports (a report never overwrites them); null clears one. " +
          '`kind` changes only on a device put on record by hand (409 otherwise). Engineers and admins of the site; audited as `device.update`.',
        params: DeviceParams,
        body: DeviceRecordPatch,
      },
    },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      return deviceJson((await equipment.edit(actorOf(request), request.params.site, request.params.hostname, request.body)));
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
      const device = await requireDevice(request.params.site, request.params.hostname);
      const latest = await app.repos.results.latest(device.id);
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
      const device = await requireDevice(request.params.site, request.params.hostname);
      const cursor = request.query.cursor !== undefined ? decodeCursor(request.query.cursor) : undefined;
      if (request.query.cursor !== undefined && !cursor) throw badRequest('bad_cursor', 'cursor is not one this API returned');
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const page = await app.repos.results.history(device.id, request.params.check, limit, cursor);
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
      const device = await requireDevice(request.params.site, request.params.hostname);
      const before = request.query.cursor !== undefined ? Number(request.query.cursor) : undefined;
      if (before !== undefined && !Number.isSafeInteger(before)) throw badRequest('bad_cursor', 'cursor is not one this API returned');
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const page = await app.repos.reports.listByDevice(device.id, limit, before);
      const last = page[page.length - 1];
      return { reports: page.map((r) => shown.report(reportJson(r))), next: page.length === limit && last ? String(last.windowEnd) : null };
    },
  );
};
