import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { EscalationChain, IdParams, NotifyRuleInput, NotifySettings, OutboxQuery, RotaEntryInput, SiteParams } from '../../schemas/index.js';
import { emptyBodyIsEmptyObject } from '../tickets/routes.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { actorOf } from '../users/index.js';
import { NotifyActions, NOTIFY_ROLES } from './actions.js';

const SiteId = Type.Composite([SiteParams, IdParams]);

/** A site's notification rules, rota, escalation chain, settings and outbox (dead letters). */
export const notifyRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const actions = new NotifyActions(app);
  const tags = ['notify'];
  const config = { auth: { roles: NOTIFY_ROLES } };
  const base = '/api/v1/sites/:site/notify';

  app.get(base, { config, schema: { tags, summary: 'Settings, rules, rota and escalation chain of a site', params: SiteParams } }, async (request) =>
    actions.view(actorOf(request), request.params.site),
  );
  app.put(`${base}/settings`, { config, schema: { tags, summary: 'Quiet hours, deadline fractions, grouping window, contract start (only what differs from the defaults)', params: SiteParams, body: NotifySettings } }, async (request) =>
    actions.setSettings(actorOf(request), request.params.site, request.body),
  );
  app.post(`${base}/rules`, { config, schema: { tags, summary: 'Add a routing rule (event × priority → channel, audience)', params: SiteParams, body: NotifyRuleInput } }, async (request, reply) =>
    reply.status(201).send(await actions.addRule(actorOf(request), request.params.site, request.body)),
  );
  app.delete(`${base}/rules/:id`, { config, schema: { tags, summary: 'Remove a routing rule', params: SiteId } }, async (request, reply) => {
    await actions.deleteRule(actorOf(request), request.params.site, Number(request.params.id));
    return reply.status(204).send();
  });
  app.post(`${base}/rota`, { config, schema: { tags, summary: 'Add a person to the rota (standing, a period, or a special period 节假日值守)', params: SiteParams, body: RotaEntryInput } }, async (request, reply) =>
    reply.status(201).send(await actions.addRota(actorOf(request), request.params.site, request.body)),
  );
  app.delete(`${base}/rota/:id`, { config, schema: { tags, summary: 'Remove a rota entry', params: SiteId } }, async (request, reply) => {
    await actions.deleteRota(actorOf(request), request.params.site, Number(request.params.id));
    return reply.status(204).send();
  });
  app.put(`${base}/escalation`, { config, schema: { tags, summary: 'Replace the escalation chain (steps in order, later and later)', params: SiteParams, body: EscalationChain } }, async (request) =>
    actions.setEscalation(actorOf(request), request.params.site, request.body),
  );
  app.get(`${base}/outbox`, { config, schema: { tags, summary: 'Messages, newest first; ?state=dead lists the dead letters', params: SiteParams, querystring: OutboxQuery } }, async (request) =>
    actions.outbox(actorOf(request), request.params.site, request.query.state, request.query.limit),
  );
  app.post(`${base}/outbox/:id/retry`, { config, schema: { tags, summary: 'Send a dead letter again', params: SiteId } }, async (request, reply) => {
    await actions.retry(actorOf(request), request.params.site, Number(request.params.id));
    return reply.status(202).send({ queued: true });
  });
};
