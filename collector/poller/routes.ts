import type { FastifyPluginAsync } from 'fastify';
import { SiteParams, SnmpTargetInput, SnmpTargetParams, SnmpTargetPatch } from '../../schemas/index.js';
import { assertSite, EDITORS, principalOf } from '../auth.js';
import { auditBy, changeDetail } from '../identity/index.js';
import type { TypeBoxProvider } from '../type-provider.js';

/** SNMP targets (`/api/v1/sites/:site/snmp-targets`); the repository and the poller are the `snmp-poller` service's (services.ts). */
export const pollerRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const targets = app.snmpTargets;
  const poller = app.poller;

  const tags = ['snmp'];
  const auth = { auth: { roles: EDITORS } };
  const base = '/api/v1/sites/:site/snmp-targets';

  app.post(
    base,
    {
      config: auth,
      schema: {
        tags,
        summary: 'Register an SNMP target the collector polls',
        description: 'Community and v3 keys are sealed with AES-256-GCM and never returned (hasCommunity etc.). 400 when no credential key is configured.',
        params: SiteParams,
        body: SnmpTargetInput,
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      assertSite(p, request.params.site);
      await app.repos.sites.ensure(request.params.site, app.clock().getTime());
      const created = await app.store.transaction(async () => {
        const row = await targets.create(request.params.site, request.body, p.tokenId, app.clock().getTime());
        await auditBy(app.store, p, { action: 'snmp-target.create', site: request.params.site, subject: `snmp-target #${row.id}`, detail: changeDetail(request.body) }, app.clock().getTime());
        return row;
      });
      await poller?.tick();
      return reply.status(201).send(created);
    },
  );

  app.get(base, { config: auth, schema: { tags, summary: 'SNMP targets of a site with their last poll', params: SiteParams } }, async (request) => {
    assertSite(principalOf(request), request.params.site);
    return targets.list(request.params.site);
  });

  app.get(`${base}/:id`, { config: auth, schema: { tags, params: SnmpTargetParams } }, async (request) => {
    assertSite(principalOf(request), request.params.site);
    return targets.get(request.params.site, Number(request.params.id));
  });

  app.patch(
    `${base}/:id`,
    { config: auth, schema: { tags, summary: 'Change a target (secrets: write-only)', params: SnmpTargetParams, body: SnmpTargetPatch } },
    async (request) => {
      const p = principalOf(request);
      assertSite(p, request.params.site);
      return app.store.transaction(async () => {
        const row = await targets.update(request.params.site, Number(request.params.id), request.body);
        await auditBy(app.store, p, { action: 'snmp-target.update', site: request.params.site, subject: `snmp-target #${request.params.id}`, detail: changeDetail(request.body) }, app.clock().getTime());
        return row;
      });
    },
  );

  app.delete(`${base}/:id`, { config: auth, schema: { tags, params: SnmpTargetParams } }, async (request, reply) => {
    const p = principalOf(request);
    assertSite(p, request.params.site);
    await app.store.transaction(async () => {
      await targets.remove(request.params.site, Number(request.params.id));
      await auditBy(app.store, p, { action: 'snmp-target.delete', site: request.params.site, subject: `snmp-target #${request.params.id}` }, app.clock().getTime());
    });
    return reply.status(204).send();
  });
};
