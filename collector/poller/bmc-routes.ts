import type { FastifyPluginAsync } from 'fastify';
import { AcceptCertificate, BmcTargetInput, BmcTargetParams, BmcTargetPatch, SiteParams } from '../../schemas/index.js';
import { assertSite, EDITORS, principalOf } from '../auth.js';
import { auditBy, changeDetail } from '../identity/index.js';
import type { TypeBoxProvider } from '../type-provider.js';

/**
 * Out-of-band targets (`/api/v1/sites/:site/bmc-targets`): BMCs over Redfish or IPMI, IBM Power
 * HMCs over SSH; the repository and the poller are the `bmc-poller` service's (services.ts).
 */
export const bmcTargetRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const targets = app.bmcTargets;
  const poller = app.bmcPoller;

  const tags = ['bmc'];
  const auth = { auth: { roles: EDITORS } };
  const base = '/api/v1/sites/:site/bmc-targets';
  const audit = async (p: ReturnType<typeof principalOf>, site: string, action: string, id: number | string, detail?: string) =>
    await auditBy(app.store, p, { action: `bmc-target.${action}`, site, subject: `bmc-target #${id}`, ...(detail ? { detail } : {}) }, app.clock().getTime());

  app.post(
    base,
    {
      config: auth,
      schema: {
        tags,
        summary: 'Register a BMC (Redfish, IPMI over LAN) or an HMC the collector polls for a server',
        description: 'The password and private key are sealed with AES-256-GCM (the SNMP credential key) and never returned. 400 when no credential key is configured.',
        params: SiteParams,
        body: BmcTargetInput,
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      assertSite(p, request.params.site);
      await app.repos.sites.ensure(request.params.site, app.clock().getTime());
      const created = await app.store.transaction(async () => {
        const row = await targets.create(request.params.site, request.body, p.tokenId, app.clock().getTime());
        await audit(p, request.params.site, 'create', row.id, changeDetail(request.body));
        return row;
      });
      await poller?.queue.tick();
      return reply.status(201).send(created);
    },
  );

  app.get(base, { config: auth, schema: { tags, summary: 'BMC/HMC targets of a site with their last poll and pins', params: SiteParams } }, async (request) => {
    assertSite(principalOf(request), request.params.site);
    return targets.list(request.params.site);
  });

  app.get(`${base}/:id`, { config: auth, schema: { tags, params: BmcTargetParams } }, async (request) => {
    assertSite(principalOf(request), request.params.site);
    return targets.get(request.params.site, Number(request.params.id));
  });

  app.patch(`${base}/:id`, { config: auth, schema: { tags, summary: 'Change a target (secrets: write-only)', params: BmcTargetParams, body: BmcTargetPatch } }, async (request) => {
    const p = principalOf(request);
    assertSite(p, request.params.site);
    return app.store.transaction(async () => {
      const row = await targets.update(request.params.site, Number(request.params.id), request.body);
      await audit(p, request.params.site, 'update', request.params.id, changeDetail(request.body));
      return row;
    });
  });

  app.post(
    `${base}/:id/accept-certificate`,
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags,
        summary: 'Accept a BMC’s new certificate (the presented fingerprint) or, for an HMC, trust the next host key met',
        params: BmcTargetParams,
        body: AcceptCertificate,
      },
    },
    async (request) => {
      const p = principalOf(request);
      assertSite(p, request.params.site);
      const row = await app.store.transaction(async () => {
        const accepted = await targets.acceptNew(request.params.site, Number(request.params.id), request.body.fingerprint);
        await audit(p, request.params.site, 'accept-certificate', request.params.id, request.body.fingerprint ? `fingerprint: ${request.body.fingerprint}` : 'host key: trust the next one met');
        return accepted;
      });
      // Polled at once with the accepted pin, after the transaction (never network I/O inside one).
      void poller?.pollOne(row.id).catch((err: unknown) => app.log.error({ err, target: row.id }, 'BMC poll after accept-certificate failed'));
      return row;
    },
  );

  app.delete(`${base}/:id`, { config: auth, schema: { tags, params: BmcTargetParams } }, async (request, reply) => {
    const p = principalOf(request);
    assertSite(p, request.params.site);
    await app.store.transaction(async () => {
      await targets.remove(request.params.site, Number(request.params.id));
      await audit(p, request.params.site, 'delete', request.params.id);
    });
    return reply.status(204).send();
  });
};
