import type { FastifyPluginAsync } from 'fastify';
import { emptyBodyIsEmptyObject } from '../tickets/routes.js';
import {
  IdParams,
  MaintenanceDecision,
  MaintenanceQuery,
  MaintenanceRequestInput,
  MaintenanceRequestPatch,
} from '../../schemas/index.js';
import { assertSite, principalOf, READERS } from '../auth.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { actorOf } from '../users/index.js';
import { MaintenanceActions, MAINTENANCE_ROLES, type MaintenanceDecisionName } from './actions.js';

/** Maintenance requests (维护申请): filed by engineers ≥ 24 h ahead, approved in writing by the customer. */
export const maintenanceRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  // Every change goes through the action layer the dashboard uses too (role, site, validation, audit).
  const actions = new MaintenanceActions(app);
  const requests = actions.requests;
  const tags = ['maintenance'];

  app.post(
    '/api/v1/maintenance',
    {
      config: { auth: { roles: MAINTENANCE_ROLES.request } },
      schema: {
        tags,
        summary: 'File a maintenance request',
        description: '400 with the reason when asked less than 24 h before its window, unless `emergency`; 400 `unknown_devices` listing devices the site does not have.',
        body: MaintenanceRequestInput,
      },
    },
    async (request, reply) => reply.status(201).send(actions.request(actorOf(request), request.body)),
  );

  app.get(
    '/api/v1/maintenance',
    { config: { auth: { roles: READERS } }, schema: { tags, summary: 'Maintenance requests, latest window first', querystring: MaintenanceQuery } },
    async (request) => requests.list({ ...request.query, scopeSite: principalOf(request).site }),
  );

  app.get(
    '/api/v1/maintenance/:id',
    { config: { auth: { roles: READERS } }, schema: { tags, summary: 'One maintenance request with its decision', params: IdParams } },
    async (request) => {
      return requests.getFor(Number(request.params.id), principalOf(request).site);
    },
  );

  app.patch(
    '/api/v1/maintenance/:id',
    {
      config: { auth: { roles: MAINTENANCE_ROLES.update } },
      schema: { tags, summary: 'Change a request still awaiting approval (409 once decided)', params: IdParams, body: MaintenanceRequestPatch },
    },
    async (request) => actions.update(actorOf(request), Number(request.params.id), request.body),
  );

  const decisions: { path: MaintenanceDecisionName; summary: string }[] = [
    { path: 'approve', summary: "The customer's written approval: its window then suppresses new tickets (customer role only)" },
    { path: 'reject', summary: 'The customer refuses the request (customer role only)' },
    { path: 'cancel', summary: 'Withdraw a request (the record is kept)' },
  ];
  for (const d of decisions) {
    app.post(
      `/api/v1/maintenance/:id/${d.path}`,
      {
        config: { auth: { roles: MAINTENANCE_ROLES[d.path] } },
        preValidation: emptyBodyIsEmptyObject,
        schema: { tags, summary: d.summary, params: IdParams, body: MaintenanceDecision },
      },
      async (request) => actions.decide(actorOf(request), Number(request.params.id), d.path, request.body?.note),
    );
  }
};
