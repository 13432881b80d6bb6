import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SafeHtml } from '../../html/index.js';
import type { TicketActions } from '../../tickets/index.js';
import { actorOf, requireViewer, type Viewer } from '../../users/index.js';
import { langOf } from '../i18n.js';
import { faultFormOf, faultReportErrors, faultReportInput, type FaultForm } from './fault-report.js';

type Form = Record<string, string | string[] | undefined>;
const one = (f: Form, k: string): string | undefined => {
  const v = f[k];
  return Array.isArray(v) ? v[0] : v;
};
/** An empty choice clears the person (null); the field left out keeps it. */
const personOf = (f: Form, k: string): string | null | undefined => (k in f ? one(f, k) || null : undefined);

/** What the page routes already have: the ticket of the URL, the form runner, the way back, time input. */
export interface TicketFormDeps {
  actions: TicketActions;
  ticketOf: (request: FastifyRequest, v: Viewer) => Promise<{ site: string; id: number }>;
  act: (reply: FastifyReply, back: string, fn: () => unknown) => Promise<FastifyReply>;
  back: (site: string, id: number) => string;
  /** A local date-time field read in the site's time zone (a 400 naming the field when it is none). */
  isoOf: (local: string | undefined, zone: string, field: string) => string | undefined;
  zoneOf: (site: string) => Promise<string>;
}

/**
 * The ticket page's form posts for issue 11's steps. Each only turns the form into the action's
 * input: role, site, validation and audit are the action layer's, as for the API.
 */
export function registerTicketForms(app: FastifyInstance, deps: TicketFormDeps): void {
  const { actions, ticketOf, act, back, isoOf, zoneOf } = deps;
  const post = (path: string, run: (request: FastifyRequest, id: number, f: Form, site: string) => unknown) =>
    app.post(`/sites/:site/tickets/:id/${path}`, async (request, reply) => {
      const v = requireViewer(request);
      const { site, id } = await ticketOf(request, v);
      return act(reply, back(site, id), () => run(request, id, (request.body ?? {}) as Form, site));
    });

  post('assign', (request, id, f) => actions.assign(actorOf(request), id, { assignee: personOf(f, 'assignee'), backup: personOf(f, 'backup') }));
  post('reclassify', (request, id, f) => actions.reclassify(actorOf(request), id, { priority: one(f, 'priority'), reason: one(f, 'reason') ?? '' }));
  post('emergency-plan', async (request, id, f, site) =>
    actions.startEmergencyPlan(actorOf(request), id, {
      owner: one(f, 'owner') ?? '',
      due: isoOf(one(f, 'due'), (await zoneOf(site)), 'due'),
      ...(one(f, 'note') ? { note: one(f, 'note') } : {}),
    }),
  );
  post('part-needed', (request, id, f) => actions.partNeeded(actorOf(request), id, one(f, 'neededPart') ? { part: one(f, 'neededPart') } : {}));
  app.post('/sites/:site/tickets/:id/parts/:part/disposition', async (request, reply) => {
    const v = requireViewer(request);
    const { site, id } = await ticketOf(request, v);
    const f = (request.body ?? {}) as Form;
    const part = Number((request.params as { part: string }).part);
    return act(reply, back(site, id), () =>
      actions.setPartDisposition(actorOf(request), id, part, {
        disposition: one(f, 'disposition'),
        ...(one(f, 'receivedBy') ? { receivedBy: one(f, 'receivedBy') } : {}),
      }),
    );
  });
}

/** What the 报障 form's post needs from the page routes. */
export interface FaultReportDeps {
  actions: TicketActions;
  siteParam: (request: FastifyRequest, v: Viewer) => Promise<string>;
  page: (reply: FastifyReply, body: SafeHtml) => FastifyReply;
  /** The tickets page, with the form as typed and its refusal when given. */
  ticketsPage: (request: FastifyRequest, v: Viewer, site: string, report?: { form: FaultForm; errors: string[] }) => Promise<SafeHtml>;
  back: (site: string, id: number) => string;
}

/**
 * `POST /sites/:site/tickets`: the 报障 form, through `TicketActions.open` as `POST /api/v1/tickets`.
 * Filed: the new ticket's page. Already open (same device and fault): that ticket's page, saying so.
 * Refused input: the tickets page again, 400, with what was typed and the reasons in the reader's
 * language; a refusal the form does not word (403, 404) is the error page.
 */
export function registerFaultReport(app: FastifyInstance, deps: FaultReportDeps): void {
  app.post('/sites/:site/tickets', async (request, reply) => {
    const v = requireViewer(request);
    const site = await deps.siteParam(request, v);
    const form = faultFormOf((request.body ?? {}) as Form);
    try {
      const onRecord = new Set((await app.repos.devices.listBySite(site)).map((d) => d.hostname));
      const { ticket, created } = await deps.actions.open(actorOf(request), faultReportInput(site, form, onRecord));
      return reply.redirect(`${deps.back(site, ticket.id)}?reported=${created ? 'new' : 'existing'}&lang=${langOf(request)}`, 303);
    } catch (err) {
      const errors = faultReportErrors(langOf(request), err, form);
      if (!errors) throw err;
      return deps.page(reply.status(400), (await deps.ticketsPage(request, v, site, { form, errors })));
    }
  });
}
