import type { FastifyPluginAsync } from 'fastify';
import { emptyBodyIsEmptyObject } from '../tickets/routes.js';
import {
  IdParams,
  MaintenanceDecision,
  MaintenanceQuery,
  MaintenanceRequestInput,
  MaintenanceRequestPatch,
  type MaintenanceStatus,
} from '../../schemas/index.js';
import { assertSite, EDITORS, principalOf, READERS } from '../auth.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { MaintenanceRepository } from './repository.js';
import { registerAudit } from '../users/index.js';

/** Maintenance requests (维护申请): filed by engineers ≥ 24 h ahead, approved in writing by the customer. */
export const maintenanceRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const requests = new MaintenanceRepository(app.db);
  const tags = ['maintenance'];
  // Requests, changes and the customer's decisions are in the audit log (the dashboard writes the same).
  registerAudit(app);

  app.post(
    '/api/v1/maintenance',
    {
      config: { auth: { roles: EDITORS }, audit: { action: 'maintenance.request', detail: (b) => String(b.purpose ?? '') } },
      schema: {
        tags,
        summary: 'File a maintenance request',
        description: '400 with the reason when asked less than 24 h before its window, unless `emergency`.',
        body: MaintenanceRequestInput,
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      assertSite(p, request.body.site);
      return reply.status(201).send(requests.create(request.body, p.name, app.clock()));
    },
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
      config: { auth: { roles: EDITORS }, audit: { action: 'maintenance.update', detail: () => null } },
      schema: { tags, summary: 'Change a request still awaiting approval (409 once decided)', params: IdParams, body: MaintenanceRequestPatch },
    },
    async (request) => {
      const id = Number(request.params.id);
      requests.getFor(id, principalOf(request).site);
      return requests.update(id, request.body, app.clock());
    },
  );

  const decisions: { path: string; status: Exclude<MaintenanceStatus, 'requested'>; roles: readonly ('customer' | 'engineer' | 'admin')[]; summary: string }[] = [
    { path: 'approve', status: 'approved', roles: ['customer'], summary: "The customer's written approval: its window then suppresses new tickets (customer role only)" },
    { path: 'reject', status: 'rejected', roles: ['customer'], summary: 'The customer refuses the request (customer role only)' },
    { path: 'cancel', status: 'cancelled', roles: EDITORS as ('engineer' | 'admin')[], summary: 'Withdraw a request (the record is kept)' },
  ];
  for (const d of decisions) {
    app.post(
      `/api/v1/maintenance/:id/${d.path}`,
      { config: { auth: { roles: d.roles }, audit: `maintenance.${d.path}` }, preValidation: emptyBodyIsEmptyObject, schema: { tags, summary: d.summary, params: IdParams, body: MaintenanceDecision } },
      async (request) => {
        const id = Number(request.params.id);
        const p = principalOf(request);
        requests.getFor(id, p.site);
        return requests.decide(id, d.status, p.name, app.clock(), request.body?.note);
      },
    );
  }
};
