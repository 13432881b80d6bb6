import type { FastifyPluginAsync } from 'fastify';
import { AcceptCertificate, BmcTargetInput, BmcTargetParams, BmcTargetPatch, SiteParams } from '../../schemas/index.js';
import { assertSite, EDITORS, principalOf } from '../auth.js';
import { auditBy, changeDetail } from '../identity/index.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { BmcPoller } from './bmc-poller.js';
import { BmcTargetsRepository } from './bmc-repository.js';
import { CredentialBox, parseCredentialKey } from './crypto.js';

declare module 'fastify' {
  interface FastifyInstance {
    bmcTargets: BmcTargetsRepository;
    /** undefined when `snmp.pollerEnabled` is false. */
    bmcPoller: BmcPoller | undefined;
  }
}

/**
 * Out-of-band targets (`/api/v1/sites/:site/bmc-targets`): BMCs over Redfish or IPMI, IBM Power
 * HMCs over SSH. They share the SNMP poller's settings and credential key (`snmp.*`,
 * XUNJIAN_SNMP_KEY) and have a poller of their own, so a slow BMC never holds a switch's turn.
 */
export const bmcTargetRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const settings = { pollerEnabled: true, concurrency: 16, ...app.config.snmp };
  const box = new CredentialBox(parseCredentialKey(settings.credentialKey ?? process.env.XUNJIAN_SNMP_KEY));
  const targets = new BmcTargetsRepository(app.store, box);
  const poller = settings.pollerEnabled ? new BmcPoller(app, targets, { concurrency: settings.concurrency }) : undefined;
  plain.decorate('bmcTargets', targets);
  plain.decorate('bmcPoller', poller);
  if (poller) {
    app.addHook('onReady', async () => poller.queue.start());
    app.addHook('onClose', async () => poller.queue.stop());
  }

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
      void poller?.pollOne(row.id).catch(() => undefined);
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
// Not encapsulated: app.bmcTargets and app.bmcPoller are visible on the root instance.
(bmcTargetRoutes as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
