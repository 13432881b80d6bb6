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
import { assertSite, EDITORS, principalOf, READERS } from '../auth.js';
import { notFound } from '../errors.js';
import { registerAudit } from '../users/index.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { STEP_NAMES, STEPS } from './lifecycle.js';
import { priorityFor } from './priority.js';
import { TicketsRepository, type Actor } from './repository.js';
import { isEmergency } from './sla.js';

const SiteParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 100 }) });
const DeviceParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 100 }), hostname: Type.String({ minLength: 1, maxLength: 255 }) });

export type TicketsRoutesOptions = Record<never, never>;

/** The `{ note }` of a step is optional, and so is sending a body at all. */
export async function emptyBodyIsEmptyObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

const actorOf = (request: FastifyRequest): Actor => {
  const p = principalOf(request);
  return { name: p.name, tokenId: p.tokenId };
};

/** Fault tickets: list and detail, manual reports, lifecycle steps, service reports, parts, SLA profiles, silence. */
export const ticketsRoutes: FastifyPluginAsync<TicketsRoutesOptions> = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const tickets = new TicketsRepository(app.db);
  const tags = ['tickets'];
  // Every ticket step, service report and part is in the audit log, made here or in the dashboard.
  registerAudit(app);

  app.metrics.gauge('xunjian_tickets_open', 'Fault tickets not yet closed', () => tickets.counts(app.clock()).open);
  app.metrics.gauge('xunjian_tickets_overdue', 'Open fault tickets past a response, on-site or recovery deadline', () => tickets.counts(app.clock()).overdue);

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
      return tickets.list(
        {
          ...q,
          overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
          limit: q.limit === undefined ? undefined : Number(q.limit),
          scopeSite: p.site,
        },
        app.clock(),
      );
    },
  );

  app.get(
    '/api/v1/tickets/:id',
    { config: { auth: { roles: READERS } }, schema: { tags, summary: 'One ticket with its steps, service reports and parts', params: IdParams } },
    async (request) => {
      const id = Number(request.params.id);
      assertSite(principalOf(request), tickets.siteOf(id));
      return tickets.get(id, app.clock());
    },
  );

  app.post(
    '/api/v1/tickets',
    {
      config: { auth: { roles: [...EDITORS, 'customer'] }, audit: { action: 'ticket.open', createdOnly: true, detail: (b) => String(b.symptom ?? '') } },
      schema: {
        tags,
        summary: 'Report a fault by hand (phone, e-mail): site, device, symptom, suspected cause',
        description: 'Priority from the site mapping unless given. 404 for a device not on record.',
        body: TicketCreate,
      },
    },
    async (request, reply) => {
      const body = request.body;
      assertSite(principalOf(request), body.site);
      const device = app.repos.devices.get(body.site, body.device);
      if (!device) throw notFound(`no device ${body.device} at site ${body.site}`);
      const subject = body.subject ?? 'manual';
      const sla = tickets.sla(body.site);
      const priority = body.priority ?? priorityFor({ subject, kind: device.kind, role: device.role }, sla.priorityRules);
      const existing = subject === 'manual' ? undefined : tickets.active(device.id, subject);
      if (existing) return reply.status(200).send(tickets.get(existing.id, app.clock()));
      const now = app.clock();
      const id = tickets.open({
        deviceId: device.id,
        subject,
        priority,
        emergency: body.emergency ?? isEmergency(priority, sla),
        symptom: body.symptom,
        suspectedCause: body.suspectedCause ?? null,
        deviceModel: body.deviceModel ?? device.model,
        by: actorOf(request),
        at: now.getTime(),
      });
      return reply.status(201).send(tickets.get(id, now));
    },
  );

  for (const step of STEP_NAMES) {
    app.post(
      `/api/v1/tickets/:id/${step}`,
      {
        config: { auth: { roles: STEPS[step].roles }, audit: `ticket.${step}` },
        preValidation: emptyBodyIsEmptyObject,
        schema: {
          tags,
          summary: `Step ${STEPS[step].from} → ${STEPS[step].to} (by ${STEPS[step].roles.join(' or ')})`,
          description: '409 when the ticket is not in the status this step starts from; the message names the next step.',
          params: IdParams,
          body: TicketStepInput,
        },
      },
      async (request) => {
        const id = Number(request.params.id);
        assertSite(principalOf(request), tickets.siteOf(id));
        const now = app.clock();
        tickets.step(id, step, actorOf(request), now.getTime(), request.body?.note);
        return tickets.get(id, now);
      },
    );
  }

  app.post(
    '/api/v1/tickets/:id/service-reports',
    {
      config: { auth: { roles: EDITORS }, audit: { action: 'ticket.service-report', detail: (b) => String(b.result ?? '') } },
      schema: {
        tags,
        summary: '现场服务报告: arrival, work done, result, open issues, customer evaluation',
        description: 'While on site or resolved (409 otherwise). A first visit that did not fix the fault starts the emergency plan.',
        params: IdParams,
        body: ServiceReportInput,
      },
    },
    async (request, reply) => {
      const id = Number(request.params.id);
      assertSite(principalOf(request), tickets.siteOf(id));
      const now = app.clock();
      tickets.addServiceReport(id, request.body, actorOf(request), now.getTime());
      return reply.status(201).send(tickets.get(id, now));
    },
  );

  app.post(
    '/api/v1/tickets/:id/parts',
    {
      config: { auth: { roles: EDITORS }, audit: { action: 'ticket.part', detail: (b) => `${String(b.part)}: ${String(b.oldSerial)} → ${String(b.newSerial)}` } },
      schema: { tags, summary: 'A spare part replaced: part, old and new serial', params: IdParams, body: PartReplacementInput },
    },
    async (request, reply) => {
      const id = Number(request.params.id);
      assertSite(principalOf(request), tickets.siteOf(id));
      const now = app.clock();
      tickets.addPart(id, request.body, actorOf(request), now.getTime());
      return reply.status(201).send(tickets.get(id, now));
    },
  );

  // Sites register from their first report; an SLA for any other name would be stored for nothing.
  const knownSite = (site: string) => {
    if (!app.repos.sites.get(site)) throw notFound(`no site ${site}`);
  };

  app.get(
    '/api/v1/sites/:site/sla',
    { config: { auth: { roles: READERS } }, schema: { tags, summary: "The site's SLA profile (effective) and its overrides", params: SiteParams } },
    async (request) => {
      assertSite(principalOf(request), request.params.site);
      knownSite(request.params.site);
      return { profile: tickets.sla(request.params.site), overrides: tickets.slaOverrides(request.params.site) };
    },
  );

  app.put(
    '/api/v1/sites/:site/sla',
    {
      config: { auth: { roles: ['admin'] }, audit: { action: 'sla.set', detail: () => null } },
      schema: { tags, summary: "Set the site's SLA overrides (time limits, priority rules, missed reports)", params: SiteParams, body: SlaProfileInput },
    },
    async (request) => {
      assertSite(principalOf(request), request.params.site);
      knownSite(request.params.site);
      const profile = tickets.setSla(request.params.site, request.body, actorOf(request), app.clock().getTime());
      return { profile, overrides: request.body };
    },
  );

  app.put(
    '/api/v1/sites/:site/devices/:hostname/silence',
    {
      config: { auth: { roles: EDITORS } },
      schema: {
        tags,
        summary: 'Silence settings of a device: expected report interval and missed reports before it is down',
        params: DeviceParams,
        body: DeviceSilenceInput,
      },
    },
    async (request) => {
      const { site, hostname } = request.params;
      assertSite(principalOf(request), site);
      const device = app.repos.devices.get(site, hostname);
      if (!device) throw notFound(`no device ${hostname} at site ${site}`);
      if (request.body.expectedIntervalSeconds !== undefined) {
        app.repos.devices.update(device.id, { expectedIntervalS: request.body.expectedIntervalSeconds });
      }
      if (request.body.missedReports !== undefined) tickets.setMissedReports(device.id, request.body.missedReports);
      const updated = app.repos.devices.get(site, hostname)!;
      return {
        site,
        hostname,
        expectedIntervalSeconds: updated.effectiveIntervalS,
        missedReports: tickets.missedReports(device.id) ?? tickets.sla(site).missedReports,
      };
    },
  );
};
