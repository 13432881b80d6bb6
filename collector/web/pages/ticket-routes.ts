import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TicketActions } from '../../tickets/index.js';
import { actorOf, requireViewer, type Viewer } from '../../users/index.js';

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
  /** A datetime-local field read in the site's time zone. */
  isoOf: (local: string | undefined, zone: string) => string | undefined;
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
      due: isoOf(one(f, 'due'), (await zoneOf(site))),
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
