import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  DeviceSilenceInput,
  EmergencyPlanInput,
  IdParams,
  PartDispositionInput,
  PartNeededInput,
  PartReplacementInput,
  ServiceReportInput,
  SlaProfileInput,
  TicketAssignInput,
  TicketCreate,
  TicketQuery,
  TicketReclassifyInput,
  TicketStepInput,
} from '../../schemas/index.js';
import { assertSite, principalOf, READERS } from '../auth.js';
import { notFound } from '../errors.js';
import { actorOf } from '../users/index.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { TicketActions, TICKET_ROLES } from './actions.js';
import { STEP_NAMES, STEPS } from './lifecycle.js';

const SiteParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 100 }) });
const PartParams = Type.Object({ id: IdParams.properties.id, part: IdParams.properties.id });
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
  app.metrics.gauge('xunjian_tickets_open', 'Fault tickets not yet closed', async () => (await tickets.counts(app.clock())).open, 'tenant');
  app.metrics.gauge('xunjian_tickets_overdue', 'Open fault tickets past a response, on-site or recovery deadline', async () => (await tickets.counts(app.clock())).overdue, 'tenant');

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
      return (await tickets.list(
        {
          ...q,
          overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
          limit: q.limit === undefined ? undefined : Number(q.limit),
          scopeSite: p.site,
        },
        app.clock(),
      )).map((t) => shown.ticket(t));
    },
  );

  app.get(
    '/api/v1/tickets/:id',
    { config: { auth: { roles: READERS } }, schema: { tags, summary: 'One ticket with its steps, service reports and parts', params: IdParams } },
    async (request) => {
      const id = Number(request.params.id);
      const p = principalOf(request);
      await tickets.siteFor(id, p.site);
      return app.redactorFor(p.role).ticket((await tickets.get(id, app.clock())));
    },
  );

  app.post(
    '/api/v1/tickets',
    {
      config: { auth: { roles: TICKET_ROLES.open } },
      schema: {
        tags,
        summary: 'Report a fault by hand (phone, e-mail): site, device, symptom, suspected cause',
        description:
          'Priority from the site mapping unless given (`priority`/`emergency` by engineers and admins only: 403 for a customer). A device not on record is entered by hand (a manual device, `deviceKind`, default server); ' +
          'without `device` it is a service request (P4 unless given). `assignee`/`backup`: engineers with access to the site (400 otherwise). ' +
          'The ticket keeps the SLA limits of the profile it was opened with. 404 for a site not on record.',
        body: TicketCreate,
      },
    },
    async (request, reply) => {
      const { ticket, created } = await actions.open(actorOf(request), request.body);
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
          summary: `Step ${STEPS[step].from.join(' | ')} → ${STEPS[step].to} (by ${STEPS[step].roles.join(' or ')})`,
          description:
            '409 when the ticket is not in a status this step starts from; the message names the next steps. ' +
            'Remote path: respond → resolve; on-site path: respond → dispatch → on-site → resolve. ' +
            'Dispatch (or arriving without one) starts the on-site clock unless the priority always needs a visit (`onSitePriorities`, clock from opening); never for P4.',
          params: IdParams,
          body: TicketStepInput,
        },
      },
      async (request) => app.redactorFor(principalOf(request).role).ticket((await actions.step(actorOf(request), Number(request.params.id), step, request.body?.note))),
    );
  }

  app.put(
    '/api/v1/tickets/:id/assignment',
    {
      config: { auth: { roles: TICKET_ROLES.assign } },
      schema: {
        tags,
        summary: 'Assignee and backup engineer (user names with access to the site; null clears)',
        description: '400 for a person who is not an engineer or admin of the site, or the same person twice. Audited as `ticket.assign`; an `assigned` event says what changed.',
        params: IdParams,
        body: TicketAssignInput,
      },
    },
    async (request) => app.redactorFor(principalOf(request).role).ticket((await actions.assign(actorOf(request), Number(request.params.id), request.body))),
  );

  app.post(
    '/api/v1/tickets/:id/reclassify',
    {
      config: { auth: { roles: TICKET_ROLES.reclassify } },
      schema: {
        tags,
        summary: 'Change the priority, with the reason (required)',
        description: 'The limits stay the snapshot the ticket was opened with; emergency and always-on-site follow the new priority (P4: no on-site clock). A `reclassified` event and `ticket.reclassify` audit entry keep old → new and the reason. 409 for a closed ticket or the same priority.',
        params: IdParams,
        body: TicketReclassifyInput,
      },
    },
    async (request) => app.redactorFor(principalOf(request).role).ticket((await actions.reclassify(actorOf(request), Number(request.params.id), request.body))),
  );

  app.post(
    '/api/v1/tickets/:id/emergency-plan',
    {
      config: { auth: { roles: TICKET_ROLES.emergencyPlan } },
      schema: {
        tags,
        summary: '启动应急预案: start the emergency plan with its owner and deadline',
        description: 'While on site (the first visit did not fix the fault; 409 otherwise). The owner must be an engineer of the site (400). The deadline is `deadlines.emergencyPlan`, met by resolution.',
        params: IdParams,
        body: EmergencyPlanInput,
      },
    },
    async (request) => app.redactorFor(principalOf(request).role).ticket((await actions.startEmergencyPlan(actorOf(request), Number(request.params.id), request.body))),
  );

  app.post(
    '/api/v1/tickets/:id/part-needed',
    {
      config: { auth: { roles: TICKET_ROLES.partNeeded } },
      preValidation: emptyBodyIsEmptyObject,
      schema: {
        tags,
        summary: 'A spare part is needed: the part-replacement clock (2 h by default) runs from arrival on site',
        description: 'While responded, dispatched or on site (409 otherwise, or when already stamped). Met by the first part recorded.',
        params: IdParams,
        body: PartNeededInput,
      },
    },
    async (request) => app.redactorFor(principalOf(request).role).ticket((await actions.partNeeded(actorOf(request), Number(request.params.id), request.body))),
  );

  app.put(
    '/api/v1/tickets/:id/parts/:part/disposition',
    {
      config: { auth: { roles: TICKET_ROLES.part } },
      schema: {
        tags,
        summary: "The replaced part's disposition: returned to the customer (更换硬盘交回), kept by the service company, destroyed, other",
        description: 'With who received it and when (default now). Audited as `ticket.part-disposition`.',
        params: PartParams,
        body: PartDispositionInput,
      },
    },
    async (request) => actions.setPartDisposition(actorOf(request), Number(request.params.id), Number(request.params.part), request.body),
  );

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
    async (request, reply) => reply.status(201).send(await actions.addServiceReport(actorOf(request), Number(request.params.id), request.body)),
  );

  app.post(
    '/api/v1/tickets/:id/parts',
    {
      config: { auth: { roles: TICKET_ROLES.part } },
      schema: {
        tags,
        summary: 'A spare part replaced: part, old and new serial, optionally the old part\'s disposition',
        description: 'Recording a part marks a part as needed (the part clock from arrival on site is met by the first part).',
        params: IdParams,
        body: PartReplacementInput,
      },
    },
    async (request, reply) => reply.status(201).send(await actions.addPart(actorOf(request), Number(request.params.id), request.body)),
  );

  app.get(
    '/api/v1/sites/:site/sla',
    { config: { auth: { roles: READERS } }, schema: { tags, summary: "The site's SLA profile (effective) and its overrides", params: SiteParams } },
    async (request) => {
      assertSite(principalOf(request), request.params.site);
      // Sites register from their first report; an SLA of any other name does not exist.
      if (!(await app.repos.sites.get(request.params.site))) throw notFound(`no site ${request.params.site}`);
      return { profile: await tickets.sla(request.params.site), overrides: await tickets.slaOverrides(request.params.site) };
    },
  );

  app.put(
    '/api/v1/sites/:site/sla',
    {
      config: { auth: { roles: TICKET_ROLES.sla } },
      schema: {
        tags,
        summary: "Set the site's SLA overrides (time limits, priority rules, missed reports)",
        description:
          'Audited as `sla.set` with the overrides before and after. Applies to tickets opened from now on: each ticket keeps the limits it was opened with (`sla` on the ticket).',
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
