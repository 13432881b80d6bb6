import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  DeviceSilenceInput,
  IdParams,
  PartReplacementInput,
  ServiceReportInput,
  SlaProfileInput,
  TicketCreate,
  TicketQuery,
  TicketStepInput,
} from '../../schemas/index.js';
import { assertSite, principalOf, READERS } from '../auth.js';
import { notFound } from '../errors.js';
import { actorOf } from '../users/index.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { TicketActions, TICKET_ROLES } from './actions.js';
import { STEP_NAMES, STEPS } from './lifecycle.js';

const SiteParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 100 }) });
const DeviceParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 100 }), hostname: Type.String({ minLength: 1, maxLength: 255 }) });

export type TicketsRoutesOptions = Record<never, never>;

/** The `{ note }` of a step is optional, and so is sending a body at all. */
export async function emptyBodyIsEmptyObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

/** Fault tickets: list and detail, manual reports, lifecycle steps, service reports, parts, SLA profiles, silence. */
export const ticketsRoutes: FastifyPluginAsync<TicketsRoutesOptions> = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  // Every change goes through the action layer the dashboard uses too (role, site, validation, audit).
  const actions = new TicketActions(app);
  const tickets = actions.tickets;
  const tags = ['tickets'];

  // Customers' figures: shown to a global admin's scrape only (routes/metrics.ts).
  app.metrics.gauge('xunjian_tickets_open', 'Fault tickets not yet closed', () => tickets.counts(app.clock()).open, 'tenant');
  app.metrics.gauge('xunjian_tickets_overdue', 'Open fault tickets past a response, on-site or recovery deadline', () => tickets.counts(app.clock()).overdue, 'tenant');

  // The silence scan runs in silence-scan.ts (its own plugin: tests reach its schedule on the app).

  app.get(
    '/api/v1/tickets',
    {
      config: { auth: { roles: READERS } },
      schema: { tags, summary: 'Fault tickets, newest first, with deadlines and overdue flags', querystring: TicketQuery },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      const shown = app.redactorFor(p.role);
      return tickets.list(
        {
          ...q,
          overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
          limit: q.limit === undefined ? undefined : Number(q.limit),
          scopeSite: p.site,
        },
        app.clock(),
      ).map((t) => shown.ticket(t));
    },
  );

  app.get(
    '/api/v1/tickets/:id',
    { config: { auth: { roles: READERS } }, schema: { tags, summary: 'One ticket with its steps, service reports and parts', params: IdParams } },
    async (request) => {
      const id = Number(request.params.id);
      const p = principalOf(request);
      tickets.siteFor(id, p.site);
      return app.redactorFor(p.role).ticket(tickets.get(id, app.clock()));
    },
  );

  app.post(
    '/api/v1/tickets',
    {
      config: { auth: { roles: TICKET_ROLES.open } },
      schema: {
        tags,
        summary: 'Report a fault by hand (phone, e-mail): site, device, symptom, suspected cause',
        description: 'Priority from the site mapping unless given. 404 for a device not on record.',
        body: TicketCreate,
      },
    },
    async (request, reply) => {
      const { ticket, created } = actions.open(actorOf(request), request.body);
      // A customer may report a fault; an existing ticket's symptom is often a device's reason: redacted.
      return reply.status(created ? 201 : 200).send(app.redactorFor(principalOf(request).role).ticket(ticket));
    },
  );

  for (const step of STEP_NAMES) {
    app.post(
      `/api/v1/tickets/:id/${step}`,
      {
        config: { auth: { roles: STEPS[step].roles } },
        preValidation: emptyBodyIsEmptyObject,
        schema: {
          tags,
          summary: `Step ${STEPS[step].from} → ${STEPS[step].to} (by ${STEPS[step].roles.join(' or ')})`,
          description: '409 when the ticket is not in the status this step starts from; the message names the next step.',
          params: IdParams,
          body: TicketStepInput,
        },
      },
      async (request) => app.redactorFor(principalOf(request).role).ticket(actions.step(actorOf(request), Number(request.params.id), step, request.body?.note)),
    );
  }

  app.post(
    '/api/v1/tickets/:id/service-reports',
    {
      config: { auth: { roles: TICKET_ROLES.serviceReport } },
      schema: {
        tags,
        summary: '现场服务报告: arrival, work done, result, open issues, customer evaluation',
        description: 'While on site or resolved (409 otherwise). A first visit that did not fix the fault starts the emergency plan.',
        params: IdParams,
        body: ServiceReportInput,
      },
    },
    async (request, reply) => reply.status(201).send(actions.addServiceReport(actorOf(request), Number(request.params.id), request.body)),
  );

  app.post(
    '/api/v1/tickets/:id/parts',
    {
      config: { auth: { roles: TICKET_ROLES.part } },
      schema: { tags, summary: 'A spare part replaced: part, old and new serial', params: IdParams, body: PartReplacementInput },
    },
    async (request, reply) => reply.status(201).send(actions.addPart(actorOf(request), Number(request.params.id), request.body)),
  );

  app.get(
    '/api/v1/sites/:site/sla',
    { config: { auth: { roles: READERS } }, schema: { tags, summary: "The site's SLA profile (effective) and its overrides", params: SiteParams } },
    async (request) => {
      assertSite(principalOf(request), request.params.site);
      // Sites register from their first report; an SLA of any other name does not exist.
      if (!app.repos.sites.get(request.params.site)) throw notFound(`no site ${request.params.site}`);
      return { profile: tickets.sla(request.params.site), overrides: tickets.slaOverrides(request.params.site) };
    },
  );

  app.put(
    '/api/v1/sites/:site/sla',
    {
      config: { auth: { roles: TICKET_ROLES.sla } },
      schema: {
        tags,
        summary: "Set the site's SLA overrides (time limits, priority rules, missed reports)",
        description: 'Audited as `sla.set` with the overrides before and after.',
        params: SiteParams,
        body: SlaProfileInput,
      },
    },
    async (request) => actions.setSla(actorOf(request), request.params.site, request.body),
  );

  app.put(
    '/api/v1/sites/:site/devices/:hostname/silence',
    {
      config: { auth: { roles: TICKET_ROLES.silence } },
      schema: {
        tags,
        summary: 'Silence settings of a device: expected report interval and missed reports before it is down',
        description: 'Audited as `device.silence`.',
        params: DeviceParams,
        body: DeviceSilenceInput,
      },
    },
    async (request) => actions.setSilence(actorOf(request), request.params.site, request.params.hostname, request.body),
  );
};
