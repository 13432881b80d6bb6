import type { FastifyPluginAsync } from 'fastify';
import { canonicalTimeZone, overallVerdict } from '../../../../checks/index.js';
import { ProductsQuery, SitePatch, SiteParams } from '../../../../schemas/index.js';
import { assertSite, EDITORS, principalOf, READERS } from '../../../auth.js';
import { badRequest, notFound } from '../../../errors.js';
import { iso, siteJson, type DeviceRow } from '../../../repositories/index.js';
import { auditBy, changeDetail } from '../../../identity/index.js';
import type { TypeBoxProvider } from '../../../type-provider.js';
import { toCsv } from '../../csv.js';
import { formatTime } from '../../../reports/index.js';
import { auditRoutes } from './audit.js';

const PRODUCT_COLUMNS = [
  ['hostname', '设备名称'],
  ['kind', '设备类型'],
  ['role', '角色'],
  ['vendor', '厂商'],
  ['model', '型号'],
  ['serial', '序列号'],
  ['os', '操作系统'],
  ['version', '版本'],
  ['addresses', '地址'],
  ['state', '运行状态'],
  ['firstSeen', '首次发现'],
  ['lastSeen', '最近上报'],
] as const;

/** The canonical IANA name, or 400: a zone Intl does not know would misfile every month. */
function siteTimeZone(name: string): string {
  const zone = canonicalTimeZone(name);
  if (!zone) throw badRequest('bad_time_zone', `/body/timeZone: "${name}" is not an IANA time zone name Intl knows (e.g. Asia/Shanghai, Europe/London)`);
  return zone;
}

/** Sites, their settings, and the equipment record exported as the contract's product list. */
export const sitesRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  // The site's audit log lives beside it (the route list in app.ts names URL families, not sub-resources).
  await app.register(auditRoutes);

  const requireSite = async (name: string) => {
    const site =await  await app.repos.sites.get(name);
    if (!site) throw notFound(`no site ${name}`);
    return site;
  };

  app.get('/api/v1/sites', { config: { auth: { roles: READERS } }, schema: { tags: ['sites'], summary: 'Sites visible to the token' } }, async (request) => {
    const principal = principalOf(request);
    const sites = (await app.repos.sites.list()).filter((s) => principal.site === null || s.name === principal.site);
    const shown = app.redactorFor(principal.role);
    return { sites: sites.map((s) => shown.site(siteJson(s))) };
  });

  app.get(
    '/api/v1/sites/:site',
    { config: { auth: { roles: READERS } }, schema: { tags: ['sites'], params: SiteParams } },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      return app.redactorFor(principal.role).site(siteJson((await requireSite(request.params.site))));
    },
  );

  app.patch(
    '/api/v1/sites/:site',
    {
      config: { auth: { roles: EDITORS } },
      schema: { tags: ['sites'], summary: "Edit title (the customer's name), contract number, notes, threshold overrides, expected report interval, time zone", params: SiteParams, body: SitePatch },
    },
    async (request) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      const patch = { ...request.body, ...(request.body.timeZone !== undefined ? { timeZone: siteTimeZone(request.body.timeZone) } : {}) };
      const site = await app.store.transaction(async () => {
        await app.repos.sites.ensure(request.params.site, app.clock().getTime());
        const row = await app.repos.sites.update(request.params.site, patch);
        await auditBy(app.store, principal, { action: 'site.update', site: request.params.site, subject: request.params.site, detail: changeDetail(patch) }, app.clock().getTime());
        return row;
      });
      return siteJson((await site!));
    },
  );

  const productRow = async (d: DeviceRow) => {
    const latest = await app.repos.results.latest(d.id);
    return {
      hostname: d.hostname,
      kind: d.kind,
      role: d.role,
      vendor: d.vendor,
      model: d.model,
      serial: d.serial,
      os: d.os,
      version: d.version,
      addresses: d.addresses.join(' '),
      state: latest.length ? overallVerdict(latest.map((r) => r.result)) : 'unknown',
      firstSeen: iso(d.firstSeen),
      lastSeen: iso(d.lastSeen),
    };
  };

  app.get(
    '/api/v1/sites/:site/products',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags: ['sites'],
        summary: 'The product list (附件:产品清单): model, serial, version and working state of every device',
        params: SiteParams,
        querystring: ProductsQuery,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      assertSite(principal, request.params.site);
      const site = await requireSite(request.params.site);
      const shown = app.redactorFor(principal.role);
      const rows = await Promise.all((await app.repos.devices.listBySite(request.params.site)).map((d) => productRow(shown.device(d))));
      // Addresses are not blanked but left out: a customer's list has no 地址 column at all.
      const columns = PRODUCT_COLUMNS.filter(([key]) => shown.showsConfiguration || key !== 'addresses');
      if (request.query.format === 'csv') {
        const header = columns.map(([en, zh]) => `${zh} ${en}`);
        // A spreadsheet is read by a person: times local in the site's zone with the offset (the JSON keeps ISO instants).
        const local = (r: (typeof rows)[number]) => ({ ...r, firstSeen: formatTime(r.firstSeen, site.timeZone), lastSeen: formatTime(r.lastSeen, site.timeZone) });
        const csv = toCsv(header, rows.map(local).map((r) => columns.map(([key]) => r[key])));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="products-${encodeURIComponent(request.params.site)}.csv"`)
          .send(csv);
      }
      return { site: request.params.site, products: shown.showsConfiguration ? rows : rows.map(({ addresses: _hidden, ...rest }) => rest) };
    },
  );
};
