import type { FastifyPluginAsync } from 'fastify';
import { emptyBodyIsEmptyObject } from '../tickets/routes.js';
import {
  IdParams,
  MaintenanceDecision,
  MaintenanceFinish,
  MaintenanceQuery,
  MaintenanceRequestInput,
  MaintenanceRequestPatch,
  MaintenanceStart,
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
        description:
          'The service plan\'s full content (5.3): purpose, steps, hardware and software changes, expected duration, the rollback/emergency plan (应急方案, required), ' +
          'the customer\'s representative, the removable-media attestation, and two named people present — the engineer operating and a different recorder. ' +
          '400 with the reason when asked less than 24 h before its window, unless `emergency`; 400 `same_person` when the recorder is the engineer; ' +
          '400 `unknown_devices` listing devices the site does not have.',
        body: MaintenanceRequestInput,
      },
    },
    async (request, reply) => reply.status(201).send(await actions.request(actorOf(request), request.body)),
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
    { path: 'approve', summary: "The customer's written approval, optionally with a note: its window then suppresses new tickets (customer role only; 409 unless requested)" },
    { path: 'reject', summary: 'The customer refuses the request; the note saying why is required (customer role only; 409 unless requested)' },
    { path: 'cancel', summary: 'Withdraw a request before its work starts (the record is kept; 409 once in progress or final)' },
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

  app.post(
    '/api/v1/maintenance/:id/start',
    {
      config: { auth: { roles: MAINTENANCE_ROLES.start } },
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        tags,
        summary: 'The approved work begins: approved → in_progress',
        description: '`actualStart` defaults to now; 400 when it is in the future; 409 unless the request is approved and `actualStart` lies inside the approved window. The window keeps suppressing tickets while the work is in progress.',
        params: IdParams,
        body: MaintenanceStart,
      },
    },
    async (request) => actions.start(actorOf(request), Number(request.params.id), request.body),
  );

  const endings: { path: 'complete' | 'rollback'; summary: string }[] = [
    { path: 'complete', summary: 'The work is done: in_progress → completed, with what was done and the outcome' },
    { path: 'rollback', summary: 'The change was undone by the rollback plan: in_progress → rolled_back, with what was done and the outcome' },
  ];
  for (const e of endings) {
    app.post(
      `/api/v1/maintenance/:id/${e.path}`,
      {
        config: { auth: { roles: MAINTENANCE_ROLES[e.path] } },
        schema: {
          tags,
          summary: e.summary,
          description: '`workDone` and `outcome` are required; `actualEnd` defaults to now (400 in the future or before the start); 409 unless in progress. Suppression ends at `actualEnd`.',
          params: IdParams,
          body: MaintenanceFinish,
        },
      },
      async (request) => actions.finish(actorOf(request), Number(request.params.id), e.path, request.body),
    );
  }
};
